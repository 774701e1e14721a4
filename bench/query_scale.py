"""Queries at 100× scale on a synthetic national warehouse, against pandas on its CSV export; the full download too."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import pandas_baseline, query_worker, report, server, synthetic_warehouse
from monitor import queries

BUDGET_SHARE = 1 / 20
EQUIVALENT_CSV = "observation"   # the table that grows with scale; every baseline reads it
MEMORY_CAP_GB = 4.0              # a query process above this resident size is stopped (the machine is shared)


def _watch(proc: subprocess.Popen, cap_bytes: int, stopped: list[bool]) -> None:
    """Kill the worker when its resident memory passes the cap."""
    while proc.poll() is None:
        try:
            if server.rss_bytes(proc.pid) > cap_bytes:
                stopped[0] = True
                proc.kill()
                return
        except (OSError, RuntimeError):
            return
        time.sleep(0.05)


def time_queries(warehouse: Path, seconds: dict[str, list[float]], capped: set[str], repeats: int,
                 cap_bytes: int) -> None:
    """Time the page queries in worker processes (a new one after a stop); append seconds, note the capped."""
    pending = [n for n in queries.PAGE_QUERIES
               if n not in capped and not any(t > query_worker.SLOW_SECONDS for t in seconds[n])]
    while pending:
        errors = tempfile.TemporaryFile("w+")
        proc = subprocess.Popen([sys.executable, "-m", "bench.query_worker", str(warehouse), str(repeats), *pending],
                                cwd=server.ROOT, stdout=subprocess.PIPE, stderr=errors, text=True)
        stopped = [False]
        watcher = threading.Thread(target=_watch, args=(proc, cap_bytes, stopped), daemon=True)
        watcher.start()
        for line in proc.stdout:
            done = json.loads(line)
            seconds[done["name"]].extend(done["seconds"])
            pending.remove(done["name"])
        proc.wait()
        watcher.join()
        if pending and not stopped[0]:
            errors.seek(0)
            raise RuntimeError(f"query worker exited with code {proc.returncode} at {pending[0]}:\n"
                               + errors.read()[-2000:])
        errors.close()
        if pending:
            capped.add(pending.pop(0))


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


def pandas_export_seconds(tables: pandas_baseline.CsvTables, folder: Path) -> float:
    """Seconds pandas takes to read the observation CSV and write the same rows back to a CSV file."""
    frame = tables.get(EQUIVALENT_CSV)
    target = folder / "pandas_export.csv"
    started = time.perf_counter()
    frame.to_csv(target, index=False)
    seconds = time.perf_counter() - started
    target.unlink()
    return tables.read_seconds[EQUIVALENT_CSV] + seconds


def time_export(warehouse: Path, folder: Path, cap_bytes: int) -> dict | None:
    """Write the full download in a worker process; its JSON report, or None when it passed the memory cap."""
    errors = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-m", "bench.export_worker", str(warehouse), str(folder)],
                            cwd=server.ROOT, stdout=subprocess.PIPE, stderr=errors, text=True)
    stopped = [False]
    watcher = threading.Thread(target=_watch, args=(proc, cap_bytes, stopped), daemon=True)
    watcher.start()
    output = proc.stdout.read()
    proc.wait()
    watcher.join()
    if stopped[0]:
        return None
    if proc.returncode:
        errors.seek(0)
        raise RuntimeError(f"export worker exited with code {proc.returncode}:\n" + errors.read()[-2000:])
    return json.loads(output)


def export_figure(done: dict | None, pandas: float, cap_gb: float) -> report.Figure:
    """The full download's time as a share of pandas reading and writing the same rows, with its peak memory."""
    name, budget = "export full download at 100×", "none, reported"
    if done is None:
        return report.Figure(name, f"stopped above {cap_gb:g} GB resident [pandas {pandas:.1f} s]", budget, report.OK)
    share = done["seconds"] / pandas
    relation = f"1/{1 / share:.0f} of pandas" if share <= 0.5 else f"{share:.2f}× pandas"
    return report.Figure(name, f"{done['seconds']:.1f} s, {relation} [read_csv + to_csv of the same rows {pandas:.1f} s], "
                               f"peak RSS {done['peak_rss_bytes'] / 2**20:.0f} MB, ZIP {done['zip_bytes'] / 2**20:.0f} MB",
                         budget, report.OK)


def figure(name: str, times: list[float], baseline: tuple[float, str], cap_gb: float | None) -> report.Figure:
    """A query's median time as a share of its pandas baseline (over when it passed the memory cap)."""
    pandas, kind = baseline
    budget = f"≤ 1/{1 / BUDGET_SHARE:.0f}"
    if cap_gb is not None:
        return report.Figure(f"query {name}", f"stopped above {cap_gb:g} GB resident [pandas {pandas:.2f} s, "
                                              f"{kind} baseline]", budget, report.OVER)
    query = report.median(times)
    share = query / pandas
    relation = f"1/{1 / share:.0f} of pandas" if share <= 0.5 else f"{share:.2f}× pandas"
    return report.Figure(f"query {name}", f"{relation} [{report.ms(query)} vs {pandas:.2f} s, {kind} baseline]",
                         budget, report.verdict(share <= BUDGET_SHARE and kind != "differs"))


def run(quick: bool = False, comuni: int = 7_900, years: int = 20, indicators: int = 30, repeats: int = 3,
        cap_gb: float = MEMORY_CAP_GB) -> list[report.Figure]:
    """Generate the synthetic warehouse and its CSV export in a temp dir, time both sides, return the figures."""
    if quick:
        comuni, years, repeats = 400, 3, 1
    seconds: dict[str, list[float]] = {name: [] for name in queries.PAGE_QUERIES}
    capped: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        folder = Path(tmp)
        warehouse = synthetic_warehouse.generate(folder, comuni, years, indicators)
        tables = pandas_baseline.CsvTables(synthetic_warehouse.export_csv(warehouse, folder / "csv"))
        cap_bytes = int(cap_gb * 2**30)
        time_queries(warehouse, seconds, capped, repeats, cap_bytes)   # before and after the baseline
        baseline = baselines(warehouse, tables)
        pandas_export = pandas_export_seconds(tables, folder)
        del tables
        time_queries(warehouse, seconds, capped, repeats, cap_bytes)
        export = time_export(warehouse, folder / "downloads", cap_bytes)
    return ([figure(n, seconds[n], baseline[n], cap_gb if n in capped else None) for n in queries.PAGE_QUERIES]
            + [export_figure(export, pandas_export, cap_gb)])


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/query_scale.py [--quick] [--comuni N] [--years N] [--indicators N] [--cap-gb G]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small warehouse, to prove the harness works")
    parser.add_argument("--comuni", type=int, default=7_900)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--cap-gb", type=float, default=MEMORY_CAP_GB, help="memory cap of a query process")
    args = parser.parse_args(argv)
    return report.emit(run(args.quick, args.comuni, args.years, args.indicators, cap_gb=args.cap_gb))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
