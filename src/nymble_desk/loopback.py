"""A listening TCP socket for the desk's servers (stdlib only: `demo` binds one before its first frame;
`web` binds its own address with it)."""

from __future__ import annotations

import socket


def listening_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A bound, listening TCP socket (0 = a free port).

    Connections made before a server runs on it wait in its backlog and are served once it does
    (``demo`` binds first, so the client knows its URL before the sandbox is even imported).
    Accepted connections inherit TCP_NODELAY from the listening socket (Linux, BSD, macOS): without
    it a small reply waits on the client's delayed ACK (~40 ms a request; `serve`'s sockets set it).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET  # `web --host ::1` listens on IPv6
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock
