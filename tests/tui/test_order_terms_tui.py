"""Issue #13 (credit, the order's own terms, trade-show orders) through the real app, from the keyboard.

Every test drives ``run_test`` over the real in-process sandbox, a real draft file and the real Desk.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.widgets import OptionList

from test_shell_support import status_text
from test_order_support import Keys, add_entry, open_customer, screen_name, until


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def to_checkout(keys: Keys, app: Any, customer: str | None, *entries: tuple[str, str, int]) -> None:
    """From the lookup (or, customer None, the open cart): lines, the default ship-to, then the checkout."""
    if customer is not None:
        await open_customer(keys, app, customer)
    for text, sku, qty in entries:
        await add_entry(keys, app, text, expect_sku=sku, qty=qty)
    await keys.press("f6")
    await until(keys.pilot, lambda: screen_name(app) == "ShippingScreen")
    addresses = app.screen.query_one("#addresses", OptionList)
    await until(keys.pilot, lambda: addresses.option_count > 0)
    await keys.press("enter")
    await until(keys.pilot, lambda: app.screen.query_one("#po").has_focus)
    await keys.press("f8")
    await until(keys.pilot, lambda: screen_name(app) == "CheckoutScreen")
    await until(keys.pilot, lambda: app.screen.loaded and app.screen.credit is not None)


async def read_order(make_client: Any, number: str) -> Any:
    async with make_client() as client:
        await client.login()
        return await client.orders.get(number)


async def test_terms_typed_at_checkout_are_in_the_last_look_and_on_the_order(make_app: Any, make_client: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await to_checkout(keys, app, "CUST-1042", ("WDG-BLU-L*48", "WDG-BLU-L", 48), ("WDG-RED-M*10", "WDG-RED-M", 10))
        await keys.press("f8")
        await until(pilot, lambda: screen_name(app) == "OrderTermsScreen")
        await keys.type("Dock 4 only")
        await keys.press("tab")
        await keys.type("UPS Ground")
        await keys.press("tab")
        await keys.type("25.0x")  # a typo: named by its field, nothing saved, nothing lost
        await keys.press("tab", "tab", "tab")
        await keys.press("f9")
        await until(pilot, lambda: "Ship cost" in text_of(app, "#terms-preview"))
        assert screen_name(app) == "OrderTermsScreen"
        assert app.screen.query_one("#terms-shipping").has_focus
        assert app.screen.query_one("#terms-method").value == "UPS Ground"
        await keys.type("25.00")  # the field's text is selected on focus: typing replaces it
        await keys.press("tab")
        await keys.type("30.10")
        await keys.press("tab")
        await keys.type("10%")
        await keys.press("tab")
        await keys.type("WDG-RED-M 5")
        await keys.press("enter")  # saves
        await until(pilot, lambda: screen_name(app) == "CheckoutScreen")
        assert "$657.20" in text_of(app, "#co-totals")
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        assert text_of(app, "#review-total") == "$657.20"
        assert text_of(app, "#review-discount") == "-$71.90 (10% order; WDG-RED-M $5.00)"
        assert text_of(app, "#review-tax") == "$30.10"
        assert text_of(app, "#review-shipping") == "UPS Ground · $25.00"
        assert text_of(app, "#review-notes") == "Dock 4 only"
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen", timeout=30)
        await until(pilot, lambda: app.screen.facts is not None and app.screen.facts.source == "API")
        assert "Tax $30.10" in text_of(app, "#conf-terms")
        number = app.screen.order_number
    order = await read_order(make_client, number)
    assert order.order_total == Decimal("657.20") and order.notes == "Dock 4 only"
    assert (order.shipping_details.method, order.tax, order.discount_amount) == \
        ("UPS Ground", Decimal("30.10"), Decimal("71.90"))


async def test_over_credit_on_terms_needs_a_reason_recorded_in_the_notes(make_app: Any, make_client: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        # CUST-0082: limit 25,000, 1,090.75 available; 200 x 11.00 = 2,200.00 is 1,109.25 over
        await open_customer(keys, app, "CUST-0082")
        await add_entry(keys, app, "WDG-RED-M*200", expect_sku="WDG-RED-M", qty=200)
        await until(pilot, lambda: "! OVER CREDIT $1,109.25" in text_of(app, "#totals"))
        await to_checkout(keys, app, None)
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        credit = text_of(app, "#review-credit")
        assert "$1,109.25 over credit (available $1,090.75, order $2,200.00)" in credit
        assert app.screen.query_one("#review-reason").has_focus
        await keys.press("f9")  # no reason: nothing placed
        await until(pilot, lambda: "Reason" in text_of(app, "#review-credit"))
        assert screen_name(app) == "ReviewScreen"
        await keys.type("approved by Dana")
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen", timeout=30)
        number = app.screen.order_number
    order = await read_order(make_client, number)
    assert order.notes == ("Credit override ($1,109.25 over credit (available $1,090.75, order $2,200.00)): "
                           "approved by Dana")


async def test_trade_show_mode_is_one_key_on_the_status_line_and_on_the_order(
        make_app: Any, make_client: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        await keys.press("ctrl+g")
        await until(pilot, lambda: "TRADESHOW (assisted)" in status_text(app))
        await to_checkout(keys, app, "CUST-1042", ("WDG-RED-M*2", "WDG-RED-M", 2))
        assert app.screen.channel() == "TradeShow"
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        assert "channel TradeShow" in text_of(app, "#review-payment")
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen", timeout=30)
        number = app.screen.order_number
        await keys.press("ctrl+g", "ctrl+g")  # Phone, then off
        await until(pilot, lambda: "assisted" not in status_text(app))
    order = await read_order(make_client, number)
    assert (order.channel, order.order_type) == ("TradeShow", "Assisted")
    assert order.taken_by_sales_rep is None  # REP-007 is CUST-1042's own rep


async def test_orders_filter_by_channel_and_taken_by(make_app: Any, make_client: Any) -> None:
    async with make_client(client_id="demo-admin", client_secret="demo-admin-secret") as admin:
        await admin.login()
        from nymble_desk.api.models import OrderCreate

        await admin.orders.create(OrderCreate.model_validate({
            "customer": {"customerNumber": "CUST-1042"}, "orderType": "Assisted", "poNumber": "PO-COVER-1",
            "priceTier": "Wholesale", "currencyCode": "USD", "primarySalesRep": {"repNumber": "REP-007"},
            "takenBySalesRep": {"repNumber": "REP-003"}, "channel": "TradeShow", "externalId": "EXT-COVER-1",
            "items": [{"sku": "WDG-RED-M", "quantity": 1, "price": "11.00"}]}))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        await keys.press("f4")
        await until(pilot, lambda: screen_name(app) == "OrdersScreen")
        app.screen.query_one("#f-taken").focus()
        await keys.type("rep-003")
        await keys.press("enter")
        table = app.screen.query_one("#orders")
        await until(pilot, lambda: "1 order" in text_of(app, "#orders-message") or table.row_count == 1)
        assert table.row_count == 1 and str(table.get_row_at(0)[3]).startswith("PO-COVER")
        await keys.press("shift+tab")
        await keys.type("Web")
        await keys.press("enter")
        await until(pilot, lambda: table.row_count == 0 and "Searching" not in text_of(app, "#orders-message"))
