"""The Desk a saved profile or the demo starts with: the local drafts at once, the rest built on first use.

Its own module (not launch's) so that the screens' typed accessor (``desk_access``) can name it without
importing the start-up code, which imports the app.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FIRST_READ_S = 1.0  # how long the first drafts read may be handed out again (start-up only)


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
