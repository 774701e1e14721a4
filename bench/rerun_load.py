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

BUDGET_RATIO = 1.5
# Visits of every page: its figure is the median of their p95s. With five, one run to the next moved a page by up
# to 0.6× the bare frame (bench/RESULTS.md); nine make that median steadier for about 40 s more.
ROUNDS = 9


@dataclass
class PageTimes:
    """Rerun seconds of one page, one list per visit (round); server CPU seconds of those reruns; exceptions."""

    visits: list[list[float]] = field(default_factory=list)
    cpu_seconds: float = 0.0
    exceptions: int = 0
    first_error: str = ""

    def p95(self) -> float:
        """The p95 of each visit, then the median over visits: a burst of load from other processes
        during one visit does not move it."""
        return report.median([report.percentile(v, 0.95) for v in self.visits])

    def cpu_per_rerun(self) -> float:
        """Server CPU seconds per filter change (a steadier figure than latency on a shared machine)."""
        return self.cpu_seconds / sum(len(v) for v in self.visits)


async def _on_page(sessions: list[BrowserSession], url_path: str, changes: int, times: PageTimes, pid: int) -> None:
    """All sessions switch to the page, then each changes filters `changes` times back to back (one visit)."""
    for run in await asyncio.gather(*(s.goto(url_path) for s in sessions)):
        times.exceptions += run.exceptions
        times.first_error = times.first_error or run.first_error
    visit: list[float] = []
    times.visits.append(visit)
    cpu_before = server.cpu_seconds(pid)

    async def viewer(session: BrowserSession) -> None:
        """One session's timed filter changes."""
        for _ in range(changes):
            run = await session.change_filter()
            visit.append(run.seconds)
            times.exceptions += run.exceptions
            times.first_error = times.first_error or run.first_error

    await asyncio.gather(*(viewer(s) for s in sessions))
    times.cpu_seconds += server.cpu_seconds(pid) - cpu_before


async def measure(ws_url: str, pid: int, sessions: int, changes: int, rounds: int,
                  seed: int = 5) -> dict[str, PageTimes]:
    """Rerun times per page url path (the bare frame included).

    Each round visits every page once, in a new order, with a few changes per session: short phases spread
    over the whole run, so a burst of load from other processes falls on all pages alike.
    """
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
                await _on_page(opened, url_path, changes, times[url_path], pid)
        return times
    finally:
        await asyncio.gather(*(s.__aexit__() for s in opened), return_exceptions=True)


def figures(times: dict[str, PageTimes]) -> list[report.Figure]:
    """One figure per page: its p95 rerun (median over visits) as a ratio of the bare frame's."""
    bare, bare_cpu = times[server.BARE_PAGE].p95(), times[server.BARE_PAGE].cpu_per_rerun()
    result = [report.Figure("rerun p95 bare frame", f"{report.ms(bare)} [server CPU {bare_cpu * 1000:.1f} ms/rerun]",
                            "reference")]
    for url_path, page in times.items():
        if url_path == server.BARE_PAGE:
            continue
        p95, cpu = page.p95(), page.cpu_per_rerun()
        ratio = p95 / bare
        note = f", {page.exceptions} exceptions, the first {page.first_error!r}" if page.exceptions else ""
        result.append(report.Figure(
            f"rerun p95 {url_path or 'home'}",
            f"{ratio:.2f}× bare [{report.ms(p95)}; server CPU {cpu / bare_cpu:.2f}× bare{note}]",
            f"≤ {BUDGET_RATIO:g}×", report.verdict(ratio <= BUDGET_RATIO and not page.exceptions)))
    return result


def run(quick: bool = False, sessions: int = 50, changes: int = 2, rounds: int = ROUNDS) -> list[report.Figure]:
    """Build a warehouse in a temp dir, serve the app, drive the load, return the figures."""
    if quick:
        sessions, changes, rounds = 2, 2, 1
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        folder = Path(tmp)
        server.build_warehouse(folder)
        with server.streamlit_server(folder) as (ws_url, proc):
            times = server.drive(measure(ws_url, proc.pid, sessions, changes, rounds), proc)
    return figures(times)


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/rerun_load.py [--quick] [--sessions N] [--changes N] [--rounds N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny load, to prove the harness works")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--changes", type=int, default=2, help="filter changes per session and page visit")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="visits of every page")
    args = parser.parse_args(argv)
    return report.emit(run(args.quick, args.sessions, args.changes, args.rounds))


if __name__ == "__main__":
    sys.exit(main())
