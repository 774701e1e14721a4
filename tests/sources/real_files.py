"""Real published files that may not be committed (no licence to redistribute): read from PSM_REAL_FILES_DIR.

The folder holds one subfolder per connector with the files under the names listed in each connector's `[verified]`
metadata (etl/sources/<connector>.toml). Without it the tests that need them are skipped, saying which file is missing.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

VARIABLE = "PSM_REAL_FILES_DIR"


def real_file(connector: str, name: str) -> Path:
    """The path of a real file, or a skip naming it when the folder or the file is not there."""
    folder = os.environ.get(VARIABLE)
    if not folder:
        pytest.skip(f"{VARIABLE} not set: {connector}/{name} is a real file that is not committed (licence)")
    path = Path(folder) / connector / name
    if not path.is_file():
        pytest.skip(f"real file absent: {path}")
    return path
