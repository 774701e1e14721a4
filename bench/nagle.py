"""Does TCP_NODELAY on the server's sockets (monitor/sockets.py) still pay? One viewer's reruns, server with and
without it, interleaved: median rerun time of the bare frame and of the home page."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, server
from bench.session import BrowserSession

HOME = ""   # the overview, the default page: the app's root URL
# The launcher, with monitor.sockets told that its work is already done (so app.py leaves Nagle on).
WITHOUT_NODELAY = ("import runpy, sys; import monitor.sockets as s; s._done = True; "
                   "sys.argv = ['monitor.launcher', *sys.argv[1:]]; runpy.run_module('monitor.launcher', run_name='__main__')")


@contextlib.contextmanager
def app_server(folder: Path, nodelay: bool):
    """The app on a free port, with or without TCP_NODELAY; yield its websocket URL."""
    port = server.free_port()
    start = [sys.executable, "-m", "monitor.launcher"] if nodelay else [sys.executable, "-c", WITHOUT_NODELAY]
    proc = subprocess.Popen([*start, "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true"], cwd=server.ROOT,
                            env=server.project_env(folder, PSM_BENCH_BARE="1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        server._wait_healthy(port, proc)
        yield f"ws://127.0.0.1:{port}/_stcore/stream"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def rerun_times(ws_url: str, url_path: str, reruns: int) -> list[float]:
    """One viewer opens url_path and changes its filters `reruns` times, one after the other."""
    async with BrowserSession(ws_url, url_path) as session:
        await session.load()
        await session.load()  # warm: caches filled
        return [(await session.change_filter()).seconds for _ in range(reruns)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server.build_warehouse(folder)
        with app_server(folder, True) as with_url, app_server(folder, False) as without_url:
            times = {(page, mode): [] for page in (server.BARE_PAGE, HOME) for mode in ("on", "off")}
            for _ in range(args.rounds):
                for page in (server.BARE_PAGE, HOME):
                    for mode, url in (("on", with_url), ("off", without_url)):
                        times[page, mode] += asyncio.run(rerun_times(url, page, args.reruns))
    for page in (server.BARE_PAGE, HOME):
        on, off = report.median(times[page, "on"]), report.median(times[page, "off"])
        print(f"rerun median {page or 'home'}: {on * 1000:.1f} ms with TCP_NODELAY, {off * 1000:.1f} ms without "
              f"({off / on:.2f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
