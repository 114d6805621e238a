"""A complete order typed from the keyboard alone, against the real in-process sandbox.

Find CUST-1042, five lines by SKU*QTY (a tier break: WDG-BLU-L*48 at $11.75
Wholesale; an MOQ refusal: PART-A1*15 refused, then PART-A1*20), ship-to, PO,
checkout on terms; then the order in the sandbox, read back through the API
client, has the same lines, prices and PO.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.widgets import OptionList

from nymble_desk.tui.widgets.line_table import LineTable
from test_order_support import Keys, add_entry, entry_message, open_customer, screen_name, until



async def test_full_order_typed_from_the_keyboard(make_app: Any, make_client: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app, "CUST-1042")
        table = app.screen.query_one(LineTable)

        await add_entry(keys, app, "WDG-BLU-L*48", expect_sku="WDG-BLU-L", qty=48)
        assert str(table.get_cell("WDG-BLU-L", "unit")) == "$11.75"  # the 48+ Wholesale break
        await add_entry(keys, app, "WDG-RED-M*12", expect_sku="WDG-RED-M", qty=12)
        await add_entry(keys, app, "50*PART-B3", expect_sku="PART-B3", qty=50)
        await add_entry(keys, app, "WIDGET-RED-M 3", expect_sku="WIDGET-RED-M", qty=3)

        # PART-A1 has minimum 10, multiples of 10: 15 is refused, the text stays
        await add_entry(keys, app, "PART-A1*15")
        await until(pilot, lambda: "PART-A1" in entry_message(app))
        assert entry_message(app) == "! PART-A1: minimum 10, multiples of 10. Try 10 or 20"
        assert app.screen.query_one("#entry").value == "PART-A1*15"
        assert "PART-A1" not in table.rows
        await keys.press("backspace", "backspace")
        await add_entry(keys, app, "20", expect_sku="PART-A1", qty=20)
        assert table.row_count == 5
        totals = str(app.screen.query_one("#totals").render())
        assert "Items 133" in totals

        # ship-to: the customer's default address, picked with Enter; then the PO
        await keys.press("f6")
        await until(pilot, lambda: screen_name(app) == "ShippingScreen")
        addresses = app.screen.query_one("#addresses", OptionList)
        await until(pilot, lambda: addresses.option_count > 0 and addresses.get_option_at_index(0).id == "0")
        await keys.press("enter")
        await until(pilot, lambda: app.screen.query_one("#po").has_focus)
        await keys.type("PO-E2-0001")
        await keys.press("enter")
        await until(pilot, lambda: "not used before" in str(app.screen.query_one("#po-message").render()))

        # checkout on terms (the default), channel Phone (the default)
        await keys.press("f8")
        await until(pilot, lambda: screen_name(app) == "CheckoutScreen")
        await until(pilot, lambda: app.screen.billing != [])
        await keys.press("f9")  # the last look, then the order
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen", timeout=30)
        order_number = app.screen.order_number
        print(f"\nfull order: {keys.count} keystrokes, order {order_number}")

    draft = app.desk.drafts()
    assert draft == []  # the draft is closed (submitted)
    async with make_client() as client:
        await client.login()
        order = await client.orders.get(order_number)
    got = {item.sku: (item.quantity, Decimal(item.price)) for item in order.items}
    assert got == {
        "WDG-BLU-L": (48, Decimal("11.75")),
        "WDG-RED-M": (12, Decimal("11.00")),
        "PART-B3": (50, Decimal("9.99")),
        "WIDGET-RED-M": (3, got["WIDGET-RED-M"][1]),
        "PART-A1": (20, Decimal("4.25")),
    }
    assert order.po_number == "PO-E2-0001"
    assert order.channel == "Phone"
