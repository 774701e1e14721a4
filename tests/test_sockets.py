"""TCP_NODELAY on the server's sockets: set on TCP sockets, inherited by later connections, others left alone."""
from __future__ import annotations

import socket
import sys

import pytest

from monitor import sockets

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_listening_and_accepted_sockets_get_nodelay(monkeypatch):
    monkeypatch.setattr(sockets, "_done", False)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:  # proto 0, as Streamlit binds it
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            assert nodelay(listener) == 0 and nodelay(accepted) == 0
            assert sockets.disable_nagle() >= 3
            with accepted, socket.create_connection(listener.getsockname()) as later_client:
                later, _ = listener.accept()
                with later:
                    assert nodelay(listener) == nodelay(accepted) == nodelay(later) == 1
                    assert nodelay(client) == 1
    assert sockets.disable_nagle() == 0  # once per process


def test_other_descriptors_are_left_alone():
    left, right = socket.socketpair()  # AF_UNIX
    with left, right:
        assert sockets.set_nodelay(left.fileno()) is False
        assert left.fileno() >= 0  # borrowed, not closed
    with open(__file__, "rb") as handle:
        assert sockets.set_nodelay(handle.fileno()) is False
