"""The cart's entry line and lines table from the keyboard, against the real sandbox:
type-ahead (ghost completion accepted only with tab/right, a match list to arrow into),
a scanner's burst, unknown SKUs, and editing lines (quantity modal, +/-, delete)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from textual.widgets import Input, OptionList

from nymble_desk.sync.desk import Desk

from nymble_desk.tui.widgets.entry_line import EntryInput
from nymble_desk.tui.widgets.line_table import LineTable
from test_order_support import add_entry, entry_message, screen_name, until


async def open_cart(pilot: Any, app: Any, number: str = "CUST-1042") -> LineTable:
    await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
    customer = (await app.desk.customer_summary(number)).customer
    app.start_order(customer)
    await until(pilot, lambda: screen_name(app) == "CartScreen" and bool(app.screen.query("#entry")))
    await pilot.pause()
    return app.screen.query_one(LineTable)


class _Keys:
    def __init__(self, pilot: Any) -> None:
        self.pilot, self.count = pilot, 0

    async def type(self, text: str) -> None:
        await self.press(*text)

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)


async def test_type_ahead_offers_but_never_adds_on_its_own(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_cart(pilot, app)
        entry = app.screen.query_one("#entry", EntryInput)
        matches = app.screen.query_one("#matches", OptionList)
        await pilot.press(*"WDG-BL")
        await until(pilot, lambda: entry.suggestion.upper().startswith("WDG-BL") and len(entry.suggestion) > 6)
        await until(pilot, lambda: matches.option_count > 0 and matches.display)
        assert any("WDG-BLU-L" in str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count))
        assert entry.value == "WDG-BL" and table.row_count == 0  # nothing added by the suggestion
        ghost = entry.suggestion
        await pilot.press("tab")  # accept the ghost
        assert entry.value == ghost
        # pick from the list instead: down into the matches, enter puts the SKU in the field
        await pilot.press("ctrl+u", *"Widget Blue")
        await until(pilot, lambda: matches.option_count > 0 and matches.display)
        await pilot.press("down")
        assert matches.has_focus
        await pilot.press("enter")
        await until(pilot, lambda: entry.has_focus)
        picked = entry.value
        assert picked and " " not in picked and table.row_count == 0
        await pilot.press("enter")  # no quantity: the product's smallest valid one
        await until(pilot, lambda: picked in table.rows or "!" in entry_message(app))
        assert picked in table.rows, (picked, entry_message(app))
        line = app.desk.get_draft(app.screen.draft_id).line(picked)
        assert str(table.get_row(picked)[2]) == str(line.quantity) and line.quantity >= line.minimum
        assert entry_message(app).startswith(f"Added {line.quantity} x {picked}")
        await until(pilot, lambda: entry.value == "")


async def test_scanner_burst_and_unknown_sku(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_cart(pilot, app)
        entry = app.screen.query_one("#entry", Input)
        # a scanner: the UPC's digits and Enter in one burst, twice
        await pilot.press(*"012345678905", "enter", *"012345678905", "enter")
        await until(pilot, lambda: "WDG-BLU-L" in table.rows and str(table.get_row("WDG-BLU-L")[2]) == "2")
        await until(pilot, lambda: entry.value == "")
        # unknown SKU: said plainly next to the field, the typed text stays
        await pilot.press(*"WDG-XYZ", "enter")
        await until(pilot, lambda: "WDG-XYZ" in entry_message(app))
        assert entry_message(app) == "! No product WDG-XYZ"
        assert entry.value == "WDG-XYZ" and table.row_count == 1
        # a malformed entry is refused by the grammar, the text stays
        await pilot.press("ctrl+u", *"WDG-BLU-L*0", "enter")
        await until(pilot, lambda: entry_message(app).startswith("! ") and "WDG-XYZ" not in entry_message(app))
        assert entry.value == "WDG-BLU-L*0"


async def test_lines_edited_from_the_keyboard(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = _Keys(pilot)
        table = await open_cart(pilot, app)
        await add_entry(keys, app, "PART-A1*20", expect_sku="PART-A1", qty=20)  # type: ignore[arg-type]
        await add_entry(keys, app, "WDG-BLU-L*47", expect_sku="WDG-BLU-L", qty=47)  # type: ignore[arg-type]
        assert str(table.get_cell("WDG-BLU-L", "hint")) == "48+ at $11.75"  # the tier-break hint
        totals = app.screen.query_one("#totals")
        await pilot.press("f7")
        await until(pilot, lambda: table.has_focus)
        assert table.current_sku == "WDG-BLU-L"
        await pilot.press("plus")  # + one increment: 48 reaches the break
        await until(pilot, lambda: str(table.get_row("WDG-BLU-L")[2]) == "48")
        assert str(table.get_cell("WDG-BLU-L", "unit")) == "$11.75" and str(table.get_cell("WDG-BLU-L", "hint")) == ""
        await pilot.press("up")  # PART-A1: minimum 10, multiples of 10
        await pilot.press("minus")
        await until(pilot, lambda: str(table.get_row("PART-A1")[2]) == "10")
        await pilot.press("minus")  # below the minimum: refused in words
        await until(pilot, lambda: "minimum 10" in entry_message(app))
        assert str(table.get_row("PART-A1")[2]) == "10"
        # enter: the quantity modal; a wrong quantity is refused there, escape goes back
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "QuantityScreen")
        await pilot.press("ctrl+u", *"25", "enter")
        await until(pilot, lambda: "Try 20 or 30" in str(app.screen.query_one("#qty-message").render()))
        assert app.screen.query_one("#qty-input", Input).value == "25"
        await pilot.press("ctrl+u", *"30", "enter")
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        await until(pilot, lambda: str(table.get_row("PART-A1")[2]) == "30")
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "QuantityScreen")
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        assert str(table.get_row("PART-A1")[2]) == "30"
        # delete removes the line; the totals follow at once
        await pilot.press("delete")
        await until(pilot, lambda: "PART-A1" not in table.rows)
        assert "Items 48 " in str(totals.render())
        draft = app.desk.get_draft(app.screen.draft_id)
        assert [(line.sku, line.quantity) for line in draft.lines] == [("WDG-BLU-L", 48)]


async def test_reorder_a_past_order_from_the_customer_panel(make_app: Any, make_client: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_cart(pilot, app)
        orders = app.screen.query_one("#recent-orders", OptionList)
        await until(pilot, lambda: orders.option_count > 0 and orders.get_option_at_index(0).id is not None)
        await pilot.press("f7", "tab")  # entry -> lines -> the panel's last orders
        assert orders.has_focus
        if orders.highlighted is None:  # nothing highlighted yet: the first arrow highlights the newest
            await pilot.press("down")
        past = orders.get_option_at_index(orders.highlighted or 0).id
        await pilot.press("enter")
        await until(pilot, lambda: "Reorder" in entry_message(app) or "! " in entry_message(app), timeout=30)
        assert "Reorder" in entry_message(app), entry_message(app)
        async with make_client() as client:
            await client.login()
            order = await client.orders.get(past)
        draft = app.desk.get_draft(app.screen.draft_id)
        assert "not added" not in entry_message(app)  # a line over stock is warned about ("! Over stock"), not refused
        assert sorted((line.sku, line.quantity) for line in draft.lines) == sorted(
            (item.sku, item.quantity) for item in order.items
        )
        assert table.row_count == len(draft.lines) > 0
        assert app.screen.query_one("#entry").has_focus


class HeldLookups(httpx.AsyncBaseTransport):
    """The network edge, holding product look-ups until ``gate`` opens (a slow link).

    The product list (the local index's fill) is held too, so that the look-ups
    really go over the network, as on a first start before the index is filled."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/api/products"):
            await self.gate.wait()
        return await self.inner.handle_async_request(request)


async def test_scanner_bursts_while_the_first_lookup_is_in_flight(
    make_app: Any, make_client: Any, sandbox_app: Any, draft_store: Any
) -> None:
    slow = HeldLookups(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))
    app = make_app(desk=Desk(make_client(transport=slow), draft_store))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_cart(pilot, app)
        entry = app.screen.query_one("#entry", Input)
        await pilot.press(*"012345678905", "enter")
        assert entry.value == ""  # cleared when read: the next burst starts on an empty field
        await pilot.press(*"WDG-RED-M*12", "enter")
        assert table.row_count == 0 and entry.value == ""  # both look-ups are on their way
        slow.gate.set()
        await until(pilot, lambda: "WDG-BLU-L" in table.rows and "WDG-RED-M" in table.rows)
        assert str(table.get_row("WDG-BLU-L")[2]) == "1" and str(table.get_row("WDG-RED-M")[2]) == "12"
        assert entry.value == "" and not entry_message(app).startswith("!")
