"""Run the sandbox on a real port: ``nymble-desk serve`` and ``start_in_thread`` for demo/tests."""

from __future__ import annotations

import argparse
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nymble_desk.loopback import listening_socket
from nymble_desk.sandbox.app import DEFAULT_CUSTOMERS, DEFAULT_PRODUCTS, create_app
from nymble_desk.sandbox.demo import CLIENTS


def default_data_dir() -> Path:
    """``paths.sandbox_dir()``: ``$NYMBLE_DESK_DATA_DIR/sandbox``, else under the user data dir."""
    from nymble_desk import paths

    return paths.sandbox_dir()


def credentials_text() -> str:
    lines = []
    for org, clients in CLIENTS.items():
        for c in clients:
            extra = c.rep_number or c.customer_number or ""
            lines.append(f"  org {org:<6} client {c.client_id:<14} secret {c.secret:<22} {c.role} {extra}".rstrip())
    return "\n".join(lines)


@dataclass
class RunningServer:
    """A sandbox served by uvicorn on a loopback port in a background thread."""

    base_url: str
    data_dir: Path
    _server: Any = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    app: Any = field(default=None, repr=False)

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        self.app.state.db.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_thread(data_dir: Path | str, host: str = "127.0.0.1", port: int = 0, *,
                    sock: socket.socket | None = None, **sizes: Any) -> RunningServer:
    """Start the sandbox for ``data_dir`` on ``host:port`` (0 = a free port), or on ``sock`` (from
    :func:`nymble_desk.loopback.listening_socket`, TCP_NODELAY set); returns once it accepts connections."""
    import uvicorn

    app = create_app(Path(data_dir), **{k: v for k, v in sizes.items() if v is not None})
    if sock is None:
        sock = listening_socket(host, port)
    host, actual = sock.getsockname()[:2]
    # log_config=None: uvicorn adds no stderr handlers (the TUI may own the terminal); its records
    # go to whatever the host program configured (nymble-desk demo logs to a file)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="nymble-sandbox", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    return RunningServer(f"http://{host}:{actual}", Path(data_dir), server, thread, app)


def main(args: argparse.Namespace) -> int:
    """``nymble-desk serve --host --port --data-dir --customers --products``."""
    import uvicorn

    data_dir = Path(getattr(args, "data_dir", None) or default_data_dir())
    customers = getattr(args, "customers", None)
    products = getattr(args, "products", None)
    host = getattr(args, "host", "127.0.0.1") or "127.0.0.1"
    port = int(getattr(args, "port", 8765) if getattr(args, "port", None) is not None else 8765)
    started = time.monotonic()
    app = create_app(
        data_dir,
        customers=DEFAULT_CUSTOMERS if customers is None else customers,
        products=DEFAULT_PRODUCTS if products is None else products,
    )
    print(f"Nymble Commerce sandbox: data in {data_dir} (ready in {time.monotonic() - started:.1f} s)")
    print(f"Listening on http://{host}:{port}  (OpenAPI: http://{host}:{port}/docs)")
    print("Demo credentials (POST /api/auth/login with OrgCode, ClientId, ClientSecret):")
    print(credentials_text(), flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info", lifespan="off")
    return 0
