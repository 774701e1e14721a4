"""Payload: bytes the server sends per rerun of a page after its first run, with the browser's message cache."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, server
from bench.session import BrowserSession

BUDGET_BYTES = 50 * 1024
PAGES = ("servizi", "")   # the map page and the home page; any url path of the app works


async def payloads(ws_url: str, url_path: str, changes: int) -> tuple[int, list[int]] | None:
    """Bytes of the first run and of each following filter change; None when the app has no such page."""
    async with BrowserSession(ws_url, "") as session:
        await session.load()
        if url_path not in session.pages:
            return None
        first = await session.goto(url_path)
        return first.bytes, [(await session.change_filter()).bytes for _ in range(changes)]


def figure(url_path: str, measured: tuple[int, list[int]] | None) -> report.Figure:
    """The worst rerun after the first, against the budget."""
    name = f"payload per rerun {url_path or 'home'}"
    if measured is None:
        return report.Figure(name, "page not in the app's navigation", status=report.NOT_AVAILABLE)
    first, later = measured
    worst = max(later)
    return report.Figure(name, f"{worst / 1024:.1f} KB max [mean {sum(later) / len(later) / 1024:.1f} KB, "
                               f"first run {first / 1024:.1f} KB]",
                         f"≤ {BUDGET_BYTES // 1024} KB", report.verdict(worst <= BUDGET_BYTES))


def run(quick: bool = False, pages: tuple[str, ...] = PAGES, changes: int = 12) -> list[report.Figure]:
    """Serve the app on a temp warehouse and measure each page's payload."""
    if quick:
        changes = 2
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        folder = Path(tmp)
        server.build_warehouse(folder)
        with server.streamlit_server(folder) as (ws_url, proc):
            return [figure(p, server.drive(payloads(ws_url, p, changes), proc)) for p in pages]


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/map_payload.py [--quick] [--page URL_PATH ...]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="two reruns, to prove the harness works")
    parser.add_argument("--page", action="append", help="url path of a page ('' = home); default: servizi and home")
    args = parser.parse_args(argv)
    return report.emit(run(args.quick, tuple(args.page) if args.page else PAGES))


if __name__ == "__main__":
    sys.exit(main())
