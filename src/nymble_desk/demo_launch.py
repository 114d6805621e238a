"""`nymble-desk demo`: the TUI against the embedded sandbox, signed in as the demo rep.

Start-up wiring lives here, outside tui/ (which never imports the sandbox).  The
first screen is drawn before the sandbox is imported or seeded:

1. a loopback socket is bound and listening at once (stdlib), so the API's URL is
   known; requests made before the sandbox runs wait in its backlog;
2. the app starts on the draft cache and a :class:`DeferredDesk` whose status line
   says "starting the sandbox…";
3. after the first frame the Desk is built in a thread, which also starts the
   sandbox (FastAPI, seeding on a fresh data dir) in its own thread; searches and
   sign-in wait for it there and the screen becomes usable when it answers.

The local search index is keyed by the sandbox's identity (a digest of the secret
made when its database was seeded), not its port, so it is reused across starts and
refreshed by ``updatedAt``; a re-seeded sandbox gets a new identity and a new index.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import socket
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from nymble_desk import demo_endpoint, gc_pause, paths
from nymble_desk.loopback import listening_socket

if TYPE_CHECKING:
    from nymble_desk.tui.app import NymbleApp
    from nymble_desk.tui.deferred_desk import DeferredDesk


class SandboxSizes(TypedDict, total=False):
    """How much demo data the sandbox seeds (the `--customers` / `--products` flags, when given)."""

    customers: int
    products: int


DEMO_ORG, DEMO_CLIENT, DEMO_SECRET = demo_endpoint.DEMO_ORG, demo_endpoint.DEMO_CLIENT, demo_endpoint.DEMO_SECRET
STARTING = "starting the sandbox…"
START_TIMEOUT_S = 120.0  # seeding 100k customers / 200k products takes about a minute on 2 cores


class Sandbox(Protocol):
    """What the demo app needs of its sandbox: this process's (SandboxStarter) or one already running
    (``web --demo``'s tabs attach to the one the web server started)."""

    base_url: str

    def start(self) -> None: ...

    def identity(self) -> str: ...


def about_line(base_url: str) -> str:
    """The sandbox's URL and sign-in, for F1 once the screen has taken the terminal over."""
    return f"demo sandbox {base_url} · {DEMO_ORG}/{DEMO_CLIENT}"


class SandboxStarter:
    """Starts the sandbox once, in a thread, on a socket bound before it; tells who it is when it runs."""

    def __init__(self, data_dir: Path, sock: socket.socket, sizes: SandboxSizes) -> None:
        self.data_dir = data_dir
        self.sock = sock
        self.sizes = sizes
        host, port = sock.getsockname()[:2]
        self.base_url = f"http://{host}:{port}"
        self.running: Any = None
        self.error: BaseException | None = None
        self._started = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Begin starting it (no wait); later calls do nothing."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="nymble-demo-start", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            from nymble_desk.sandbox.server import start_in_thread

            self.running = start_in_thread(self.data_dir, sock=self.sock, **self.sizes)
        except BaseException as exc:  # reported to whoever waits (the Desk's sign-in), and logged there
            self.error = exc
        finally:
            self._started.set()

    def wait(self, timeout: float = START_TIMEOUT_S) -> Any:
        """The running server, once it accepts connections (starting it if nobody did)."""
        self.start()
        if not self._started.wait(timeout):
            raise TimeoutError(f"the sandbox did not start in {timeout:.0f} s")
        if self.error is not None:
            raise RuntimeError(f"the sandbox could not start: {self.error}") from self.error
        return self.running

    def identity(self) -> str:
        """``sandbox:<digest>``: the same for one seeded database whatever its port."""
        secret = str(self.wait().app.state.jwt_secret)
        return "sandbox:" + hashlib.sha256(secret.encode()).hexdigest()[:16]

    def stop(self) -> None:
        if self._thread is not None:
            self._started.wait(START_TIMEOUT_S)
        if self.running is not None:
            self.running.stop()
        else:
            self.sock.close()


def demo_data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if getattr(args, "data_dir", None) else paths.data_dir() / "demo"


def sandbox_sizes(args: argparse.Namespace) -> SandboxSizes:
    sizes = SandboxSizes()
    if (customers := getattr(args, "customers", None)) is not None:
        sizes["customers"] = customers
    if (products := getattr(args, "products", None)) is not None:
        sizes["products"] = products
    return sizes


def print_credentials(base_url: str) -> None:
    print(f"Nymble Commerce sandbox at {base_url}")
    print(f"  org {DEMO_ORG}  client {DEMO_CLIENT}  secret {DEMO_SECRET}  (SalesRep REP-007)")
    print("  also demo-admin / demo-admin-secret, demo-customer / demo-customer-secret")


def run_demo(args: argparse.Namespace) -> int:
    from nymble_desk.tui.launch import setup_logging

    setup_logging()
    data_dir = paths.ensure(demo_data_dir(args))
    starter = SandboxStarter(data_dir, listening_socket(port=getattr(args, "port", 0) or 0), sandbox_sizes(args))
    # other front ends (orders, invoices, import, drafts) find this demo while it runs
    demo_endpoint.publish(demo_endpoint.DemoEndpoint(starter.base_url, data_dir / "drafts.sqlite3", os.getpid()))
    try:
        if getattr(args, "no_tui", False):
            return _serve_only(starter)
        return _run_tui(starter, data_dir)
    finally:
        demo_endpoint.withdraw()
        starter.stop()


def _serve_only(starter: SandboxStarter) -> int:
    starter.wait()
    print_credentials(starter.base_url)
    print("Press Ctrl+C to stop.", flush=True)
    stop = threading.Event()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    return 0


def _run_tui(starter: SandboxStarter, data_dir: Path) -> int:
    print_credentials(starter.base_url)  # on the terminal before the TUI takes it (and after it quits)
    gc_pause.pause()  # until the first frame (NymbleApp resumes it): see gc_pause
    try:
        app = build_demo_app(starter, data_dir)
        app.run()
    finally:
        gc_pause.resume()
    if app.exit_line:  # quit with a damaged drafts file not moved aside: as `nymble-desk` (run) does
        print(app.exit_line, file=sys.stderr)
        return 2
    return int(app.return_code or 0)


def _api_timeout() -> float:
    """The settings' API timeout; the default when a setting is bad (the app shows that problem, with
    F3 to run on the defaults: the demo must not die in its sign-in thread over it)."""
    from nymble_desk.config import ApiSettings, load_settings
    from nymble_desk.startup_errors import LocalProblem

    try:
        return load_settings().api.timeout
    except LocalProblem:
        return ApiSettings().timeout


def build_demo_app(starter: Sandbox, data_dir: Path) -> NymbleApp:
    """The app `nymble-desk demo` runs (tests drive it with run_test). A damaged drafts file starts it on
    the move-aside screen (LocalProblemScreen), as `nymble-desk` does; moved aside, the demo rep signs in."""
    from nymble_desk.drafts.health import DraftsDamaged
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.tui.app import NymbleApp
    from nymble_desk.tui.deferred_desk import DeferredDesk

    def build(store: Any) -> Any:  # in a thread, after the first frame
        from nymble_desk.sync.connect import build_desk

        starter.start()
        return build_desk(starter.base_url, DEMO_ORG, DEMO_CLIENT, DEMO_SECRET, timeout=_api_timeout(), store=store,
                          index_identity=starter.identity)

    def reopen() -> DeferredDesk:
        return DeferredDesk(DraftStore(data_dir / "drafts.sqlite3"), build, starting=STARTING)

    try:
        desk = reopen()
    except DraftsDamaged as damage:  # the file is left as it is until the rep chooses
        app = NymbleApp(None, None, signed_in=False, profile="demo")
        app.local_problem = damage
    else:
        app = NymbleApp(desk, None, signed_in=True, profile="demo")
    app.reopen_drafts = reopen
    app.about = about_line(starter.base_url)
    return app
