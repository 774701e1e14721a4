"""Run every benchmark and print `name: value (budget …) ok|over`; exit 1 when a budget is missed, 2 on a failure."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (build_time, cold_view, map_payload, memory_soak, query_scale, report, report_time, rerun_load,
                   session_memory, upload_check)

# name -> module with run(quick) -> list[report.Figure], in the order they run.
BENCHMARKS = {
    "rerun": rerun_load,
    "cold": cold_view,
    "sessions": session_memory,
    "queries": query_scale,
    "payload": map_payload,
    "upload": upload_check,
    "build": build_time,
    "report": report_time,
    "soak": memory_soak,
}


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/run.py [--quick] [--skip-soak] [--only NAME ...] [--explain]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: proves the harness works, figures mean nothing")
    parser.add_argument("--skip-soak", action="store_true", help="leave out the memory soak (10,000 reruns, minutes)")
    parser.add_argument("--only", action="append", choices=list(BENCHMARKS), help="run only these benchmarks")
    parser.add_argument("--explain", action="store_true", help="cold view: also print where the time of each view goes")
    args = parser.parse_args(argv)
    chosen = [n for n in BENCHMARKS if (not args.only or n in args.only) and not (n == "soak" and args.skip_soak)]
    missed = failed = False
    for name in chosen:
        os.sync()   # the gigabytes an earlier benchmark wrote are flushed now, not written back during these timings
        try:
            options = {"show_explain": args.explain} if name == "cold" else {}
            figures = BENCHMARKS[name].run(quick=args.quick, **options)
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
            print(f"{name}: failed", flush=True)
            traceback.print_exc()
            failed = True
            continue
        missed = bool(report.emit(figures)) or missed
    return 2 if failed else 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
