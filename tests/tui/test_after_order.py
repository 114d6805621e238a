"""Pilot tests of the after-the-order screens against the real in-process sandbox."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input, Static

from test_shell_support import until


def screen_is(app: Any, name: str) -> Any:
    return lambda: type(app.screen).__name__ == name


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_orders(pilot: Any) -> None:
    app = pilot.app
    await until(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"))
    await pilot.press("f4")
    await until(pilot, screen_is(app, "OrdersScreen"))
    await until(pilot, lambda: app.screen.query_one("#orders", DataTable).row_count > 0)


async def test_find_an_order_by_po_and_open_it(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        app.screen.query_one("#f-po", Input).focus()
        await pilot.press(*"PO-2024-77001", "enter")
        table = app.screen.query_one("#orders", DataTable)
        await until(pilot, lambda: table.row_count == 1)
        assert "INV-000044" in str(table.get_row_at(0))
        table.focus()
        await pilot.press("enter")
        await until(pilot, screen_is(app, "OrderDetailScreen"))
        await until(pilot, lambda: "PO-2024-77001" in text(app, "#order-header"))
        header = text(app, "#order-header")
        assert "Brightfield" in header and "Channel Web" in header
        await until(pilot, lambda: app.screen.query_one("#order-invoices", DataTable).row_count == 1)
        assert "Total $714.50" in text(app, "#order-totals")
