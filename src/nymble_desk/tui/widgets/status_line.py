"""One line of connection state: online or offline, queued changes, last error, price age.

Every state is spelled out in words ("OFFLINE", "3 queued", "! last error"), so it
reads the same with NO_COLOR or on a 16-colour TERM=screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.content import Content
from textual.widgets import Static

from nymble_desk.tui.age_text import coarse_age


def describe_status(status: Any, who: str | None = None, *, syncing: bool = False,
                    signed_in: bool = True, index: str | None = None, landed: str | None = None,
                    mode: str | None = None) -> Content:
    """The status line's text for a ``SyncStatus`` (or None before the first reading). ``landed``
    ("placed ORD-00099 (CUST-1042)": orders queued offline that a sync just placed) comes right after the
    connection state, so the narrowest line still shows it."""
    parts: list[Content] = []
    if not signed_in:
        return Content.styled("NOT SIGNED IN", "bold")
    if status is None:
        parts.append(Content.styled("CONNECTING", "bold"))
    elif status.online:
        parts.append(Content.styled("ONLINE", "bold $success"))
    else:
        parts.append(Content.styled("OFFLINE", "bold reverse $warning"))
    if landed:
        parts.append(Content.styled(landed, "bold reverse $success"))
    if mode:  # "TRADESHOW (assisted)": the session's orders go in as assisted, in that channel
        parts.append(Content.styled(mode, "bold reverse"))
    if who:
        parts.append(Content(who))
    if status is not None:
        queued = int(status.queued or 0)
        text = "nothing queued" if queued == 0 else f"{queued} queued"
        parts.append(Content.styled(text, "bold" if queued else ""))
        if syncing:
            parts.append(Content("syncing…"))
        as_of = status.prices_as_of
        if as_of is not None:
            parts.append(Content(f"prices {_age(as_of)}"))
        if index:  # the local search index: "index 2 min old", "index filling 40%"
            parts.append(Content(index))
        if status.last_error:
            parts.append(Content.styled(f"! {status.last_error}", "bold $error"))
    elif syncing:
        parts.append(Content("syncing…"))
    return Content(" · ").join(parts)


def _age(moment: datetime, now: datetime | None = None) -> str:
    """How old the price data is, coarse on purpose (a line that ticks every second is noise)."""
    age = coarse_age(moment, now)
    return "current" if age is None else f"{age[0]}{age[1]} old"


class StatusLine(Static):
    """Shows the app's ``sync_status``; place it on any screen and it keeps itself current."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    _shown: Content | None = None  # the text on screen (a watcher that changes nothing repaints nothing)

    def on_mount(self) -> None:
        app = self.app
        if hasattr(app, "sync_status"):
            self.watch(app, "sync_status", self._show, init=True)
            self.watch(app, "syncing", self._show, init=False)
            self.watch(app, "who", self._show, init=False)
            self.watch(app, "signed_in", self._show, init=False)
            if hasattr(app, "index_status"):
                self.watch(app, "index_status", self._show, init=False)
            if hasattr(app, "landed_note"):
                self.watch(app, "landed_note", self._show, init=False)
            if hasattr(app, "mode_label"):
                self.watch(app, "mode_label", self._show, init=False)
        else:
            self._show(None)

    def _show(self, _value: object = None) -> None:
        app: Any = self.app
        text = describe_status(
            getattr(app, "sync_status", None),
            getattr(app, "who", None),
            syncing=bool(getattr(app, "syncing", False)),
            signed_in=bool(getattr(app, "signed_in", True)),
            index=getattr(app, "index_status", None),
            landed=getattr(app, "landed_note", None),
            mode=getattr(app, "mode_label", None),
        )
        shown = self._shown
        if shown is not None and shown.plain == text.plain and shown.spans == text.spans:  # == ignores styles
            return
        self._shown = text
        # one row, 1fr wide (DEFAULT_CSS): a new text never changes its size, so it needs no layout pass,
        # which repaints the whole screen (the index fill moves this line every 5%, often mid-keystroke)
        self.update(text, layout=False)
