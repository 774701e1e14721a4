#!/usr/bin/env python3
"""Start N public replicas and nginx on loopback with deploy/nginx/psm-public.conf, check each answers, stop all.

usage: python deploy/run_replicas.py [--replicas 2] [--keep]
Needs the published copy (`python -m etl publish`) and Debian's nginx. Exit 0 when every replica answers
through nginx, 1 when a check fails, 2 when something needed is missing. --keep serves until Ctrl-C.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import probes

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
SITE_CONF = DEPLOY / "nginx" / "psm-public.conf"
HOST = probes.HOST


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _replace_once(text: str, pattern: str, new: str) -> str:
    """Replace the one match of pattern in the site file's text; anything else means the file changed shape."""
    result, count = re.subn(pattern, lambda _: new, text)
    if count != 1:
        raise ValueError(f"{SITE_CONF.name}: expected exactly one match of {pattern!r}, found {count}")
    return result


def render_config(prefix: Path, port: int, replica_ports: list[int]) -> str:
    """nginx.conf for a loopback run: the site file with our ports and paths, inside a minimal main context."""
    site = SITE_CONF.read_text(encoding="utf-8")
    site = _replace_once(site, r"(?:    server 127\.0\.0\.1:\d+;\n)+", "".join(f"    server {HOST}:{p};\n" for p in replica_ports))
    site = _replace_once(site, r"listen 80;", f"listen {HOST}:{port};")
    site = _replace_once(site, r"/var/log/nginx/psm-public\.access\.log", str(prefix / "access.log"))
    temp_paths = "".join(f"    {kind}_temp_path {prefix / 'tmp' / kind};\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
            f"events {{ worker_connections 256; }}\nhttp {{\n{temp_paths}{site}}}\n")


def answers(port: int, proc: subprocess.Popen, path: str, deadline: float) -> bool:
    """Wait until the server on port answers path with 200; False at the deadline or as soon as proc has exited."""
    while time.time() < deadline and proc.poll() is None:
        try:
            if probes.request(port, path, HOST)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def start_replicas(count: int, prefix: Path, processes: list) -> list[int]:
    """Start `count` deploy/start_public.sh replicas that answer; return their ports.

    A replica that exits at once (its free port taken meanwhile by another program) is replaced on a new port.
    """
    env = {**os.environ, "PYTHON": sys.executable, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    ready: list[int] = []
    for _attempt in range(3):
        pending = {}
        for port in [free_port() for _ in range(count - len(ready))]:
            with open(prefix / f"replica-{port}.log", "wb") as log:
                pending[port] = subprocess.Popen([str(DEPLOY / "start_public.sh"), str(port), HOST], cwd=ROOT,
                                                 env=env, stdout=log, stderr=subprocess.STDOUT)
            processes.append(pending[port])
        deadline = time.time() + 180
        ready += [port for port, proc in pending.items() if answers(port, proc, "/_stcore/health", deadline)]
        if len(ready) == count:
            break
    return ready


def start_nginx(nginx: str, prefix: Path, replica_ports: list[int], processes: list) -> int | None:
    """Write and test the configuration, run nginx in the foreground with its files under prefix; return its port."""
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / kind).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    for _attempt in range(3):  # a port taken meanwhile makes nginx exit at once: try another
        port = free_port()
        conf.write_text(render_config(prefix, port, replica_ports), encoding="utf-8")
        subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf)], check=True)
        processes.append(subprocess.Popen([nginx, "-p", str(prefix), "-c", str(conf)]))
        if answers(port, processes[-1], "/_stcore/health", time.time() + 30):
            return port
    return None


def stop(processes: list[subprocess.Popen]) -> None:
    """Terminate every process started here and wait for it."""
    for proc in processes:
        if proc.poll() is None:
            proc.terminate()
    for proc in processes:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(replicas: int, keep: bool) -> int:
    """Start everything, check it through nginx, print the report, stop everything; return the exit code."""
    sys.path.insert(0, str(ROOT))
    from core.settings import load_settings

    published = load_settings().public_warehouse
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not published.exists() or not nginx:
        print("Manca la copia pubblicata (python -m etl publish)" if nginx else "nginx non trovato (apt-get install nginx-light)",
              file=sys.stderr)
        return 2
    prefix = Path(tempfile.mkdtemp(prefix="psm-replicas-"))
    prefix.chmod(0o755)  # nginx workers may run as another user and must reach their temp folders
    processes: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop cleanly through the finally below
    try:
        replica_ports = start_replicas(replicas, prefix, processes)
        port = start_nginx(nginx, prefix, replica_ports, processes) if len(replica_ports) == replicas else None
        if port is None:
            print("Repliche o nginx non si avviano / replicas or nginx do not start:", file=sys.stderr)
            for log in sorted(prefix.glob("*.log")):
                print(f"--- {log.name}\n" + log.read_text(errors="replace")[-2000:], file=sys.stderr)
            return 1
        names = [f"{HOST}:{p}" for p in replica_ports]
        lines, problems = probes.check_all(port, prefix / "access.log", names)
        print(f"nginx http://{HOST}:{port}/ -> {replicas} replicas ({', '.join(names)}), sticky by client address")
        print("\n".join(lines))
        for problem in problems:
            print("PROBLEM: " + problem)
        answering = sum(1 for line in lines if line.startswith("replica ") and "NOT ANSWERING" not in line)
        print(f"{'OK' if not problems else 'FAILED'}: {answering} of {replicas} replicas answering through nginx", flush=True)
        while keep and not problems:
            time.sleep(1)
        return 1 if problems else 0
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):  # a second signal must not cut the clean-up short
            signal.signal(sig, signal.SIG_IGN)
        stop(processes)
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2, help="how many public replicas (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep serving after the checks until Ctrl-C")
    options = parser.parse_args()
    try:
        sys.exit(run(options.replicas, options.keep))
    except KeyboardInterrupt:
        sys.exit(0)
