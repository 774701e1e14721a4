"""Child process of the query benchmark: time page queries one after another, printing a JSON line for each.

Usage: python -m bench.query_worker WAREHOUSE REPEATS NAME [NAME ...]. The parent watches this process's memory
and stops it when a query needs too much, so one query cannot exhaust a shared machine.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from monitor import queries

SLOW_SECONDS = 1.0   # a query this slow runs once: it is far from any budget and repeating it costs minutes


def time_query(warehouse: Path, name: str, repeats: int) -> list[float]:
    """Seconds of each run of monitor.queries.<name>(warehouse, *PAGE_QUERIES[name])."""
    args = queries.PAGE_QUERIES[name]
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        getattr(queries, name)(warehouse, *args)
        seconds.append(time.perf_counter() - started)
        if seconds[-1] > SLOW_SECONDS:
            break
    return seconds


def main(argv: list[str]) -> int:
    """Time each named query and print {"name": ..., "seconds": [...]} as it finishes."""
    warehouse, repeats, names = Path(argv[0]), int(argv[1]), argv[2:]
    for name in names:
        print(json.dumps({"name": name, "seconds": time_query(warehouse, name, repeats)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
