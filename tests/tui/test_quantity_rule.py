"""The quantity dialog and the entry line read quantities by one rule (domain/quantity.py), on the real app."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from test_order_entry import open_cart
from test_order_support import add_entry, screen_name, until
from test_order_entry import _Keys


def message(app: Any) -> str:
    return str(app.screen.query_one("#qty-message", Static).render())


async def test_the_quantity_dialog_keeps_the_entry_lines_limit_and_reads_thousands(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_cart(pilot, app)
        await add_entry(_Keys(pilot), app, "WDG-BLU-L*12", expect_sku="WDG-BLU-L", qty=12)  # type: ignore[arg-type]
        table.focus()
        await until(pilot, lambda: table.has_focus)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "QuantityScreen")
        field = app.screen.query_one("#qty-input", Input)
        await pilot.press("ctrl+u", *"150000", "enter")  # was accepted: a line of 150,000
        await until(pilot, lambda: "at most 99,999" in message(app))
        assert screen_name(app) == "QuantityScreen" and field.value == "150000"  # the typed text stays
        await pilot.press("ctrl+u", *("9" * 24), "enter")  # was an SQLite OverflowError
        await until(pilot, lambda: "24-digit" in message(app))
        assert message(app).startswith("! Quantity")
        await pilot.press("ctrl+u", *"1,000", "enter")  # was refused ("type a whole number")
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        draft = app.desk.get_draft(app.screen.draft_id)
        assert draft.line("WDG-BLU-L").quantity == 1000


async def test_the_entry_line_reads_thousands_and_refuses_a_merged_line_over_the_limit(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_cart(pilot, app)
        keys = _Keys(pilot)
        await add_entry(keys, app, "WDG-RED-M*60,000", expect_sku="WDG-RED-M", qty=60_000)  # type: ignore[arg-type]
        entry = app.screen.query_one("#entry", Input)
        await pilot.press(*"WDG-RED-M*40000", "enter")
        said = app.screen.query_one("#entry-message", Static)
        await until(pilot, lambda: "99,999" in str(said.render()))
        assert app.desk.get_draft(app.screen.draft_id).line("WDG-RED-M").quantity == 60_000
        assert entry.value == "WDG-RED-M*40000"  # kept for correction
