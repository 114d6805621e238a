"""Start the TUI for `nymble-desk` (run_app); `nymble-desk demo` starts in ``nymble_desk.demo_launch``.

The first screen waits for as little as possible: with a saved profile the app
starts on the local draft cache (stdlib sqlite3) and a :class:`DeferredDesk`;
settings validation (pydantic), the API client (httpx) and the sync engine are
built right after the first frame, in a thread. Nothing here imports the sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import os
import sys
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from nymble_desk import paths

if TYPE_CHECKING:
    from nymble_desk.tui.app import NymbleApp

log = logging.getLogger("nymble_desk")

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


#: The Desk's coroutine methods: on a DeferredDesk not built yet, they build it in a thread first, so
#: the event loop never waits for the imports (httpx, pydantic: ~180 ms) or, in the demo, the sandbox.
ASYNC_METHODS = frozenset({
    "sign_in", "refresh_index", "search_customers", "customer_summary", "search_products", "find_product",
    "po_used_before", "email_confirmation", "checkout", "sync_now", "resolve_conflicts",
})


@dataclass(frozen=True)
class StartingStatus:
    """The status line's reading while the Desk is being built (``SyncStatus``'s fields)."""

    online: bool
    queued: int
    last_error: str | None
    prices_as_of: None = None


class DeferredDesk:
    """The Desk, built on first use of anything but the local drafts list.

    The drafts offer needs only the draft cache; the API client, models and sync
    engine are imported when the app first asks for something else (right after
    its first frame). Every other attribute is the real Desk's.
    """

    def __init__(self, store: Any, build: Callable[[Any], Any], *, starting: str | None = None) -> None:
        """``starting``: what the status line says until the Desk exists (e.g. "starting the sandbox…");
        None: the line says CONNECTING."""
        self.store = store
        self._build = build
        self.starting = starting
        self._desk: Any = None
        self._lock = threading.Lock()
        #: Set when the app signs in (after its first frame) or anything builds the Desk: coroutine calls
        #: made before (the lookup's first search, as it mounts) wait for it, so no thread imports the API
        #: layer (or starts the sandbox) while the first frame is being drawn.
        self._go = threading.Event()
        self._first_read: tuple[float, list[Any]] | None = None  # (when, drafts) of the very first read
        self._read_once = False

    @property
    def built(self) -> bool:
        return self._desk is not None

    def real(self) -> Any:
        self._go.set()
        with self._lock:
            if self._desk is None:
                self._desk = self._build(self.store)
        return self._desk

    def recently_placed(self, hours: float = 24.0, limit: int = 10) -> list[Any]:
        """From the draft cache: the drafts screen asks on the way to the first frame, before the Desk exists."""
        if self._desk is not None:
            return self._desk.recently_placed(hours, limit)
        return self.store.recently_placed(hours, limit)

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

    async def ready(self) -> Any:
        """The real Desk, built in a thread when it is not yet (the event loop keeps drawing)."""
        if self._desk is not None:
            return self._desk
        while not self._go.is_set():  # until the app signs in, after its first frame
            await asyncio.sleep(0.02)
        return await asyncio.to_thread(self.real)

    @property
    def status(self) -> Any:
        """The real status once built; until then "starting…" (offline, nothing sent yet) or None."""
        if self._desk is not None:
            return self._desk.status
        if self.starting is None:
            return None
        return StartingStatus(online=False, queued=self.store.queued_count(), last_error=self.starting)

    async def aclose(self) -> None:
        if self._desk is not None:
            await self._desk.client.aclose()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        # sign_in too builds in a thread: blocking the loop there held the first screen's paint (it runs
        # right after the first refresh); a saved profile that cannot be used raises ProfileUnusable there.
        if self._desk is None and name in ASYNC_METHODS:
            if name == "sign_in":
                self._go.set()

            async def call(*args: Any, **kwargs: Any) -> Any:
                return await getattr(await self.ready(), name)(*args, **kwargs)

            call.__name__ = name
            return call
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
        from nymble_desk.sync.connect import ProfileUnusable, build_desk  # after the first frame, in a thread

        try:
            settings = load_settings()  # a LocalProblem names the key at fault
            profile = settings.profiles[name]
            secret = load_secret(name)
            if secret is None:
                raise LookupError(f"no secret saved for profile {name!r}")
        except Exception as exc:
            raise ProfileUnusable(str(exc)) from exc
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
