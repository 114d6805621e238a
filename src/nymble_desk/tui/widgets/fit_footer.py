"""A footer that fits the terminal: no key is ever cut in half.

At 80 columns the cart's keys and the app-wide ones together need about 110 columns,
and Textual's footer cuts the line wherever the terminal ends ("f5 Sy"). Here the
screen's own keys always show, then the app-wide keys in their order while they fit
whole; the rest are left out (F1 lists every key, the palette reaches every action).
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from nymble_desk.tui.keymap import APP_BINDINGS

#: app-wide actions, left out from the end when the line is too narrow (help is kept)
APP_WIDE = tuple(b.action for b in APP_BINDINGS if isinstance(b, Binding) and b.action != "help" and b.show)


def key_width(key: Any, compact: bool) -> int:
    """Columns a footer key takes: "f6 Ship-to/PO" compact, " f6 Ship-to/PO " otherwise."""
    return cell_len(key.key_display) + cell_len(key.description) + (1 if compact else 3)


class FitFooter(Footer):
    _width = 0

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        self._width = width = self.app.size.width
        room = width - sum(key_width(k, self.compact) for k in keys if getattr(k, "action", None) not in APP_WIDE)
        for key in keys:
            if getattr(key, "action", None) in APP_WIDE:
                need = key_width(key, self.compact)
                if need > room:
                    room = -1  # keep the order: nothing after a key that did not fit
                    continue
                room -= need
            yield key

    def on_resize(self, _event: events.Resize) -> None:
        if self.app.size.width != self._width:
            self.refresh(recompose=True)
