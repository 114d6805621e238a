"""The lookup while the index fills: nothing but the keystroke's own work gets in the way of its echo.

The real app over the in-process sandbox, its real Desk and index file.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator

import pytest
from textual.widgets import Input

from nymble_desk import gc_pause
from nymble_desk.tui.index_worker import TYPING_PAUSE_S
from nymble_desk.tui.screens.customers import CustomerLookupScreen

from test_shell_support import on_screen, status_text, until


async def test_fill_progress_waits_for_a_pause_in_the_typing(make_app) -> None:
    """A progress step that comes while the rep types is drawn once the typing pauses, not between two
    keystrokes (where its frame would hold the next keystroke's echo back a frame or two)."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await until(pilot, lambda: app.index_keeper.describe() == "index up to date", timeout=15)
        keeper = app.index_keeper
        keeper.freshness = None  # as during a first fill: its progress is news
        app.screen.query_one("#search", Input).focus()

        await pilot.press("b")
        keeper._progress("customers", 50, 100)  # the fill's child reports a page
        assert app.index_status is None and "index filling" not in status_text(app)
        await pilot.press("r")
        keeper._progress("customers", 100, 100)
        assert app.index_status is None

        await until(pilot, lambda: app.index_status is not None, timeout=5)
        assert time.monotonic() - app.key_gate.last_key_at >= TYPING_PAUSE_S
        assert app.index_status == "index filling 50%"  # the latest step, once
        await until(pilot, lambda: "index filling 50%" in status_text(app))
        assert app.screen.query_one("#search", Input).value == "br"

        keeper._progress("products", 50, 100)  # not typing: at once
        assert app.index_status == "index filling 70%"

        await pilot.press("i")
        keeper._progress("products", 100, 100)
        assert app.index_status == "index filling 70%"  # a step: after the pause
        keeper._filling = None  # the fill ends (IndexKeeper._run's finally): that is put there at once
        keeper.show()
        assert app.index_status is None and keeper._show_timer is None


@pytest.fixture
def launched_collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As after `nymble-desk`'s first frame (gc_pause.pause, then resume); the heap unfrozen after."""
    monkeypatch.setattr(gc_pause, "_paused", False)
    monkeypatch.setattr(gc_pause, "_settle_due", True)
    yield
    gc.unfreeze()


async def test_signed_in_start_up_is_frozen_before_the_index_fills(make_app, launched_collector) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await until(pilot, lambda: app.index_keeper.worker is not None, timeout=10)
        assert gc.get_freeze_count() > 0 and not gc_pause._settle_due
        desk = app.desk
        assert not any(o is desk for o in gc.get_objects())  # no collection walks the Desk again


async def test_typing_in_the_lookup_repaints_the_field_without_laying_out_the_screen(make_app) -> None:
    """Textual's Input grows its virtual width with the text, and that used to lay the whole screen out
    again on every keystroke (~1 ms of the keystroke's frame), as did each new "No customer matches" text;
    the field still scrolls with its text."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await until(pilot, lambda: app.index_keeper.describe() == "index up to date", timeout=15)
        box = app.screen.query_one("#search", Input)
        box.focus()
        await pilot.pause()
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app.screen, layouts.append)
        text = "Brightfield Supply Co. of the north"
        await pilot.press(*text)
        await until(pilot, lambda: app.screen.last_query == text, timeout=10)
        assert len(layouts) <= 1  # once, when the "No customer matches" line appears (35 before: one a key)

        more = ", dock 7, receiving: the back door by the ramp on the left"
        await pilot.press(*more)
        await until(pilot, lambda: app.screen.last_query == text + more, timeout=10)
        assert len(box.value) > box.content_size.width and box.scroll_x == box.max_scroll_x > 0  # the end in view
        await pilot.press("home")
        await until(pilot, lambda: box.scroll_x == 0)
