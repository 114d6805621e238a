"""Numbers are never cut on the screens beyond the cart: drafts, orders, invoices, order detail,
split invoice, the last look and the confirmation, at 80x24, with a 13,504,735.00 total, a
99,999 quantity and long names. The text read back is what the widgets draw."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.geometry import Region
from textual.widgets import DataTable

from nymble_desk.domain.money import format_money
from nymble_desk.tui.screens.drafts import DraftsScreen

from test_shell_support import on_screen, until

BIG_QTY = 99_999
BIG_PRICE = Decimal("135.05")  # 99,999 x 135.05 = 13,504,864.95
LONG_NAME = "Extra-Long Industrial Widget Assembly With A Name No Column Can Hold"


def drawn(widget: Any) -> list[str]:
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


async def big_draft(desk: Any, number: str = "CUST-1042") -> Any:
    [customer] = [c for c in await desk.search_customers(number, limit=5) if c.customer_number == number]
    draft = desk.open_draft(customer)
    return desk.store.set_line(draft.id, "WDG-BLU-L", BIG_QTY, name=LONG_NAME, unit_price=BIG_PRICE)


async def test_drafts_screen_shows_a_large_total_whole(make_app: Any, make_desk: Any) -> None:
    desk = make_desk()
    draft = await big_draft(desk)
    total = format_money(draft.totals().total, "USD")
    assert len(total) >= len("$13,504,864.95")
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, DraftsScreen))
        table = app.screen.query_one("#drafts", DataTable)
        await until(pilot, lambda: table.row_count == 1)
        row = next(line for line in drawn(table) if "CUST-1042" in line)
        assert total in row, row
        assert "Brightfield" in row  # the name is shown, cut if it must be
        assert table.virtual_size.width <= table.size.width  # nothing runs off the right edge
