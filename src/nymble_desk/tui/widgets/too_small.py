"""Below 80x24 the app says the terminal is too small instead of drawing a wrong number.

nymble-desk lays every screen out for 80x24 and up: below that a quantity, a price or a
total would be cut. :class:`SizeGuard` watches the terminal size and the screen in front;
while the terminal is too small, every screen's widgets are hidden (``Screen.-too-small``
in app.tcss) and a :class:`TooSmall` notice covers the screen in front and takes the keys
(the quit and palette keys still work). When the terminal is large enough again, the
notice goes and the focus returns to where it was.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

MIN_WIDTH = 80
MIN_HEIGHT = 24


def too_small_text(width: int, height: int) -> str:
    return (f"The terminal is {width}x{height}: nymble-desk needs at least {MIN_WIDTH}x{MIN_HEIGHT} "
            "to show every quantity and price whole. Make the window larger (F10 quits).")


class TooSmall(Static, can_focus=True):
    """The notice laid over a screen while the terminal is too small."""

    DEFAULT_CSS = """
    TooSmall {
        width: 1fr;
        height: 1fr;
        padding: 1 2;
        content-align: center middle;
        text-align: center;
        text-style: bold;
        background: $background;
        color: $foreground;
    }
    """

    def __init__(self, text: str, restore_to: Widget | None) -> None:
        super().__init__(text, markup=False)
        self.restore_to = restore_to


class SizeGuard:
    """Install once on the app (``SizeGuard(app).install()``); call :meth:`check` on resize."""

    CLASS = "-too-small"

    def __init__(self, app: App[Any]) -> None:
        self.app = app

    def install(self) -> None:
        if not self.app.is_running:
            return  # quit before its first frame
        self.app.screen_change_signal.subscribe(self.app, lambda _screen: self.check())
        self.check()

    def check(self, size: Size | None = None) -> None:
        """Cover or uncover for ``size`` (the app's size when None; a Resize event's size is
        newer than the app's while the event is being handled)."""
        width, height = size or self.app.size
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            self._cover(width, height)
        else:
            self._uncover()

    def _cover(self, width: int, height: int) -> None:
        text = too_small_text(width, height)
        for screen in self.app.screen_stack:
            screen.add_class(self.CLASS)
        top = self.app.screen
        existing = top.query_children(TooSmall)
        if existing:
            existing.first().update(text)
            return
        notice = TooSmall(text, restore_to=top.focused)
        top.mount(notice)
        top.call_after_refresh(notice.focus)

    def _uncover(self) -> None:
        for screen in self.app.screen_stack:
            if not screen.has_class(self.CLASS):
                continue
            screen.remove_class(self.CLASS)
            for notice in list(screen.query_children(TooSmall)):
                restore = notice.restore_to
                notice.remove()
                if restore is not None and restore.is_attached and screen is self.app.screen:
                    restore.focus()
