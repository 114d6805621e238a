"""`nymble-desk web`: serve the desk to browser tabs with textual-serve.

Each tab's websocket starts its own desk process (``python -m nymble_desk.web.tab``) on the same profile,
draft cache and index as the terminal; closing the tab ends that process (textual-serve asks the app to
quit when the socket closes). ``--demo`` starts the embedded sandbox once, here, and points every tab at it.

The aiohttp application is built here from textual-serve's public handlers (``Server.handle_websocket``,
``Server.handle_download``, its ``statics_path``) behind the access guard (``web.access``), with our own page
(``web.page``) and an access log that never writes a query string (where a token would be).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shlex
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.server import Server, to_int

from nymble_desk.web.access import TOKEN_PARAM, AccessPolicy, is_loopback
from nymble_desk.web.page import render_page

log = logging.getLogger("nymble_desk.web")
TITLE = "nymble-desk"
TOKEN_ENV = "NYMBLE_DESK_WEB_TOKEN"


class PathOnlyAccessLog(AbstractAccessLogger):
    """One line a request: method, path (never the query: a token may be in it), status, time."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.0fms", request.method, request.path, response.status, time * 1000)


@dataclass(frozen=True)
class WebDesk:
    """What `nymble-desk web` serves: the tab command and who may open it."""

    command: str
    policy: AccessPolicy
    title: str = TITLE


def tab_command(*, profile: str | None = None, sandbox: str | None = None, identity: str | None = None,
                data_dir: Path | None = None) -> str:
    """The shell command textual-serve runs for each tab (this interpreter, so the same install)."""
    argv = [sys.executable, "-m", "nymble_desk.web.tab"]
    if sandbox is not None:
        argv += ["--sandbox", sandbox, "--identity", identity or sandbox, "--data-dir", str(data_dir)]
    elif profile:
        argv += ["--profile", profile]
    return shlex.join(argv)


def build_web_app(desk: WebDesk) -> web.Application:
    serve = Server(desk.command, title=desk.title)  # only its handlers and paths are used, not its own app

    async def index(request: web.Request) -> web.Response:
        # behind a TLS proxy the page is https: its socket must be wss (the header only picks the scheme)
        secure = request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
        scheme = "wss" if secure else "ws"
        page = render_page(title=desk.title, ws_url=f"{scheme}://{request.host}/ws",
                           font_size=to_int(request.query.get("fontsize", "16"), 16))
        return web.Response(text=page, content_type="text/html",
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    app = web.Application(middlewares=[desk.policy.middleware()])
    app.add_routes([
        web.get("/", index, name="index"),
        web.get("/ws", serve.handle_websocket, name="websocket"),
        web.get("/download/{key}", serve.handle_download, name="download"),
        web.static("/static", serve.statics_path, name="static"),
    ])
    return app


def open_url(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?{TOKEN_PARAM}={token}" if token else "")


async def serve_until_stopped(app: web.Application, sock: socket.socket, on_ready: str) -> None:
    runner = web.AppRunner(app, access_log_class=PathOnlyAccessLog, access_log=log, handle_signals=False)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await web.SockSite(runner, sock).start()
        print(on_ready, flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()  # closes the tabs' sockets: each desk process is asked to quit


def run_web(args: argparse.Namespace) -> int:
    from nymble_desk.tui.launch import setup_logging

    setup_logging()
    host: str = args.host
    token = args.token or os.environ.pop(TOKEN_ENV, None) or None  # popped: the tabs' processes never hold it
    policy = AccessPolicy.for_host(host, token)
    try:
        from nymble_desk.loopback import listening_socket

        sock = listening_socket(host, args.port)
    except OSError as exc:
        print(f"nymble-desk: cannot listen on {host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    starter = None
    try:
        if args.demo:
            from nymble_desk import demo_endpoint
            from nymble_desk.demo_launch import SandboxStarter, demo_data_dir, print_credentials, sandbox_sizes
            from nymble_desk.paths import ensure

            data_dir = ensure(demo_data_dir(args))
            starter = SandboxStarter(data_dir, listening_socket(), sandbox_sizes(args))
            print("starting the sandbox…", flush=True)
            identity = starter.identity()  # waits until it answers: every tab finds it ready
            command = tab_command(sandbox=starter.base_url, identity=identity, data_dir=data_dir)
            demo_endpoint.publish(demo_endpoint.DemoEndpoint(starter.base_url, data_dir / "drafts.sqlite3",
                                                             os.getpid(), web_url=open_url(host, port, None)))
            print_credentials(starter.base_url)
        else:
            command = tab_command(profile=args.profile)
        url = open_url(host, port, policy.token)
        where = "this machine only" if is_loopback(host) else f"{host}: the token is required on every request"
        asyncio.run(serve_until_stopped(build_web_app(WebDesk(command, policy)), sock,
                                        f"nymble-desk web: open {url}\n  listening on {where}; Ctrl+C stops it"))
    finally:
        if starter is not None:
            from nymble_desk import demo_endpoint

            demo_endpoint.withdraw()
            starter.stop()
        sock.close()
    return 0
