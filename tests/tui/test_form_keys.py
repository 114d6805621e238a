"""Every form applies keys in the order they arrive, on the real app over the real sandbox.

A burst is what one terminal read delivers (a scanner, a paste, a fast typist over a
laggy SSH link): the keys are posted to the app back to back, without letting it run
between them. With a plain ``Input`` the field's own bindings (backspace, ctrl+u,
enter) ran after the characters that followed them; ``OrderedInput`` applies them in order.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from typing import Any

import pytest
from textual import events
from textual.widgets import DataTable, Input, Static

from nymble_desk.tui.screens import (
    checkout,
    confirmation,
    invoices,
    order_edit,
    orders,
    payment,
    quantity,
    refund,
    shipping,
    signin,
)
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from test_after_order import open_invoices, open_orders, row_of, select_invoice
from test_order_entry import _Keys, open_cart
from test_order_support import add_entry, screen_name, until

BS, ENTER, CTRL_U = "backspace", "enter", "ctrl+u"
_CONTROL = {BS: "\x7f", ENTER: "\r", CTRL_U: "\x15", "tab": "\t"}


def key_for(char: str) -> events.Key:
    """The Key event a terminal read makes of one typed character ("-" arrives as "minus")."""
    if char.isalnum():
        return events.Key(char, char)
    return events.Key(unicodedata.name(char).lower().replace("-", "_").replace(" ", "_"), char)


def burst(app: Any, *parts: str) -> None:
    """Post ``parts`` as one read: control key names as they are, any other string char by char."""
    for part in parts:
        if part in _CONTROL:
            app.post_message(events.Key(part, _CONTROL[part]))
        else:
            for char in part:
                app.post_message(key_for(char))


def field(app: Any, ident: str) -> Input:
    return app.screen.query_one(f"#{ident}", Input)


async def focus(pilot: Any, ident: str) -> Input:
    box = field(pilot.app, ident)
    box.focus()
    await until(pilot, lambda: box.has_focus)
    return box


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def test_every_text_field_of_the_forms_is_ordered() -> None:
    """No form builds a plain Input (only OrderedInput) and each builds at least one field."""
    for module in (signin, shipping, checkout, payment, refund, order_edit, confirmation, quantity, orders, invoices):
        source = inspect.getsource(module)
        assert not re.search(r"(?<![\w.])Input\(", source), f"{module.__name__} builds a plain Input"
        assert "OrderedInput(" in source, module.__name__
    assert issubclass(OrderedInput, Input)  # queries, CSS and Input.Submitted handlers still match


async def test_sign_in_burst_with_backspace_then_enter_signs_in(make_app: Any) -> None:
    from nymble_desk.tui.screens.customers import CustomerLookupScreen

    app = make_app(signed_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, signin.SignInScreen) and app.screen.is_mounted)
        org = await focus(pilot, "org")
        burst(app, "DEMX", BS, "O")
        await until(pilot, lambda: org.value == "DEMO")
        await pilot.press("tab")  # tab still moves on
        await until(pilot, lambda: field(app, "client").has_focus)
        burst(app, "demo-rex", BS, "p")
        await until(pilot, lambda: field(app, "client").value == "demo-rep")
        if not field(app, "url").value:
            field(app, "url").value = "http://sandbox"
        secret = await focus(pilot, "secret")
        assert secret.password  # masked
        burst(app, "demo-rep-secrex", BS, "t", ENTER)  # the secret is only right if backspace ran in place
        await until(pilot, lambda: isinstance(app.screen, CustomerLookupScreen) and app.screen.is_mounted)
        assert app.signed_in and app.identity is not None and app.identity.rep_number == "REP-007"


async def test_a_burst_across_fields_lands_each_part_in_its_field(make_app: Any) -> None:
    """Typing ahead over a slow link: the keys after a tab belong to the next field."""
    app = make_app(signed_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, signin.SignInScreen) and app.screen.is_mounted)
        org = await focus(pilot, "org")
        org.value = ""
        burst(app, "DEMO", "tab", "demo-rex", BS, "p", "tab")
        await until(pilot, lambda: field(app, "client").value == "demo-rep")
        await pilot.pause()
        assert org.value == "DEMO" and field(app, "client").value == "demo-rep"
        assert not org.has_focus and not field(app, "client").has_focus  # the last tab moved on again


async def test_ship_to_and_po_bursts(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot, app)
        await pilot.press("f6")
        await until(pilot, lambda: screen_name(app) == "ShippingScreen" and bool(app.screen.addresses))
        street = await focus(pilot, "ship-address1")
        burst(app, "12 Harbox", BS, "r Rd")
        await until(pilot, lambda: street.value == "12 Harbor Rd")
        burst(app, ENTER)  # enter moves to the next field
        await until(pilot, lambda: field(app, "ship-address2").has_focus)
        await focus(pilot, "po")
        burst(app, CTRL_U, "PO-77x", BS, "1", ENTER)  # typed, corrected and saved in one read
        await until(pilot, lambda: "PO-771" in text(app, "#po-message"))
        assert app.desk.get_draft(app.screen.draft_id).po_number == "PO-771"
        await pilot.press("escape")  # escape still leaves
        await until(pilot, lambda: screen_name(app) == "CartScreen")


async def test_checkout_card_fields_take_bursts_in_order(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_cart(pilot, app)
        await add_entry(_Keys(pilot), app, "WDG-RED-M*3", expect_sku="WDG-RED-M", qty=3)  # type: ignore[arg-type]
        app.desk.set_ship_to(app.screen.draft_id, {"address1": "500 Commerce Drive", "city": "Austin",
                                                   "stateProvince": "TX", "postalCode": "78701", "country": "US"})
        await pilot.press("f8")
        await until(pilot, lambda: screen_name(app) == "CheckoutScreen" and bool(app.screen.billing))
        await pilot.press("tab", "down", "enter")  # Payment: Card
        await until(pilot, lambda: field(app, "card-number").has_focus)
        assert field(app, "card-number").password and field(app, "card-cvv").password
        holder = await focus(pilot, "card-holder")
        burst(app, "Ann Leex", BS, " Smith")
        await until(pilot, lambda: holder.value == "Ann Lee Smith")
        month = await focus(pilot, "card-month")  # max_length=2: "13" is full until backspace makes room
        burst(app, "13", BS, "2")
        await until(pilot, lambda: month.value == "12")
        await pilot.press("escape")  # back to the cart; the card fields are cleared on the way
        await until(pilot, lambda: screen_name(app) == "CartScreen")


async def test_payment_amount_and_reference_bursts_record_the_payment(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot, customer="CUST-1042")
        await select_invoice(pilot, "INV-000050")
        await pilot.press("f6")
        await until(pilot, lambda: screen_name(app) == "PaymentScreen")
        reference = await focus(pilot, "pay-reference")
        burst(app, "CHK-10x", BS, "01")
        await until(pilot, lambda: reference.value == "CHK-1001")
        amount = await focus(pilot, "pay-amount")
        assert amount.value == "94.50"  # the balance, in cents
        burst(app, CTRL_U, "12", BS, "5", ENTER)  # 15, sent by the Enter of the same read
        await until(pilot, lambda: screen_name(app) == "InvoicesScreen")
        await until(pilot, lambda: row_of(app, "INV-000050")[3] == "PartiallyPaid")
        assert row_of(app, "INV-000050")[6] == "$79.50"
        await select_invoice(pilot, "INV-000050")
        payments = app.screen.query_one("#payments", DataTable)
        await until(pilot, lambda: payments.row_count == 1)
        row = [str(c) for c in payments.get_row_at(0)]
        assert row[2] == "CHK-1001" and row[3] == "$15.00"


async def test_refund_amount_burst(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot, customer="CUST-1042")
        await select_invoice(pilot, "INV-000050")
        await pilot.press("f6")
        await until(pilot, lambda: screen_name(app) == "PaymentScreen")
        await pilot.press("f9")  # pay it in full, then refund part of it
        await until(pilot, lambda: screen_name(app) == "InvoicesScreen")
        await until(pilot, lambda: row_of(app, "INV-000050")[3] == "Paid")
        await select_invoice(pilot, "INV-000050")
        await until(pilot, lambda: app.screen.query_one("#payments", DataTable).row_count == 1)
        await pilot.press("f7")
        await until(pilot, lambda: screen_name(app) == "RefundScreen")
        amount = await focus(pilot, "refund-amount")
        burst(app, CTRL_U, "10x", BS, ".25")
        await until(pilot, lambda: amount.value == "10.25")
        await until(pilot, lambda: "Will refund $10.25 (in part)" in text(app, "#refund-preview"))
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "InvoicesScreen")


async def test_quantity_modal_burst_saves_once_and_keeps_digits_only(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_cart(pilot, app)
        await add_entry(_Keys(pilot), app, "WDG-BLU-L*12", expect_sku="WDG-BLU-L", qty=12)  # type: ignore[arg-type]
        await pilot.press("f7")
        await until(pilot, lambda: table.has_focus)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "QuantityScreen")
        qty = field(app, "qty-input")
        assert qty.restrict  # digits and thousands separators ("1,000"), as the one quantity rule reads them
        burst(app, "1x2", BS, "5")  # "x" is refused by the field; the selected 12 is replaced
        await until(pilot, lambda: qty.value == "15")
        burst(app, BS, "7", ENTER)
        await until(pilot, lambda: str(table.get_row("WDG-BLU-L")[2]) == "17")
        await pilot.pause(0.1)
        assert screen_name(app) == "CartScreen"  # the modal's Enter did not reopen it from the table
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "QuantityScreen")
        burst(app, "99")
        await until(pilot, lambda: field(app, "qty-input").value == "99")
        await pilot.press("escape")  # escape leaves without saving
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        assert str(table.get_row("WDG-BLU-L")[2]) == "17"


@pytest.mark.parametrize("ident, typed, value, expected", [
    ("f-po", ("PO-2024-7700x", BS, "1"), "PO-2024-77001", "INV-000044"),
    ("f-order", ("ORD-0004x", BS, "4"), "ORD-00044", "ORD-00044"),
])
async def test_orders_filter_burst_searches_the_whole_text(make_app: Any, ident: str, typed: tuple[str, ...],
                                                           value: str, expected: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        await focus(pilot, ident)
        burst(app, *typed, ENTER)
        table = app.screen.query_one("#orders", DataTable)
        await until(pilot, lambda: table.row_count == 1 and expected in str(table.get_row_at(0)))
        assert field(app, ident).value == value


async def test_invoices_filter_burst(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot, customer="CUST-1042")
        box = await focus(pilot, "i-status")
        burst(app, "Issuex", BS, "d", ENTER)
        table = app.screen.query_one("#invoices", DataTable)
        await until(pilot, lambda: table.has_focus)  # Enter searched and moved to the results
        assert box.value == "Issued"
        await until(pilot, lambda: table.row_count > 0
                    and all(str(table.get_row(k)[3]) == "Issued" for k in table.rows))


async def open_order(pilot: Any, po: str = "PO-2024-77001") -> None:
    app = pilot.app
    await open_orders(pilot)
    await focus(pilot, "f-po")
    burst(app, po, ENTER)
    table = app.screen.query_one("#orders", DataTable)
    await until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(app) == "OrderDetailScreen" and bool(app.screen.bundle))


async def test_order_edit_email_and_move_customer_bursts(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot)
        await pilot.press("f8")
        await until(pilot, lambda: screen_name(app) == "EmailScreen")
        to = field(app, "email-to")
        await until(pilot, lambda: to.has_focus)
        burst(app, CTRL_U, "ap@example.orx", BS, "g", ENTER)  # Enter sends what the read typed
        await until(pilot, lambda: screen_name(app) == "OrderDetailScreen")
        await until(pilot, lambda: "sent to ap@example.org" in text(app, "#order-message"))
        await pilot.press("f7")
        await until(pilot, lambda: screen_name(app) == "MoveCustomerScreen")
        await until(pilot, lambda: field(app, "move-customer").has_focus)
        burst(app, "cust-008x", BS, "2", ENTER)  # Enter looks the customer up; F9 would move
        await until(pilot, lambda: "to CUST-0082" in text(app, ".edit-message"))
        assert field(app, "move-customer").value == "cust-0082"
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "OrderDetailScreen")


async def test_confirmation_email_burst_sends_to_the_corrected_address(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        app.push_screen(confirmation.ConfirmationScreen("ORD-00044", None, email="old@example.com"))
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen" and bool(app.screen.query("#conf-email")))
        box = await focus(pilot, "conf-email")
        burst(app, CTRL_U, "buyer@example.comx", BS, ENTER)
        await until(pilot, lambda: "Confirmation emailed to buyer@example.com." in text(app, "#conf-message"))
        assert box.value == "buyer@example.com"
