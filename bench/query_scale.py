"""Queries at 100× scale: every page query on a synthetic national warehouse, against pandas on its CSV export."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import pandas_baseline, report, synthetic_warehouse
from monitor import queries

BUDGET_SHARE = 1 / 20
EQUIVALENT_CSV = "observation"   # the table that grows with scale; every baseline reads it
SLOW_SECONDS = 1.0


def time_queries(warehouse: Path, seconds: dict[str, list[float]], repeats: int) -> None:
    """Run each PAGE_QUERIES entry through monitor.queries up to `repeats` times, appending the seconds;
    a query slower than SLOW_SECONDS runs once, and not again once timed (it is far from any budget)."""
    for name, args in queries.PAGE_QUERIES.items():
        if any(t > SLOW_SECONDS for t in seconds[name]):
            continue
        for _ in range(repeats):
            started = time.perf_counter()
            getattr(queries, name)(warehouse, *args)
            seconds[name].append(time.perf_counter() - started)
            if seconds[name][-1] > SLOW_SECONDS:
                break


def baselines(warehouse: Path, tables: pandas_baseline.CsvTables) -> dict[str, tuple[float, str]]:
    """Per query: pandas seconds (CSV reads + filtering) and how it was computed ('exact', 'generic', 'differs')."""
    tables.get(EQUIVALENT_CSV)
    result = {}
    for name, args in queries.PAGE_QUERIES.items():
        equivalent = pandas_baseline.EQUIVALENTS.get(name)
        if equivalent is None:
            result[name] = (tables.read_seconds[EQUIVALENT_CSV], "generic")
            continue
        tables.used = set()
        equivalent(tables, *args)            # first call reads the CSVs it needs (timed per table)
        started = time.perf_counter()
        answer = equivalent(tables, *args)   # second call: the filtering alone
        filtering = time.perf_counter() - started
        reads = sum(tables.read_seconds[t] for t in tables.used | {EQUIVALENT_CSV})
        same = pandas_baseline.same_answer(getattr(queries, name)(warehouse, *args), answer)
        result[name] = (reads + filtering, "exact" if same else "differs")
    return result


def figures(seconds: dict[str, list[float]], baseline: dict[str, tuple[float, str]]) -> list[report.Figure]:
    """One figure per query: its median time as a share of the pandas baseline."""
    result = []
    for name, times in seconds.items():
        query, (pandas, kind) = report.median(times), baseline[name]
        share = query / pandas
        relation = f"1/{1 / share:.0f} of pandas" if share <= 0.5 else f"{share:.2f}× pandas"
        result.append(report.Figure(
            f"query {name}", f"{relation} [{report.ms(query)} vs {pandas:.2f} s, {kind} baseline]",
            f"≤ 1/{1 / BUDGET_SHARE:.0f}", report.verdict(share <= BUDGET_SHARE and kind != "differs")))
    return result


def run(quick: bool = False, comuni: int = 7_900, years: int = 20, indicators: int = 30,
        repeats: int = 3) -> list[report.Figure]:
    """Generate the synthetic warehouse and its CSV export in a temp dir, time both sides, return the figures."""
    if quick:
        comuni, years, repeats = 400, 3, 1
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        folder = Path(tmp)
        warehouse = synthetic_warehouse.generate(folder, comuni, years, indicators)
        tables = pandas_baseline.CsvTables(synthetic_warehouse.export_csv(warehouse, folder / "csv"))
        seconds: dict[str, list[float]] = {name: [] for name in queries.PAGE_QUERIES}
        time_queries(warehouse, seconds, repeats)      # before and after the baseline, to share the noise
        baseline = baselines(warehouse, tables)
        del tables
        time_queries(warehouse, seconds, repeats)
    return figures(seconds, baseline)


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/query_scale.py [--quick] [--comuni N] [--years N] [--indicators N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small warehouse, to prove the harness works")
    parser.add_argument("--comuni", type=int, default=7_900)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=30)
    args = parser.parse_args(argv)
    return report.emit(run(args.quick, args.comuni, args.years, args.indicators))


if __name__ == "__main__":
    sys.exit(main())
