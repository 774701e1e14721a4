"""Real producer files that are not part of the repository: tests that read one skip when it is absent.

`shared(name)`: a file of `../shared/data/` beside the checkout (PSM_SHARED_DATA names another folder).
`research(pattern)`: files of the research copies in the folder named by PSM_REAL_FILES (none when it is unset).
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared(name: str) -> Path:
    """Path of a file of the shared data folder (it may not exist)."""
    folder = os.environ.get("PSM_SHARED_DATA") or ROOT.parent / "shared" / "data"
    return Path(folder) / name


def research(pattern: str) -> list[Path]:
    """The research copies matching a glob pattern under PSM_REAL_FILES, sorted; none when it is unset."""
    folder = os.environ.get("PSM_REAL_FILES")
    return sorted(Path(folder).glob(pattern)) if folder else []
