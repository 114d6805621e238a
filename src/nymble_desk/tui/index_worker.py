"""Keep the Desk's local search index fresh from the app: a worker after sign-in, again every 5 minutes.

The refresh never holds up a screen: it runs in a worker (group ``index-refresh``,
errors logged, not raised), and searches fall back to the API until the first full
fill is done.  What the status line shows is a plain-words string in the app's
``index_status`` reactive: "index filling 40%", "index 2 min old" (nothing while it is
under a minute old: the line keeps to what a rep should notice).

A new step of the fill's progress waits for a pause in the typing (:data:`TYPING_PAUSE_S` without a
key; its start and end are shown at once): Textual
paces its frames, so a keystroke that comes within a frame or two after the status line's own
frame waits for the next frame slot, 10-30 ms, while the typed character would have been drawn
in ~3 ms.  Held back, the progress is drawn between words, never just before a keystroke.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, UTC
from typing import Any

from textual.worker import Worker

from nymble_desk import gc_pause
from nymble_desk.tui.desk_access import AppDesk, desk_or_none
from nymble_desk.tui.key_gate import KeyGate

log = logging.getLogger(__name__)

REFRESH_EVERY = 300.0
GROUP = "index-refresh"
KIND_ORDER = ("customers", "products")
UP_TO_DATE = "index up to date"
#: The fill's progress is shown in steps of this many percent: each step redraws the status line, and a
#: keystroke drawn in the same frame redraws the rows between the field and the status line too.
PERCENT_STEP = 10  # Freshness.describe() for an index refreshed less than a minute ago
#: The status text changes only after this long without a key (a rep types a key every 150-250 ms; the
#: lookup's API search waits for the same pause: customers.API_PAUSE_S).
TYPING_PAUSE_S = 0.3


class IndexKeeper:
    """Owns the refresh worker and the freshness text for one app."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.worker: Worker[Any] | None = None
        self.freshness: Any = None
        self._timer: Any = None
        self._filling: str | None = None
        self._desk: AppDesk | None = None
        self._shown: str | None = None  # the text for app.index_status (set there once typing pauses)
        self._show_timer: Any = None

    def start(self) -> None:
        """Refresh now (unless one is running) and every REFRESH_EVERY seconds after."""
        # signed in: the Desk, its client and models are built; frozen, no collection scans them again
        # while the rep types (a full one cost a keystroke 15-25 ms of CPU during the fill: gc_pause)
        gc_pause.settle()
        if self._timer is None:
            self._timer = self.app.set_interval(REFRESH_EVERY, self.refresh, name="index-refresh")
        self.refresh()

    def refresh(self) -> None:
        desk = desk_or_none(self.app)
        if desk is None or not getattr(self.app, "signed_in", False):
            return
        if self.worker is not None and not self.worker.is_finished:
            return
        self._desk = desk
        self.worker = self.app.run_worker(self._run(desk), group=GROUP, name="index-refresh", exit_on_error=False)

    async def _run(self, desk: Any) -> Any:
        if getattr(desk, "lookups", None) is None:
            return None  # not signed in (yet), or the index could not be opened
        try:
            self.freshness = await asyncio.to_thread(desk.index_freshness)
            self.show()
            return await desk.refresh_index(on_progress=self._progress)
        finally:
            self._filling = None
            try:
                self.freshness = await asyncio.to_thread(desk.index_freshness)
            except Exception:
                log.exception("reading the index freshness failed")
            self.show()

    def _progress(self, kind: str, done: int, expected: int) -> None:
        if self.freshness is not None and getattr(self.freshness, "ready", False):
            return  # an incremental refresh: keep showing the age
        position = KIND_ORDER.index(kind) if kind in KIND_ORDER else 0
        share = done / expected if expected else 1.0
        percent = int(100 * (position + min(1.0, share)) / len(KIND_ORDER))
        percent -= percent % PERCENT_STEP  # the status line redraws ~10 times in a fill, not once a page
        self._filling = f"index filling {percent}%"
        self.show(step=True)

    def describe(self, now: datetime | None = None) -> str | None:
        if self._filling is not None:
            return self._filling
        if self.freshness is None:
            return None
        return self.freshness.describe(now or datetime.now(UTC))

    def show(self, *, step: bool = False) -> None:
        """Put the freshness on the status line; a current index is not news, so it says nothing then.
        A ``step`` of the fill's progress waits while the rep types, until the typing pauses (module
        docstring); anything else (a fill started or ended) is put there at once, with the latest step."""
        text = self.describe()
        self._shown = None if text == UP_TO_DATE else text
        if not step and self._show_timer is not None:
            self._show_timer.stop()
            self._show_timer = None
        if self._show_timer is None:
            self._put_on_line(wait=step)

    def _put_on_line(self, *, wait: bool = True) -> None:
        self._show_timer = None
        typed_ago = time.monotonic() - self._last_key_at()
        if wait and typed_ago < TYPING_PAUSE_S and self._shown != self.app.index_status:
            self._show_timer = self.app.set_timer(TYPING_PAUSE_S - typed_ago, self._put_on_line,
                                                  name="index-status")
            return
        self.app.index_status = self._shown

    def _last_key_at(self) -> float:
        gate = getattr(self.app, "key_gate", None)
        return gate.last_key_at if isinstance(gate, KeyGate) else float("-inf")

    def stop(self) -> None:
        """Stop the timer and a refresh in flight (the pages written so far stay)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._show_timer is not None:
            self._show_timer.stop()
            self._show_timer = None
        if self.worker is not None and not self.worker.is_finished:
            cancel = getattr(self._desk, "cancel_index_refresh", None)
            if cancel is not None:
                cancel()
            self.worker.cancel()
