"""Page rerun under load: concurrent browser sessions change filters on every page; p95 against the bare frame's."""
from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, server
from bench.session import BrowserSession

BUDGET_RATIO = 2.0


@dataclass
class PageTimes:
    """Rerun seconds of one page over every round, and the exceptions its runs showed."""

    seconds: list[float] = field(default_factory=list)
    exceptions: int = 0


async def _on_page(sessions: list[BrowserSession], url_path: str, changes: int, times: PageTimes) -> None:
    """All sessions switch to the page, then each changes filters `changes` times back to back."""
    for run in await asyncio.gather(*(s.goto(url_path) for s in sessions)):
        times.exceptions += run.exceptions

    async def viewer(session: BrowserSession) -> None:
        for _ in range(changes):
            run = await session.change_filter()
            times.seconds.append(run.seconds)
            times.exceptions += run.exceptions

    await asyncio.gather(*(viewer(s) for s in sessions))


async def measure(ws_url: str, sessions: int, changes: int, rounds: int, seed: int = 5) -> dict[str, PageTimes]:
    """Rerun times per page url path (the bare frame included), pages visited in a new order each round."""
    opened = [BrowserSession(ws_url, "") for _ in range(sessions)]
    await asyncio.gather(*(s.__aenter__() for s in opened))
    try:
        await asyncio.gather(*(s.load() for s in opened))
        pages = list(opened[0].pages)
        if server.BARE_PAGE not in pages:
            raise RuntimeError("bare page missing: app.py adds it when PSM_BENCH_BARE=1")
        times = {p: PageTimes() for p in pages}
        order = random.Random(seed)
        for _ in range(rounds):
            for url_path in order.sample(pages, len(pages)):
                await _on_page(opened, url_path, changes, times[url_path])
        return times
    finally:
        await asyncio.gather(*(s.__aexit__() for s in opened), return_exceptions=True)


def figures(times: dict[str, PageTimes]) -> list[report.Figure]:
    """One figure per page: its p95 rerun as a ratio of the bare frame's p95."""
    bare = report.percentile(times[server.BARE_PAGE].seconds, 0.95)
    result = [report.Figure("rerun p95 bare frame", report.ms(bare), "reference")]
    for url_path, page in times.items():
        if url_path == server.BARE_PAGE:
            continue
        p95 = report.percentile(page.seconds, 0.95)
        ratio = p95 / bare
        note = f", {page.exceptions} exceptions" if page.exceptions else ""
        result.append(report.Figure(
            f"rerun p95 {url_path or 'home'}", f"{ratio:.2f}× bare [{report.ms(p95)}{note}]",
            f"≤ {BUDGET_RATIO:g}×", report.verdict(ratio <= BUDGET_RATIO and not page.exceptions)))
    return result


def run(quick: bool = False, sessions: int = 50, changes: int = 4, rounds: int = 2) -> list[report.Figure]:
    """Build a warehouse in a temp dir, serve the app, drive the load, return the figures."""
    if quick:
        sessions, changes, rounds = 2, 2, 1
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        folder = Path(tmp)
        server.build_warehouse(folder)
        with server.streamlit_server(folder) as (ws_url, proc):
            times = server.drive(measure(ws_url, sessions, changes, rounds), proc)
    return figures(times)


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/rerun_load.py [--quick] [--sessions N] [--changes N] [--rounds N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny load, to prove the harness works")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--changes", type=int, default=4, help="filter changes per session and page")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    return report.emit(run(args.quick, args.sessions, args.changes, args.rounds))


if __name__ == "__main__":
    sys.exit(main())
