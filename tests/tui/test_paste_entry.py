"""A pasted list of `SKU*QTY` lines is an order: every line entered, in order, one summary, refusals kept.

Bracketed paste arrives as Textual's ``Paste`` event; an unbracketed one (a terminal without
bracketed paste, a scanner) as keys with Enter between the lines, in one burst. Real app, real
sandbox, real draft cache.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.widgets import Input, Static

from test_keys_typed_ahead import keys_of
from test_order_entry import open_cart
from test_order_support import until

# 12 lines: 7 good (two merge into earlier lines), 5 refused for different reasons
PASTE = [
    "WDG-BLU-L*48",
    "WDG-RED-M*2",
    "NO-SUCH-SKU*3",      # unknown product
    "PART-A1*10",
    "PART-A1*5",          # breaks the increment of 10
    "12*34",              # ambiguous
    "WDG-100-BLU*1,000",  # thousands separator
    "WDG-RED-M*3",        # merges with line 2
    "PART-B3*25",
    "WDG-BLU-L*150000",   # over the limit
    "012345678905*2",     # WDG-BLU-L by UPC: merges
    "WIDGET-BLU-L x",     # no quantity after x
]
REFUSED = ["NO-SUCH-SKU*3", "PART-A1*5", "12*34", "WDG-BLU-L*150000", "WIDGET-BLU-L x"]


def said(app: Any) -> str:
    return str(app.screen.query_one("#entry-message", Static).render())


def lines(app: Any) -> list[tuple[str, int]]:
    return [(line.sku, line.quantity) for line in app.desk.get_draft(app.screen.draft_id).lines]


EXPECTED = [("WDG-BLU-L", 50), ("WDG-RED-M", 5), ("PART-A1", 10), ("WDG-100-BLU", 1000), ("PART-B3", 25)]


@pytest.mark.parametrize("how", ["bracketed", "unbracketed"])
async def test_a_pasted_list_is_entered_in_order_with_one_summary(make_app: Any, how: str) -> None:
    app = make_app()
    seen: list[Any] = []
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await open_cart(pilot, app)
        entry = app.screen.query_one("#entry", Input)
        if how == "bracketed":
            app.post_message(events.Paste("\n".join(PASTE) + "\n"))
        else:
            for key in keys_of("\r".join(PASTE) + "\r"):
                app.post_message(key)
        await until(pilot, lambda: "12 lines:" in said(app), timeout=30)
        assert lines(app) == EXPECTED  # in paste order; merged lines stay where they were first entered
        summary = said(app)
        assert "12 lines: 5 added, 2 merged, 5 refused" in summary, summary
        assert "NO-SUCH-SKU*3: No product NO-SUCH-SKU" in summary and "and 2 more" in summary
        # one summary: no per-line message was drawn after the batch began
        updates = [m for m in seen if type(m).__name__ == "Entered"]
        assert len(updates) == (1 if how == "bracketed" else len(PASTE))
        # every refused line comes back for correction, first one in the field, in order
        assert entry.value == REFUSED[0]
        assert app.screen.query_one("#entry-line").to_fix == REFUSED[1:]
        await pilot.press("ctrl+u", *"WDG-RED-M*1", "enter")
        await until(pilot, lambda: entry.value == REFUSED[1])  # fixed and added; the next one is back
        assert dict(lines(app))["WDG-RED-M"] == 6
        await pilot.press("ctrl+u", "enter")  # cleared; Enter on an empty field pulls the next
        await until(pilot, lambda: entry.value == REFUSED[2])


async def test_a_one_line_paste_goes_into_the_field_whole(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot, app)
        entry = app.screen.query_one("#entry", Input)
        app.post_message(events.Paste("WDG-RED-M*7"))
        await until(pilot, lambda: entry.value == "WDG-RED-M*7")
        assert lines(app) == []  # not entered until Enter
        await pilot.press("enter")
        await until(pilot, lambda: lines(app) == [("WDG-RED-M", 7)])
        assert "Added 7 x WDG-RED-M" in said(app)
