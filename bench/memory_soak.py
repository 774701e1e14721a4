"""Memory soak: the server's resident memory after 10,000 reruns against the memory after 100 (GC after runs is off)."""
from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, server
from bench.session import BrowserSession

BUDGET_RATIO = 1.2


async def _rerun_until(sessions: list[BrowserSession], pages: list[str], done: list[int], target: int) -> None:
    """Each session walks the pages (switch, then change filters) until `target` reruns were made in all."""
    async def viewer(session: BrowserSession, start: int) -> None:
        for url_path in itertools.islice(itertools.cycle(pages), start, None):
            for step in range(3):
                if done[0] >= target:
                    return
                done[0] += 1
                await (session.goto(url_path) if step == 0 else session.change_filter())

    await asyncio.gather(*(viewer(s, i) for i, s in enumerate(sessions)))


async def soak(ws_url: str, pid: int, sessions: int, early: int, late: int) -> tuple[int, int]:
    """Resident bytes of the server after `early` and after `late` reruns."""
    opened = [BrowserSession(ws_url, "") for _ in range(sessions)]
    await asyncio.gather(*(s.__aenter__() for s in opened))
    try:
        await asyncio.gather(*(s.load() for s in opened))
        pages = list(opened[0].pages)
        done = [len(opened)]
        await _rerun_until(opened, pages, done, early)
        rss_early = server.rss_bytes(pid)
        await _rerun_until(opened, pages, done, late)
        return rss_early, server.rss_bytes(pid)
    finally:
        await asyncio.gather(*(s.__aexit__() for s in opened), return_exceptions=True)


def run(quick: bool = False, sessions: int = 10, early: int = 100, late: int = 10_000) -> list[report.Figure]:
    """Serve the app on a temp warehouse, rerun its pages, return the memory ratio."""
    if quick:
        sessions, early, late = 2, 10, 40
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        folder = Path(tmp)
        server.build_warehouse(folder)
        with server.streamlit_server(folder) as (ws_url, proc):
            rss_early, rss_late = server.drive(soak(ws_url, proc.pid, sessions, early, late), proc)
    ratio = rss_late / rss_early
    return [report.Figure(f"memory after {late:,} reruns", f"{ratio:.2f}× after {early:,} "
                          f"[{rss_late / 2**20:.0f} MB vs {rss_early / 2**20:.0f} MB]",
                          f"≤ {BUDGET_RATIO:g}×", report.verdict(ratio <= BUDGET_RATIO))]


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/memory_soak.py [--quick] [--sessions N] [--reruns N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few reruns, to prove the harness works")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--reruns", type=int, default=10_000)
    args = parser.parse_args(argv)
    return report.emit(run(args.quick, args.sessions, late=args.reruns))


if __name__ == "__main__":
    sys.exit(main())
