"""Pilot tests of the after-the-order screens against the real in-process sandbox."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input, Static

from test_shell_support import front, until


def screen_is(app: Any, name: str) -> Any:
    return lambda: front(app) == name


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


async def open_invoices(pilot: Any, customer: str = "", order: str = "") -> None:
    """F9 (from the orders screen: the lookup takes F9 for Open) opens the invoices; filter them."""
    app = pilot.app
    await open_orders(pilot)
    await pilot.press("f9")
    await until(pilot, screen_is(app, "InvoicesScreen"))
    app.screen.query_one("#i-customer", Input).value = customer
    app.screen.query_one("#i-order", Input).value = order
    app.screen.query_one("#i-customer", Input).focus()
    await pilot.press("enter")
    await until(pilot, lambda: f"{customer or order}" in text(app, "#invoices-title")
                and app.screen.query_one("#invoices", DataTable).row_count > 0)


def row_of(app: Any, invoice_number: str) -> list[str]:
    table = app.screen.query_one("#invoices", DataTable)
    for key in table.rows:
        row = [str(c) for c in table.get_row(key)]
        if row[0] == invoice_number:
            return row
    raise AssertionError(f"{invoice_number} not listed")


async def select_invoice(pilot: Any, invoice_number: str) -> None:
    table = pilot.app.screen.query_one("#invoices", DataTable)
    table.focus()
    for index, key in enumerate(table.rows):
        if str(table.get_row(key)[0]) == invoice_number:
            table.move_cursor(row=index)
            await pilot.pause()
            return
    raise AssertionError(f"{invoice_number} not listed")


async def test_email_the_confirmation(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        app.screen.query_one("#f-po", Input).focus()
        await pilot.press(*"PO-2024-77001", "enter")
        table = app.screen.query_one("#orders", DataTable)
        await until(pilot, lambda: table.row_count == 1)
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: front(app) == "OrderDetailScreen" and app.screen.bundle)
        await pilot.press("f8")
        await until(pilot, screen_is(app, "EmailScreen"))
        box = app.screen.query_one("#email-to", Input)
        box.value = "not-an-address"
        await pilot.press("f9")
        await until(pilot, lambda: "Not an email address" in text(app, ".edit-message"))
        assert box.value == "not-an-address"  # nothing typed is lost
        box.value = "buyer@example.com, ap@example.com"
        await pilot.press("f9")
        await until(pilot, screen_is(app, "OrderDetailScreen"))
        assert "Confirmation of ORD-00044 sent to buyer@example.com, ap@example.com" in str(
            app.screen.query_one("#order-message", Static).render())
        await until(pilot, lambda: app.screen.bundle is not None)


async def test_partial_then_full_payment_then_partial_refund(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot, customer="CUST-1042")
        balance_before = text(app, "#customer-balance")
        assert "Balance $388.50" in balance_before and "Open invoices 2" in balance_before
        await select_invoice(pilot, "INV-000050")
        await pilot.press("f6")
        await until(pilot, screen_is(app, "PaymentScreen"))
        amount = app.screen.query_one("#pay-amount", Input)
        assert amount.value == "94.50"  # the balance is offered, in cents
        amount.value = "100"
        await pilot.pause()
        assert "exceeds the balance of $94.50" in text(app, "#pay-preview")
        await pilot.press("f9")  # refused before sending
        assert type(app.screen).__name__ == "PaymentScreen" and amount.value == "100"
        amount.value = "40.00"
        app.screen.query_one("#pay-reference", Input).value = "CHK-1001"
        await pilot.pause()
        assert "balance becomes $54.50 and the invoice PartiallyPaid" in text(app, "#pay-preview")
        await pilot.press("f9")
        await until(pilot, screen_is(app, "InvoicesScreen"))
        await until(pilot, lambda: row_of(app, "INV-000050")[3] == "PartiallyPaid")
        assert row_of(app, "INV-000050")[6] == "$54.50"
        await until(pilot, lambda: "Balance $348.50" in text(app, "#customer-balance"))
        await select_invoice(pilot, "INV-000050")
        await pilot.press("f6")
        await until(pilot, screen_is(app, "PaymentScreen"))
        await pilot.press("f9")  # the remaining 54.50
        await until(pilot, screen_is(app, "InvoicesScreen"))
        await until(pilot, lambda: row_of(app, "INV-000050")[3] == "Paid")
        assert row_of(app, "INV-000050")[6] == "$0.00"
        # refund part of the cheque
        await select_invoice(pilot, "INV-000050")
        await until(pilot, lambda: app.screen.query_one("#payments", DataTable).row_count == 2)
        await pilot.press("f7")
        await until(pilot, screen_is(app, "RefundScreen"))
        app.screen.query_one("#refund-amount", Input).value = "15.25"
        await pilot.pause()
        preview = text(app, "#refund-preview")
        assert "Will refund $15.25 (in part)" in preview and "net becomes $24.75" in preview
        await pilot.press("f9")
        await until(pilot, screen_is(app, "InvoicesScreen"))
        await until(pilot, lambda: row_of(app, "INV-000050")[3] == "PartiallyPaid")
        assert row_of(app, "INV-000050")[5] == "$79.25" and row_of(app, "INV-000050")[6] == "$15.25"
        await select_invoice(pilot, "INV-000050")
        payments = app.screen.query_one("#payments", DataTable)
        await until(pilot, lambda: payments.row_count == 3)
        rows = [[str(c) for c in payments.get_row(k)] for k in payments.rows]
        cheque = next(r for r in rows if r[2] == "CHK-1001")
        assert cheque[3:] == ["$40.00", "$15.25", "$24.75"]
        assert any(r[1] == "refund" and r[3] == "-$15.25" for r in rows)


async def test_void_a_draft_and_refuse_voiding_a_paid_one(make_app: Any, make_client: Any) -> None:
    from decimal import Decimal

    from nymble_desk.api.models import OrderCreate

    async with make_client() as client:
        await client.login()
        made = await client.orders.create(OrderCreate.model_validate({
            "customer": {"customerNumber": "CUST-1042", "companyName": "Brightfield Supply Co."},
            "orderType": "Direct", "poNumber": "PO-VOID-1", "priceTier": "Wholesale", "currencyCode": "USD",
            "primarySalesRep": {"repNumber": "REP-007"}, "externalId": "T-VOID-TUI",
            "items": [{"sku": "WDG-BLU-L", "quantity": 2, "price": Decimal("12.50")}]}))
        draft = await client.invoices.create_from_order(made.id, "Draft")
    seen: list[Any] = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await open_invoices(pilot, customer="CUST-1042")
        await until(pilot, lambda: any(r == draft.invoice_number for r in
                                       (str(app.screen.query_one("#invoices", DataTable).get_row(k)[0])
                                        for k in app.screen.query_one("#invoices", DataTable).rows)))
        # a Paid invoice: refused with the reason, nothing sent, no confirmation asked
        await select_invoice(pilot, "INV-000044")
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "InvoicesScreen"
        message = text(app, "#invoices-message")
        assert "Cannot void INV-000044" in message and "only Draft or Issued" in message
        assert row_of(app, "INV-000044")[3] == "Paid"
        # the Draft one: confirmation states what happens, then Voided
        await select_invoice(pilot, draft.invoice_number)
        await pilot.press("f8")
        await until(pilot, screen_is(app, "ConfirmScreen"))
        assert "removed from accounts receivable" in text(app, "#confirm-what")
        await pilot.press("y")
        await until(pilot, screen_is(app, "InvoicesScreen"))
        await until(pilot, lambda: row_of(app, draft.invoice_number)[3] == "Voided")
        # and a voided one cannot be voided again
        await select_invoice(pilot, draft.invoice_number)
        await pilot.press("f8")
        await pilot.pause()
        assert "already Voided" in text(app, "#invoices-message")
