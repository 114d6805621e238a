"""Start the TUI: `nymble-desk` (run_app) and `nymble-desk demo` (run_demo).

The first screen waits for as little as possible: with a saved profile the app
starts on the local draft cache (stdlib sqlite3) and a :class:`DeferredDesk`;
settings validation (pydantic), the API client (httpx) and the sync engine are
built right after the first frame. Nothing here imports the sandbox (FastAPI)
except run_demo, lazily.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import threading
import time
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from nymble_desk import paths

if TYPE_CHECKING:
    from nymble_desk.tui.app import NymbleApp

log = logging.getLogger("nymble_desk")

DEMO_ORG, DEMO_CLIENT, DEMO_SECRET = "DEMO", "demo-rep", "demo-rep-secret"
FIRST_READ_S = 1.0  # how long the first drafts read may be handed out again (start-up only)


def setup_logging() -> Path:
    """Send log records (and every traceback) to a rotating file under the log dir."""
    path = paths.ensure(paths.log_dir()) / "nymble-desk.log"
    if not any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path


def build_desk(base_url: str, org_code: str, client_id: str, client_secret: str, *,
               timeout: float = 10.0, drafts_path: Path | None = None, store: Any = None) -> Any:
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.sync.desk import Desk

    client = NymbleClient(base_url, Credentials(org_code, client_id, client_secret), timeout=timeout)
    return Desk(client, store if store is not None else DraftStore(drafts_path))


class DeferredDesk:
    """The Desk, built on first use of anything but the local drafts list.

    The drafts offer needs only the draft cache; the API client, models and sync
    engine are imported when the app first asks for something else (right after
    its first frame). Every other attribute is the real Desk's.
    """

    def __init__(self, store: Any, build: Callable[[Any], Any]) -> None:
        self.store = store
        self._build = build
        self._desk: Any = None
        self._lock = threading.Lock()
        self._first_read: tuple[float, list[Any]] | None = None  # (when, drafts) of the very first read
        self._read_once = False

    @property
    def built(self) -> bool:
        return self._desk is not None

    def real(self) -> Any:
        with self._lock:
            if self._desk is None:
                self._desk = self._build(self.store)
        return self._desk

    def drafts(self) -> list[Any]:
        """The drafts in the cache. On the way to the first frame the app asks twice (are
        there drafts? then the drafts screen lists them): the second ask, within a moment
        and before the Desk exists (nothing can have written), gets the first read."""
        if self._desk is not None:
            return self._desk.drafts()
        first, self._first_read = self._first_read, None
        if first is not None and time.monotonic() - first[0] < FIRST_READ_S:
            return list(first[1])
        drafts = self.store.list_drafts()
        if not self._read_once:
            self._read_once = True
            self._first_read = (time.monotonic(), list(drafts))
        return drafts

    def search_now(self, kind: str, text: str, limit: int) -> list[Any] | None:
        """None until the Desk exists: asking must never build it on the way to the first frame
        (the lookup asks as it mounts); the awaited search builds it, in a worker."""
        return self._desk.search_now(kind, text, limit) if self._desk is not None else None

    async def aclose(self) -> None:
        if self._desk is not None:
            await self._desk.client.aclose()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.real(), name)


def quick_profile(requested: str | None) -> tuple[str, bool]:
    """(profile name, whether it is saved with a secret), read without pydantic.

    Validation of the whole file happens after the first frame (see NymbleApp.settings);
    a file that is not even TOML is reported here, before the screen is taken over.
    """
    from nymble_desk.config_secrets import has_secret

    path = paths.config_dir() / "config.toml"
    data: dict[str, Any] = {}
    if path.exists():
        with path.open("rb") as f:
            data = tomllib.load(f)
    name = requested or os.environ.get("NYMBLE_DESK_PROFILE") or str(data.get("profile") or "default")
    profiles = data.get("profiles")
    saved = isinstance(profiles, dict) and isinstance(profiles.get(name), dict) and has_secret(name)
    return name, bool(saved)


def _desk_for_profile(name: str) -> Callable[[Any], Any]:
    def build(store: Any) -> Any:
        from nymble_desk.config import load_secret, load_settings

        settings = load_settings()
        profile = settings.profiles[name]
        secret = load_secret(name)
        if secret is None:
            raise LookupError(f"no secret saved for profile {name!r}")
        return build_desk(settings.base_url_for(profile), profile.org_code, profile.client_id,
                          secret.get_secret_value(), timeout=settings.api.timeout, store=store)

    return build


def build_app(args: argparse.Namespace) -> NymbleApp:
    """The app `nymble-desk` runs (tests drive it with run_test). A bad config file raises a LocalProblem
    before the screen is taken over; a damaged drafts file starts the app on LocalProblemScreen instead."""
    from nymble_desk.config_problems import decode_problem, toml_problem
    from nymble_desk.drafts.health import DraftsDamaged
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.tui.app import NymbleApp

    try:
        name, saved = quick_profile(getattr(args, "profile", None))
    except tomllib.TOMLDecodeError as exc:
        raise toml_problem(exc) from exc
    except UnicodeDecodeError as exc:
        raise decode_problem(exc) from exc

    def reopen() -> Any:
        if not saved:
            return None
        paths.ensure(paths.data_dir())
        return DeferredDesk(DraftStore(), _desk_for_profile(name))

    try:
        desk = reopen()
    except DraftsDamaged as damage:
        app = NymbleApp(None, None, signed_in=False, profile=name)
        app.local_problem = damage
    else:
        app = NymbleApp(desk, None, signed_in=saved, profile=name)
        from nymble_desk.drafts.health import probe

        if not saved and (reason := probe(paths.drafts_db_path())) is not None:
            app.local_problem = DraftsDamaged(paths.drafts_db_path(), reason)
    app.reopen_drafts = reopen
    return app


def run_app(args: argparse.Namespace) -> int:
    setup_logging()
    app = build_app(args)
    app.run()
    if app.exit_line:  # quit with a bad local file or setting unresolved
        print(app.exit_line, file=sys.stderr)
        return 2
    return int(app.return_code or 0)


def run_demo(args: argparse.Namespace) -> int:
    setup_logging()
    from nymble_desk.sandbox.server import start_in_thread

    data_dir = Path(args.data_dir) if getattr(args, "data_dir", None) else paths.data_dir() / "demo"
    sizes = {k: v for k in ("customers", "products") if (v := getattr(args, k, None)) is not None}
    paths.ensure(data_dir)
    server = start_in_thread(data_dir, port=getattr(args, "port", 0) or 0, **sizes)
    try:
        print(f"Nymble Commerce sandbox at {server.base_url}")
        print(f"  org {DEMO_ORG}  client {DEMO_CLIENT}  secret {DEMO_SECRET}  (SalesRep REP-007)")
        print("  also demo-admin / demo-admin-secret, demo-customer / demo-customer-secret")
        if getattr(args, "no_tui", False):
            print("Press Ctrl+C to stop.", flush=True)
            stop = threading.Event()
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
            return 0
        from nymble_desk.tui.app import NymbleApp

        def build(store: Any) -> Any:
            from nymble_desk.config import Settings

            timeout = Settings().api.timeout if (paths.config_dir() / "config.toml").exists() else 10.0
            return build_desk(server.base_url, DEMO_ORG, DEMO_CLIENT, DEMO_SECRET, timeout=timeout, store=store)

        from nymble_desk.drafts.store import DraftStore

        desk = DeferredDesk(DraftStore(data_dir / "drafts.sqlite3"), build)
        app = NymbleApp(desk, None, signed_in=True, profile="demo")
        app.run()
        return int(app.return_code or 0)
    finally:
        server.stop()
