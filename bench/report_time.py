"""Report: time to build one territory report PDF (a zone and a comune) from a bundled-data warehouse."""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from bench import report, server

TERRITORIES = ("5", "001272")   # zone 5 (45 comuni on its map) and Torino


def time_report(db: Path, text: str, repeats: int) -> report.Figure:
    """Median seconds of building the report's content (the page's queries and formats) and of its PDF."""
    import streamlit.logger

    streamlit.logger.set_log_level("error")   # monitor's caches warn that no Streamlit server runs
    from monitor.report import content, pdf, territory as territories

    place = territories.parse(db, text)
    builds, renders, size, pages = [], [], 0, 0
    for _ in range(repeats):
        started = time.perf_counter()
        built = content.build(db, place, "it")
        middle = time.perf_counter()
        document = pdf.pdf_bytes(built)
        builds.append(middle - started)
        renders.append(time.perf_counter() - middle)
        size, pages = len(document), len(PdfReader(io.BytesIO(document)).pages)
    total = [b + r for b, r in zip(builds, renders)]
    return report.Figure(f"report pdf {text}",
                         f"{report.median(total):.2f} s [content {report.ms(report.median(builds))}, PDF "
                         f"{report.ms(report.median(renders))}, {pages} pages, {size / 1000:.0f} KB; median of "
                         f"{repeats}]", "none, reported", report.OK)


def run(quick: bool = False, repeats: int = 7) -> list[report.Figure]:
    """Build a warehouse from the bundled data in a temp dir, then time the report of each territory."""
    if quick:
        repeats = 1
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        db = server.build_warehouse(Path(tmp))
        return [time_report(db, text, repeats) for text in TERRITORIES]


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/report_time.py [--quick] [--repeats N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    return report.emit(run(args.quick, args.repeats))


if __name__ == "__main__":
    sys.exit(main())
