"""Benchmark fixtures: a warehouse built from the bundled data in a temp dir, and a Streamlit server on a free port."""
from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
import websockets

ROOT = Path(__file__).resolve().parent.parent
BARE_PAGE = "bench-bare"   # url path of the frame-only page app.py adds when PSM_BENCH_BARE=1
PUBLIC_START = ROOT / "deploy" / "start_public.sh"   # `python -m monitor.launcher` with the public settings


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def project_env(folder: Path, **extra: str) -> dict:
    """Environment pointing the app and the ETL at folder (never the default warehouse)."""
    env = {**os.environ, "PSM_WAREHOUSE": str(folder / "warehouse.duckdb"), "PSM_DATA_DIR": str(folder / "data"),
           "PSM_PUBLIC_WAREHOUSE": str(folder / "public" / "warehouse.duckdb"),
           "PSM_ACCOUNTS_FILE": str(folder / "data" / "accounts.toml"), "PSM_STATIC_DIR": str(folder / "static"),
           **extra}
    env.pop("PSM_MODE", None)
    return env


def build_warehouse(folder: Path) -> Path:
    """Build the warehouse from the bundled data into folder; return its path."""
    subprocess.run([sys.executable, "-m", "etl", "build"], cwd=ROOT, env=project_env(folder),
                   check=True, stdout=subprocess.DEVNULL)
    return folder / "warehouse.duckdb"


def publish_warehouse(folder: Path) -> Path:
    """Build into folder, then `python -m etl publish` (public copy, map files, full download); return the copy."""
    subprocess.run([sys.executable, "-m", "etl", "publish"], cwd=ROOT, env=project_env(folder),
                   check=True, stdout=subprocess.DEVNULL)
    return folder / "public" / "warehouse.duckdb"


@contextlib.contextmanager
def streamlit_server(folder: Path, options: dict[str, str] | None = None, public: bool = False,
                     extra_env: dict[str, str] | None = None):
    """Run the app through its launcher (bare page enabled) on a free port; yield (ws_url, process); stop it after.

    public: the public instance as deployed (deploy/start_public.sh: PSM_MODE=public, the public server settings,
    no source watching), reading the copy publish_warehouse() wrote; options are then not accepted.
    extra_env: more environment variables (e.g. STREAMLIT_* settings the start command does not set)."""
    port = free_port()
    env = project_env(folder, PSM_BENCH_BARE="1", **(extra_env or {}))
    if public:
        if options:
            raise ValueError("the public instance takes its settings from deploy/start_public.sh")
        command = ["sh", str(PUBLIC_START), str(port), "127.0.0.1"]
        env["PYTHON"] = sys.executable
    else:
        flags = [f"--{name}={value}" for name, value in (options or {}).items()]
        command = [sys.executable, "-m", "monitor.launcher", "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.headless", "true", *flags]
    proc = subprocess.Popen(command, cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(folder / "streamlit.log", "w"))
    try:
        _wait_healthy(port, proc)
        yield f"ws://127.0.0.1:{port}/_stcore/stream", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until the server answers its health check; fail if it exits or takes longer than timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Streamlit exited with code {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("Streamlit did not answer its health check")


def http_url(ws_url: str) -> str:
    """The app's base URL (http://host:port) from the websocket URL streamlit_server() yields."""
    return ws_url.replace("ws://", "http://", 1).split("/_stcore/", 1)[0]


def drive(coroutine, proc: subprocess.Popen):
    """Run a coroutine that talks to the server; a dropped connection says whether the server is gone."""
    try:
        return asyncio.run(coroutine)
    except (websockets.ConnectionClosed, ConnectionError) as exc:
        state = "still running" if proc.poll() is None else f"exited with code {proc.returncode}"
        raise RuntimeError(f"connection to Streamlit lost ({exc}); the server {state}") from exc


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")
