"""Quit halfway through an order, start a new app on the same drafts DB, resume the draft, finish."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.widgets import OptionList

from nymble_desk.api.paging import Filter
from nymble_desk.drafts.store import DraftStore
from nymble_desk.sync.desk import Desk
from nymble_desk.tui.widgets.line_table import LineTable
from test_order_support import Keys, add_entry, open_customer, screen_name, until


async def test_quit_halfway_then_resume_and_finish(make_app: Any, make_client: Any, draft_store: DraftStore) -> None:
    # first run: two lines and a PO, then quit with f10
    first = make_app()
    async with first.run_test(size=(100, 30)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, first, "CUST-1042")
        await add_entry(keys, first, "WDG-BLU-L*24", expect_sku="WDG-BLU-L", qty=24)
        await add_entry(keys, first, "PART-A1*30", expect_sku="PART-A1", qty=30)
        await keys.press("f10")
    assert first.return_code in (0, None)

    # second run: a new store and Desk on the same file, as after a restart
    store = DraftStore(draft_store.path)
    second = make_app(desk=Desk(make_client(), store))
    async with second.run_test(size=(100, 30)) as pilot:
        keys = Keys(pilot)
        await until(pilot, lambda: screen_name(second) == "DraftsScreen")  # the drafts offer at start
        await keys.press("enter")
        await until(pilot, lambda: screen_name(second) == "CartScreen")
        table = second.screen.query_one(LineTable)
        await until(pilot, lambda: table.row_count == 2)
        assert str(table.get_row("WDG-BLU-L")[2]) == "24" and str(table.get_row("PART-A1")[2]) == "30"

        # finish: one more line, the quantity of another changed from the keyboard, ship-to, checkout
        await add_entry(keys, second, "WDG-RED-M*6", expect_sku="WDG-RED-M", qty=6)
        await keys.press("f7")  # to the lines table; the cursor is on the line just added
        await until(pilot, lambda: table.has_focus)
        await keys.press("up", "up", "enter")  # WDG-BLU-L: edit its quantity
        await until(pilot, lambda: screen_name(second) == "QuantityScreen")
        await keys.press("ctrl+u", *"48", "enter")
        await until(pilot, lambda: screen_name(second) == "CartScreen" and str(table.get_row("WDG-BLU-L")[2]) == "48")
        assert str(table.get_cell("WDG-BLU-L", "unit")) == "$11.75"
        await keys.press("f6")
        await until(pilot, lambda: screen_name(second) == "ShippingScreen")
        addresses = second.screen.query_one("#addresses", OptionList)
        await until(pilot, lambda: addresses.option_count > 0 and addresses.get_option_at_index(0).id == "0")
        await keys.press("enter")
        await until(pilot, lambda: second.screen.query_one("#po").has_focus)
        await keys.type("PO-RESUME-7")
        await keys.press("enter", "f8")
        await until(pilot, lambda: screen_name(second) == "CheckoutScreen")
        await keys.press("f9")  # the last look, then the order
        await until(pilot, lambda: screen_name(second) == "ReviewScreen")
        await keys.press("f9")
        await until(pilot, lambda: screen_name(second) == "ConfirmationScreen", timeout=30)
        order_number = second.screen.order_number

    async with make_client() as client:
        await client.login()
        order = await client.orders.get(order_number)
        same_po = await client.orders.search([Filter("poNumber", "equals", "PO-RESUME-7")])
    assert {i.sku: (i.quantity, Decimal(i.price)) for i in order.items} == {
        "WDG-BLU-L": (48, Decimal("11.75")),
        "PART-A1": (30, Decimal("4.25")),
        "WDG-RED-M": (6, Decimal("11.00")),
    }
    assert order.po_number == "PO-RESUME-7"
    assert len(same_po.items) == 1
