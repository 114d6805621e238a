"""The embedded sandbox (``start_in_thread``) answers small requests without waiting on delayed ACKs."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from nymble_desk.sandbox.server import start_in_thread


def test_accepted_connections_set_tcp_nodelay(tmp_path: Path) -> None:
    with start_in_thread(tmp_path / "sandbox", customers=5, products=5) as running:
        with httpx.Client(base_url=running.base_url, timeout=10.0) as client:
            assert client.get("/openapi.json").status_code == 200  # keep-alive: the connection stays open
            state = running._server.server_state
            sockets = [p.transport.get_extra_info("socket") for p in state.connections]
            assert sockets, "no open connection on the server"
            for sock in sockets:
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
