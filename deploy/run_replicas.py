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


def wait_healthy(port: int, deadline: float) -> bool:
    """Wait until a replica answers its health check directly."""
    while time.time() < deadline:
        try:
            if probes.request(port, "/_stcore/health", HOST)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def start_replicas(ports: list[int], prefix: Path) -> list[subprocess.Popen]:
    """Start one deploy/start_public.sh per port, sharing one cookie secret, logging under prefix."""
    env = {**os.environ, "PYTHON": sys.executable, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    return [subprocess.Popen([str(DEPLOY / "start_public.sh"), str(port), HOST], cwd=ROOT, env=env,
                             stdout=open(prefix / f"replica-{port}.log", "wb"), stderr=subprocess.STDOUT)
            for port in ports]


def start_nginx(nginx: str, prefix: Path, conf: Path) -> subprocess.Popen:
    """Test the configuration, then run nginx in the foreground with its files under prefix."""
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / kind).mkdir(parents=True, exist_ok=True)
    subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf)], check=True)
    return subprocess.Popen([nginx, "-p", str(prefix), "-c", str(conf)])


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
    from monitor.settings import load_settings

    published = load_settings().public_warehouse
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not published.exists() or not nginx:
        print("Manca la copia pubblicata (python -m etl publish)" if nginx else "nginx non trovato (apt-get install nginx-light)",
              file=sys.stderr)
        return 2
    prefix = Path(tempfile.mkdtemp(prefix="psm-replicas-"))
    prefix.chmod(0o755)  # nginx workers may run as another user and must reach their temp folders
    replica_ports, port = [free_port() for _ in range(replicas)], free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(render_config(prefix, port, replica_ports), encoding="utf-8")
    processes: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop cleanly through the finally below
    try:
        processes += start_replicas(replica_ports, prefix)
        processes.append(start_nginx(nginx, prefix, conf))
        deadline = time.time() + 120
        if not all(wait_healthy(p, deadline) for p in replica_ports):
            print("Le repliche non si avviano:", file=sys.stderr)
            for log in sorted(prefix.glob("replica-*.log")):
                print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
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
