"""Upload: validate and diff a 100,000-row indicator CSV, against pandas.read_csv of the same file."""
from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from bench import report, server
from etl import reference

BUDGET_RATIO = 5.0
COLUMNS = ["indicator_code", "level", "territory_code", "period", "sex", "value", "numerator", "denominator", "note"]


def _indicator_rows(indicator, codes: list[str], year: int) -> list[list]:
    """Rows of one indicator and year for every comune: F, M and T = F + M (or T only), consistent ratios."""
    rows = []
    for n, code in enumerate(codes):
        parts = {}
        for sex, share in (("F", 0.3 + (n % 7) / 20), ("M", 0.2 + (n % 5) / 20)):
            denominator = 1000 + (n * 37 + year) % 900
            parts[sex] = (round(denominator * share), denominator)
        parts["T"] = (parts["F"][0] + parts["M"][0], parts["F"][1] + parts["M"][1])
        for sex in ("F", "M", "T") if indicator.by_sex == "1" else ("T",):
            numerator, denominator = parts[sex]
            if indicator.aggregation == "sum":
                rows.append([indicator.code, "comune", code, year, sex, str(numerator), numerator, None, None])
            else:
                value = f"{float(indicator.scale) * numerator / denominator:.{indicator.decimals}f}".replace(".", ",")
                rows.append([indicator.code, "comune", code, year, sex, value, numerator, denominator, None])
    return rows


def upload_csv(rows: int = 100_000, last_year: int = 2024) -> bytes:
    """A valid indicator upload in the template's dialect (semicolons, decimal comma) with `rows` comune rows."""
    indicators = reference.load_indicators()
    usable = indicators[indicators["comune_kind"].eq("value") & indicators["aggregation"].isin(["ratio", "sum"])]
    codes = sorted(reference.read_csv_text(reference.ZONE_FILE)["codice_istat"])
    table: list[list] = []
    year = last_year
    while len(table) < rows:
        for indicator in usable.astype(str).itertuples(index=False):
            table.extend(_indicator_rows(indicator, codes, year))
        year -= 1
    frame = pd.DataFrame(table[:rows], columns=COLUMNS).astype({"numerator": "Int64", "denominator": "Int64"})
    return frame.to_csv(sep=";", index=False).encode("utf-8")


NOTE = "dato provvisorio – è una stima, da rivedere"   # text beyond ASCII, with spaces, in every row


def with_notes(raw: bytes) -> bytes:
    """The same file with a note in every row (the last column, empty in upload_csv)."""
    header, *lines = raw.split(b"\n")
    return b"\n".join([header] + [line + NOTE.encode("utf-8") if line else line for line in lines])


def _interleaved(raw: bytes, warehouse: Path, repeats: int) -> tuple[list[float], list[float], object]:
    """(read_csv times, validate + diff times, the last validation report), the two alternated."""
    from etl.uploads.diff import diff_against_published
    from etl.uploads.validate import validate_file

    baseline, candidate, checked = [], [], None
    for _ in range(repeats):
        started = time.perf_counter()
        pd.read_csv(io.BytesIO(raw), sep=";", decimal=",")
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        checked = validate_file(raw, "bench_indicators.csv", kind=None)
        if checked.parsed is not None:
            diff_against_published(checked.parsed, warehouse)
        candidate.append(time.perf_counter() - started)
    return baseline, candidate, checked


def _timing(baseline: list[float], candidate: list[float]) -> tuple[float, str]:
    """The median of the ratios of each pair (measured one right after the other, so a slow spell of the shared
    machine weighs on both), and the figure's text with the median times."""
    ratio = report.median([c / b for b, c in zip(baseline, candidate)])
    return ratio, (f"{ratio:.1f}× read_csv [{report.ms(report.median(candidate))} vs "
                   f"{report.ms(report.median(baseline))}, median of {len(baseline)} pairs]")


def run(quick: bool = False, rows: int = 100_000, repeats: int = 15) -> list[report.Figure]:
    """The figures, measured in a new interpreter (python -m bench.upload_check --worker ROWS REPEATS), so that
    the heap the run's earlier benchmarks leave in this process (gigabytes after the query baseline) weighs on
    neither side."""
    if quick:
        rows, repeats = 2_000, 1
    os.sync()       # files written just before (a build, an export) are not written back during the timings
    worker = subprocess.run([sys.executable, "-m", "bench.upload_check", "--worker", str(rows), str(repeats)],
                            cwd=server.ROOT, capture_output=True, text=True, check=False)
    if worker.returncode != 0:
        raise RuntimeError(f"upload worker failed:\n{worker.stderr[-3000:]}")
    return [report.Figure(**figure) for figure in json.loads(worker.stdout.strip().splitlines()[-1])]


def measure(rows: int, repeats: int) -> list[report.Figure]:
    """Time validate + diff and pandas.read_csv on the same file, interleaved; return the ratio."""
    try:
        from etl.uploads.diff import _published_observations, diff_against_published, published_observations
        from etl.uploads.validate import validate_file
    except ImportError:
        return [report.Figure("upload", "", status=report.NOT_AVAILABLE)]
    raw = upload_csv(rows)
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        warehouse = server.build_warehouse(Path(tmp))
        # One-time loads left out: imports, the registry, and the published rows of this warehouse version, which
        # the first preview after each build reads once (timed apart below).
        warm = b"\n".join(raw.split(b"\n")[:100]) + b"\n"
        pd.read_csv(io.BytesIO(warm), sep=";", decimal=",")
        diff_against_published(validate_file(warm, "warm.csv", kind=None).parsed, warehouse)
        first_reads = []
        for _ in range(repeats):
            _published_observations.cache_clear()
            started = time.perf_counter()
            published_observations(warehouse)
            first_reads.append(time.perf_counter() - started)
        baseline, candidate, checked = _interleaved(raw, warehouse, repeats)
        noted = _interleaved(with_notes(raw), warehouse, max(1, repeats // 2))
    name = f"upload validate+diff {rows:,} rows"
    for report_, label in ((checked, name), (noted[2], name + " with notes")):
        if report_.parsed is None:
            first = report_.problems.head(1).to_dict("records")
            return [report.Figure(label, f"file refused: {first}", f"≤ {BUDGET_RATIO:g}× read_csv", report.OVER)]
    ratio, text = _timing(baseline, candidate)
    _noted_ratio, noted_text = _timing(*noted[:2])
    return [report.Figure(name, text, f"≤ {BUDGET_RATIO:g}× read_csv", report.verdict(ratio <= BUDGET_RATIO)),
            report.Figure(name + " with a note in every row", noted_text + " (text beyond ASCII: the slower paths)",
                          "none, reported", report.OK),
            report.Figure("upload first preview after a build", f"+{report.ms(report.median(first_reads))} "
                          "(the published rows read once per warehouse version)", "none, reported", report.OK)]


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/upload_check.py [--quick] [--rows N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small file, to prove the harness works")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--worker", nargs=2, type=int, metavar=("ROWS", "REPEATS"),
                        help="measure in this process and print the figures as JSON (what run() starts)")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps([dataclasses.asdict(figure) for figure in measure(*args.worker)]))
        return 0
    return report.emit(run(args.quick, args.rows))


if __name__ == "__main__":
    sys.exit(main())
