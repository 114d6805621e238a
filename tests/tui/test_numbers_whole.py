"""Numbers are never cut: the cart's lines and totals at 80x24 and 120x40, "too small" below 80x24.

The text read back is what the widgets draw (their rendered lines), not the values
they were given, so a column that keeps the width of its first value is caught.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.geometry import Region

from nymble_desk.tui.widgets.line_table import LineTable
from nymble_desk.tui.widgets.totals_bar import TotalsBar
from test_order_support import Keys, add_entry, open_customer, until
from test_shell_support import front


def drawn(widget: Any) -> list[str]:
    """The lines ``widget`` draws now, as plain text."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def row_text(table: LineTable, sku: str) -> str:
    return next(line for line in drawn(table) if line.strip().startswith(sku))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_quantity_that_grows_is_shown_whole_with_its_total(make_app: Any, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app)
        await add_entry(keys, app, "WDG-BLU-L*12", expect_sku="WDG-BLU-L", qty=12)
        await add_entry(keys, app, "WDG-BLU-L*99987", expect_sku="WDG-BLU-L", qty=99999)
        table = app.screen.query_one(LineTable)
        await until(pilot, lambda: "99999" in row_text(table, "WDG-BLU-L"))
        row = row_text(table, "WDG-BLU-L")
        assert re.search(r"\b99999\s+(?:[\d,]+!?\s+)?\$11\.75\b", row), row  # (stock,) the 48+ Wholesale break
        assert "$1,174,988.25" in row, row  # 99999 x 11.75, whole
        bar = app.screen.query_one(TotalsBar)
        assert "$1,174,988.25" in drawn(bar)[0]
        assert table.virtual_size.width <= table.size.width  # no column runs off the right edge


async def test_the_name_gives_way_and_hints_are_whole_or_left_out(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app)
        await add_entry(keys, app, "WDG-BLU-L*12", expect_sku="WDG-BLU-L", qty=12)
        table = app.screen.query_one(LineTable)
        await until(pilot, lambda: "48+ at $11.75" in row_text(table, "WDG-BLU-L"))
        for line in drawn(table):
            assert not re.search(r"\$\d[\d,]*\.?\d?$", line.rstrip()) or re.search(r"\.\d\d$", line.rstrip()), line
        await pilot.resize_terminal(160, 40)  # room beside the panel for every column and the whole name
        await until(pilot, lambda: "Widget Blue Large" in row_text(table, "WDG-BLU-L"))


def test_plan_widths_keeps_numbers_whole_and_drops_hints_first() -> None:
    from nymble_desk.tui.widgets.line_table import plan_widths

    row = {"sku": "SKU-000123", "name": "Heavy-duty Bracket Blue Large", "qty": "99999", "unit": "$1,234.56",
           "rule": "min 10 x10", "total": "$123,454,321.44", "hint": "48+ at $1,111.75"}
    wide = plan_widths([row], 120)
    assert wide["name"] == len(row["name"]) and {"rule", "hint"} <= wide.keys()
    narrow = plan_widths([row], 79)
    for key in ("sku", "qty", "unit", "total"):
        assert narrow[key] >= len(row[key])
    assert "hint" not in narrow  # whole or not at all
    assert sum(w + 2 for w in narrow.values()) <= 79


async def test_below_80x24_the_app_says_too_small_and_recovers(make_app: Any) -> None:
    from nymble_desk.tui.widgets.too_small import TooSmall

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app)
        await add_entry(keys, app, "WDG-BLU-L*1200", expect_sku="WDG-BLU-L", qty=1200)
        await pilot.resize_terminal(60, 20)
        await until(pilot, lambda: bool(app.screen.query(TooSmall)))
        notice = app.screen.query_one(TooSmall)
        await until(pilot, lambda: notice.region.width > 0)
        assert "needs at least 80x24" in str(notice.render())
        assert not app.screen.query_one(LineTable).display or app.screen.query_one(LineTable).region.area == 0
        await pilot.press(*"WDG")  # keys go to the notice, not into a hidden field
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not app.screen.query(TooSmall))
        table = app.screen.query_one(LineTable)
        await until(pilot, lambda: table.region.area > 0)
        assert app.screen.query_one("#entry").has_focus and app.screen.query_one("#entry").value == ""
        assert re.search(r"\b1200\s+(?:[\d,]+!?\s+)?\$11\.75\s.*\$14,100\.00", row_text(table, "WDG-BLU-L"))


async def test_at_60x20_a_modal_is_covered_too_and_comes_back(make_app: Any) -> None:
    """Help over the cart at 60x20: the notice covers the modal (not only the screen beneath);
    at 80x24 again the help is back whole and Esc still closes it."""
    from nymble_desk.tui.widgets.too_small import TooSmall

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_customer(Keys(pilot), app)
        await pilot.press("f1")
        await until(pilot, lambda: front(app) == "HelpScreen")
        await pilot.resize_terminal(60, 20)
        await until(pilot, lambda: bool(app.screen.query(TooSmall)))
        assert type(app.screen).__name__ == "HelpScreen"
        assert app.screen.query_one("#help-body").region.area == 0  # nothing of the help is drawn
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not app.screen.query(TooSmall) and app.screen.query_one("#help-body").region.area)
        await pilot.press("escape")
        await until(pilot, lambda: front(app) == "CartScreen")
        assert not app.screen.query(TooSmall) and not app.screen.has_class("-too-small")
        assert app.screen.query_one(TotalsBar).region.area > 0
