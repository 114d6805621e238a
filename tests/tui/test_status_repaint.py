"""The app's state changes (index fill percentage, sync start and end) redraw the status line only.

A reactive of the App that repaints makes Textual repaint the whole screen (``App.refresh`` asks the
screen in front to repaint everything): while the index filled, every 5% step redrew the lookup from
top to bottom between two keystrokes (4-5 KB written to the terminal instead of ~1 KB), and the next
keystroke's echo waited behind it.  A status text in a widget whose size cannot change needs no
layout pass either (a layout pass reflows the screen).  Both are counted here as they are asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from textual.screen import Screen
from textual.widget import Widget

from test_order_support import until
from test_shell_support import front, status_text


@pytest.fixture
def whole_screen(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Requests that redraw more than a widget: ``"repaint"`` (the screen, everything on it) and
    ``"layout <widget>"`` (a layout pass)."""
    asked: Counter[str] = Counter()
    screen_refresh = Screen.refresh
    widget_refresh = Widget.refresh

    def on_screen(self: Screen[Any], *regions: Any, **kwargs: Any) -> Any:
        if not regions:
            asked["repaint"] += 1
        return screen_refresh(self, *regions, **kwargs)

    def on_widget(self: Widget, *regions: Any, **kwargs: Any) -> Any:
        if kwargs.get("layout"):
            asked[f"layout {self.id or type(self).__name__}"] += 1
        return widget_refresh(self, *regions, **kwargs)

    monkeypatch.setattr(Screen, "refresh", on_screen)
    monkeypatch.setattr(Widget, "refresh", on_widget)
    yield asked


async def settled(app: Any, pilot: Any) -> None:
    """The lookup in front with its first hits, the index filled and the prices read."""
    await until(pilot, lambda: front(app) == "CustomerLookupScreen", timeout=10)
    await until(pilot, lambda: app.desk.index is not None and app.desk.index.is_ready("customers")
                and app.desk.index.is_ready("products") and app.desk.status.prices_as_of is not None
                and app.index_status is None, timeout=30)
    await until(pilot, lambda: app.screen.query_one("#results").row_count > 0, timeout=10)
    await pilot.pause(0.2)



async def test_index_progress_redraws_the_status_line_not_the_screen(
    make_app: Any, whole_screen: Counter[str]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        for percent in (5, 10, 15, 20):
            whole_screen.clear()
            app.index_status = f"index filling {percent}%"
            await until(pilot, lambda: f"index filling {percent}%" in status_text(app), timeout=5)  # noqa: B023
            await pilot.pause(0.05)
            assert not whole_screen, f"{percent}%: {dict(whole_screen)}"


async def test_a_sync_starting_and_ending_redraws_only_the_status_line(
    make_app: Any, whole_screen: Counter[str]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        whole_screen.clear()
        app.syncing = True
        await until(pilot, lambda: "syncing" in status_text(app), timeout=5)
        app.syncing = False
        await until(pilot, lambda: "syncing" not in status_text(app), timeout=5)
        await pilot.pause(0.05)
        assert not whole_screen, dict(whole_screen)
