"""Run the start-up's deferred work once the first screen is on the terminal whole, footer included.

``call_after_refresh`` runs a callback after the app's next refresh, which at start-up
comes before the first screen is complete: Textual's Footer composes its keys only
after its screen's bindings are published (a callback queued behind ours), and the
frame with them is drawn after that.  Work started in between (the settings, the API
client's imports in a thread, which hold the GIL) pushed that frame back by 100-300 ms.

:func:`when_painted` waits, turn by turn and never on a clock, until the screen in
front is one the app pushed, every footer in it has its keys, and nothing waits to be
painted; then one more refresh (that frame is drawn) and the callback.  A screen that
never gets there (no footer keys at all) costs at most :data:`MAX_TURNS` turns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.widgets import Footer

from nymble_desk.tui.textual_compat import waiting_to_paint

#: refreshes to wait at most for a whole first screen (a few are needed; this bounds a screen that never is)
MAX_TURNS = 60


def painted_whole(app: App[Any]) -> bool:
    """The screen in front is the app's own (not the default one), mounted, its footers' keys composed and
    laid out, and nothing in it waits for the next frame."""
    screen = app.screen
    if len(app.screen_stack) < 2 or not screen.is_mounted:
        return False
    for footer in screen.query(Footer):  # keys composed and placed by the compositor (a region): drawn
        if not any(key.region.area for key in footer.children):
            return False
    return not waiting_to_paint(screen)


def when_painted(app: App[Any], then: Callable[[], object], *, turns: int = MAX_TURNS) -> None:
    """Call ``then`` after the frame that shows the screen in front whole (see the module's doc)."""

    def check(left: int) -> None:
        if painted_whole(app) or left <= 0:
            if not app.call_after_refresh(then):
                then()
        elif not app.call_after_refresh(check, left - 1):
            then()

    check(turns)
