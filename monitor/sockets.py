"""Turn off Nagle's algorithm on the Streamlit server's TCP sockets, so small messages are not held back."""
from __future__ import annotations

import os
import socket
from pathlib import Path

_FD_DIR = Path("/proc/self/fd")
_done = False


def _tcp_sockets() -> list[int]:
    """File descriptors of this process that are sockets (Linux /proc); empty elsewhere."""
    try:
        names = os.listdir(_FD_DIR)
    except OSError:
        return []
    found = []
    for name in names:
        try:
            if os.readlink(_FD_DIR / name).startswith("socket:"):
                found.append(int(name))
        except OSError:
            continue  # closed meanwhile
    return found


def set_nodelay(fd: int) -> bool:
    """Set TCP_NODELAY on the TCP socket behind fd (borrowed, not closed); False if it is not one."""
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return False
    try:
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
            return False
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return True
    except OSError:
        return False
    finally:
        sock.detach()


def disable_nagle() -> int:
    """Set TCP_NODELAY on every TCP socket of the process, once; return how many were set.

    NOTE: Streamlit binds its listening socket itself with proto 0, so asyncio's own TCP_NODELAY
    (applied only when proto == IPPROTO_TCP) never happens; small websocket messages then wait
    for the browser's delayed ACK (about 40 ms per rerun). On Linux an accepted connection
    inherits TCP_NODELAY from the listening socket, so doing this once covers later sessions.
    Still true of Streamlit 1.67's Starlette server (it binds with socket.socket(family)): one viewer's rerun
    takes a median 6–8 ms with it and 48 ms without (bench/nagle.py, bench/RESULTS.md).
    """
    global _done
    if _done:
        return 0
    _done = True
    return sum(set_nodelay(fd) for fd in _tcp_sockets())
