"""Checks of the public replicas through nginx: each replica answers, clients stay on one, headers and blocks hold."""
from __future__ import annotations

import base64
import http.client
import os
import re
import time
from pathlib import Path

HOST = "127.0.0.1"
CMT_ORIGIN = "https://www.cittametropolitana.torino.it"
BLOCKED = {"/_stcore/upload_file/session/file": 403, "/_stcore/agent/openapi.json": 404, "/_stcore/metrics": 404}


def request(port: int, path: str, client: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """GET path from nginx on port, sent from the loopback address `client`; (status, headers, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(client, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = b"" if response.status == 101 else response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def upstream_of(log: Path, probe: str, timeout: float = 20.0) -> str | None:
    """The replica that served the request tagged ?probe=<probe>, read from nginx's access log."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        match = re.search(rf"probe={re.escape(probe)} HTTP\S* \d+ \d+ upstream=(\S+)", log.read_text())
        if match:
            return match.group(1)
        time.sleep(0.1)
    return None


def assign_clients(port: int, log: Path, replicas: set[str], problems: list[str]) -> dict[str, str]:
    """Send two health checks from each of several client addresses until every replica has clients."""
    assignment: dict[str, str] = {}
    for i in range(2, 66):
        client = f"127.0.0.{i}"
        served = set()
        for n in (1, 2):
            status, _, _ = request(port, f"/_stcore/health?probe={client}-{n}", client)
            if status != 200:
                problems.append(f"health from {client}: HTTP {status}")
            served.add(upstream_of(log, f"{client}-{n}"))
        if len(served) != 1:
            problems.append(f"client {client} moved between replicas {sorted(map(str, served))}: not sticky")
        assignment[client] = served.pop()
        if replicas <= set(assignment.values()) and len(assignment) >= 8:
            break
    return assignment


def check_replica(port: int, log: Path, replica: str, client: str, problems: list[str]) -> str:
    """Page and websocket from a client of this replica, both served by it; return one line of report."""
    status, headers, body = request(port, f"/?probe=page-{client}", client)
    page_ok = status == 200 and b'id="root"' in body and upstream_of(log, f"page-{client}") == replica
    key = base64.b64encode(os.urandom(16)).decode()
    ws_status, _, _ = request(port, f"/_stcore/stream?probe=ws-{client}", client, {
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13"})
    ws_ok = ws_status == 101 and upstream_of(log, f"ws-{client}") == replica
    if not page_ok:
        problems.append(f"{replica}: page HTTP {status} or served elsewhere")
    if not ws_ok:
        problems.append(f"{replica}: websocket HTTP {ws_status} (101 expected) or served elsewhere")
    if CMT_ORIGIN not in headers.get("content-security-policy", ""):
        problems.append(f"{replica}: no Content-Security-Policy frame-ancestors for {CMT_ORIGIN}")
    return f"page {status}, websocket {ws_status}"


def check_shared(port: int, client: str, problems: list[str]) -> str:
    """Compression of a static script and the blocked endpoints; return one line of report."""
    _, _, page = request(port, "/", client)
    script = re.search(rb'src="\./(static/js/[^"]+\.js)"', page)
    if not script:
        problems.append("no static script found in the page")
        return ""
    path = "/" + script.group(1).decode()
    plain = len(request(port, path, client)[2])
    status, headers, body = request(port, path, client, {"Accept-Encoding": "gzip"})
    if status != 200 or headers.get("content-encoding") != "gzip":
        problems.append(f"{path}: not gzip-compressed")
    blocked = {p: request(port, p, client)[0] for p in BLOCKED}
    problems.extend(f"{p}: HTTP {s}, {BLOCKED[p]} expected" for p, s in blocked.items() if s != BLOCKED[p])
    return (f"static JS gzip {plain // 1024} KB -> {len(body) // 1024} KB; blocked: "
            + ", ".join(f"{p} {s}" for p, s in blocked.items()))


def check_all(port: int, log: Path, replicas: list[str]) -> tuple[list[str], list[str]]:
    """Every check through nginx on port; (report lines, problems)."""
    problems: list[str] = []
    assignment = assign_clients(port, log, set(replicas), problems)
    lines = []
    for replica in replicas:
        clients = [c for c, r in assignment.items() if r == replica]
        if not clients:
            problems.append(f"{replica}: no client reached it")
            lines.append(f"replica {replica}: NOT ANSWERING through nginx")
            continue
        result = check_replica(port, log, replica, clients[0], problems)
        lines.append(f"replica {replica}: {result}; clients {', '.join(clients)} (each stayed on it)")
    lines.append(check_shared(port, "127.0.0.1", problems))
    return lines, problems
