"""Memory per open session: the public server's resident memory with 100 idle sessions on the home page, minus
without them, against the same for the bare frame; and what is left once they have closed."""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, server
from bench.session import BrowserSession

BUDGET_RATIO = 2.0       # the home page's memory per session against the bare frame's
BUDGET_LEFT = 0.10       # resident memory after the sessions closed, above the memory before they opened
# Closed sessions are kept for a reconnection (server.disconnectedSessionTTL, 120 s by default, at most 128 of
# them) and dropped at the next change after that; the benchmark shortens the wait, not what is dropped.
SESSION_TTL_SECONDS = 2
TARGETS = {"bare frame": server.BARE_PAGE, "home": ""}


@dataclass
class Held:
    """Resident bytes of the server before the sessions opened, with them open, after they closed, and with as
    many new sessions open again (memory given back for reuse does not grow the server a second time)."""

    before: int
    open: int
    after: int
    reopened: int

    def per_session(self, sessions: int) -> float:
        """Bytes per open session."""
        return (self.open - self.before) / sessions

    def left(self) -> float:
        """Resident memory after closing, above the memory before opening, as a share of it."""
        return self.after / self.before - 1


async def _open(ws_url: str, url_path: str, count: int) -> list[BrowserSession]:
    """count sessions, each having run url_path once (as a browser tab that opened it and stays idle)."""
    sessions = [BrowserSession(ws_url, url_path) for _ in range(count)]
    await asyncio.gather(*(s.__aenter__() for s in sessions))
    for start in range(0, count, 10):   # ten at a time, as tabs opening over a few seconds
        await asyncio.gather(*(s.load() for s in sessions[start:start + 10]))
    return sessions


async def _close(sessions: list[BrowserSession]) -> None:
    """Close the sessions' websockets."""
    await asyncio.gather(*(s.__aexit__() for s in sessions), return_exceptions=True)


async def _settled_rss(pid: int, seconds: float = 1.5) -> int:
    """Resident bytes after a pause (messages sent, threads ended)."""
    await asyncio.sleep(seconds)
    return server.rss_bytes(pid)


async def hold(ws_url: str, pid: int, url_path: str, count: int) -> Held:
    """Warm the page up (caches, imports), then open `count` idle sessions on it, then close them."""
    await _close(await _open(ws_url, url_path, 2))
    before = await _settled_rss(pid, SESSION_TTL_SECONDS + 1.5)
    await _close(await _open(ws_url, url_path, 1))   # a change of the stored sessions drops the expired ones
    before = min(before, await _settled_rss(pid))
    sessions = await _open(ws_url, url_path, count)
    opened = await _settled_rss(pid)
    await _close(sessions)
    await asyncio.sleep(SESSION_TTL_SECONDS + 1)
    await _close(await _open(ws_url, url_path, 1))   # drops the expired sessions
    after = await _settled_rss(pid)
    sessions = await _open(ws_url, url_path, count)
    reopened = await _settled_rss(pid)
    await _close(sessions)
    return Held(before, opened, after, reopened)


def measure(folder: Path, url_path: str, count: int) -> Held:
    """One target on a new public server (so no target inherits another's freed memory)."""
    options_env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_SECONDS)}
    with server.streamlit_server(folder, public=True, extra_env=options_env) as (ws_url, proc):
        return server.drive(hold(ws_url, proc.pid, url_path, count), proc)


def figures(held: dict[str, list[Held]], count: int) -> list[report.Figure]:
    """Per-session memory of the home page against the bare frame's; memory left after closing, per target."""
    per = {name: report.median([h.per_session(count) for h in runs]) for name, runs in held.items()}
    ratio = per["home"] / per["bare frame"] if per["bare frame"] > 0 else float("inf")
    result = [report.Figure(
        "memory per session", f"{ratio:.2f}× bare [home {per['home'] / 1024:.0f} KB, bare frame "
                              f"{per['bare frame'] / 1024:.0f} KB per idle session; {count} sessions, "
                              f"{len(held['home'])} servers each]",
        f"≤ {BUDGET_RATIO:g}×", report.verdict(ratio <= BUDGET_RATIO))]
    for name, runs in held.items():
        left = max(h.left() for h in runs)
        worst = max(runs, key=Held.left)
        result.append(report.Figure(
            f"memory after {count} sessions closed {name}",
            f"{left * 100:+.1f}% [{worst.after / 2**20:.1f} MB vs {worst.before / 2**20:.1f} MB before, "
            f"{worst.open / 2**20:.1f} MB open; {count} new sessions then {worst.reopened / 2**20:.1f} MB]",
            f"≤ +{BUDGET_LEFT * 100:.0f}%", report.verdict(left <= BUDGET_LEFT)))
    return result


def run(quick: bool = False, sessions: int = 100, repeats: int = 2) -> list[report.Figure]:
    """Publish a bundled-data warehouse in a temp dir; per target and repeat, a new public server holding sessions."""
    if quick:
        sessions, repeats = 5, 1
    held: dict[str, list[Held]] = {name: [] for name in TARGETS}
    with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
        folder = Path(tmp)
        server.publish_warehouse(folder)
        for _ in range(repeats):
            for name, url_path in TARGETS.items():
                held[name].append(measure(folder, url_path, sessions))
    return figures(held, sessions)


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/session_memory.py [--quick] [--sessions N] [--repeats N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="five sessions, to prove the harness works")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=2, help="servers per target, alternated")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    code = report.emit(run(args.quick, args.sessions, args.repeats))
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
