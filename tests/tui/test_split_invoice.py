"""Issue #16 finding 6: the desk invoices part of an order (a split shipment) from the order detail, keyboard
only, and shows every invoice of the order with what is invoiced per line (real app, real sandbox)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.widgets import DataTable, Input, Static

from test_shell_support import front, until

from nymble_desk.api.models import OrderCreate, OrderCustomer, OrderItem, SalesRep


async def place(make_client: Any, external_id: str) -> str:
    """An order for CUST-1042 with two lines and no invoice yet; returns its order number."""
    order = OrderCreate(
        customer=OrderCustomer(customer_number="CUST-1042"), order_type="Direct", po_number="PO-TUI-SPLIT",
        price_tier="Wholesale", currency_code="USD", primary_sales_rep=SalesRep(rep_number="REP-007"),
        items=[OrderItem(sku="WDG-BLU-L", quantity=24, price=Decimal("12.50")),
               OrderItem(sku="WDG-RED-M", quantity=12, price=Decimal("11.00"))],
        external_id=external_id)
    async with make_client() as client:
        await client.login()
        ref = await client.orders.create(order)
    return ref.order_number


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_detail(pilot: Any, number: str) -> None:
    from nymble_desk.tui.screens.order_detail import OrderDetailScreen

    app = pilot.app
    await until(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"))
    app.push_screen(OrderDetailScreen(number))
    await until(pilot, lambda: front(app) == "OrderDetailScreen" and app.screen.bundle is not None)
    await pilot.pause()


def invoiced_column(app: Any) -> list[str]:
    lines = app.screen.query_one("#order-lines", DataTable)
    return [str(lines.get_cell(str(i), "inv")) for i in range(lines.row_count)]


async def test_invoice_part_of_an_order_by_keyboard(make_app: Any, make_client: Any) -> None:
    number = await place(make_client, "TUI-SPLIT-1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, number)
        assert invoiced_column(app) == ["0", "0"]
        assert "Invoicing NotInvoiced" in text(app, "#order-invoiced")
        await pilot.press("f12")
        await until(pilot, lambda: front(app) == "SplitInvoiceScreen")
        first = app.screen.query_one("#split-q0", Input)
        assert app.screen.focused is first
        # too many is refused naming the SKU, and what was typed stays
        await pilot.press(*"25")
        await pilot.press("f9")
        await until(pilot, lambda: "! WDG-BLU-L: at most 24 left to invoice" in text(app, "#split-preview"))
        assert type(app.screen).__name__ == "SplitInvoiceScreen" and first.value == "25"
        # the first shipment: 10 blue, nothing red, 10% off this invoice (finding 3: invoice-level discount)
        await pilot.press("backspace", "backspace", *"10", "tab", "tab", *"10%", "tab", *"SHOW: Trade show")
        await until(pilot, lambda: "Will invoice 1 line(s), 10 unit(s), subtotal $125.00, less SHOW Trade show (10%)"
                    in text(app, "#split-preview"))
        await pilot.press("enter")
        await until(pilot, lambda: front(app) == "OrderDetailScreen")
        await until(pilot, lambda: invoiced_column(app) == ["10", "0"])
        invoices = app.screen.query_one("#order-invoices", DataTable)
        row = [str(c) for c in invoices.get_row_at(0)]
        assert invoices.row_count == 1 and row[1] == "Issued" and row[2] == "$112.50", row
        assert "Invoicing PartiallyInvoiced" in text(app, "#order-invoiced")
        assert "26 unit(s) left to invoice" in text(app, "#order-invoiced")
        # the second shipment: F6 fills what is left (14 blue, 12 red), as a Draft
        await pilot.press("ctrl+t")
        await until(pilot, lambda: front(app) == "SplitInvoiceScreen")
        await pilot.press("f6")
        assert [app.screen.query_one(f"#split-q{i}", Input).value for i in range(2)] == ["14", "12"]
        await pilot.press("tab", "tab", "tab", "tab")
        await until(pilot, lambda: app.screen.focused is not None and app.screen.focused.id == "split-status")
        await pilot.press("enter", "down", "enter")  # Status: the list opens, Draft, chosen
        await until(pilot, lambda: "as Draft" in text(app, "#split-preview"))
        await pilot.press("f9")
        await until(pilot, lambda: front(app) == "OrderDetailScreen")
        await until(pilot, lambda: invoiced_column(app) == ["24", "12"])
        invoices = app.screen.query_one("#order-invoices", DataTable)
        assert invoices.row_count == 2
        statuses = sorted(str(invoices.get_row_at(i)[1]) for i in range(2))
        assert statuses == ["Draft", "Issued"]
        assert "Invoicing Invoiced" in text(app, "#order-invoiced")
        # nothing left: the screen says so and sends nothing
        await pilot.press("f12")
        await until(pilot, lambda: front(app) == "SplitInvoiceScreen")
        await until(pilot, lambda: "invoiced already" in text(app, "#split-preview"))
        await pilot.press("f7")
        await until(pilot, lambda: front(app) == "OrderDetailScreen")


async def test_a_voided_invoice_shows_no_balance(make_app: Any, make_client: Any) -> None:
    """Issue #11 item 9 / #16 finding 2: a voided invoice owes nothing, on the order and on the invoices screen."""
    number = await place(make_client, "TUI-VOID-1")
    async with make_client() as client:
        await client.login()
        order = await client.orders.get(number)
        draft = await client.invoices.create_from_order(order.id, status="Draft")
        await client.invoices.void(draft.id, "entered twice")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, number)
        invoices = app.screen.query_one("#order-invoices", DataTable)
        await until(pilot, lambda: invoices.row_count == 1)
        row = [str(c) for c in invoices.get_row_at(0)]
        assert row[1] == "Voided" and row[4] == "$0.00", row
        assert invoiced_column(app) == ["0", "0"]  # a void frees the quantities to invoice again
        await pilot.press("f9")
        await until(pilot, lambda: front(app) == "InvoicesScreen")
        table = app.screen.query_one("#invoices", DataTable)
        await until(pilot, lambda: table.row_count == 1)
        row = [str(c) for c in table.get_row_at(0)]
        assert row[3] == "Voided" and row[6] == "$0.00", row


async def test_issue_a_draft_and_complete_a_pending_payment(make_app: Any, make_client: Any) -> None:
    """Findings 1 and 4 in the desk: a Draft is issued (F11) before it takes payment; a Pending payment
    shows as pending, owes its amount until completed (F12), then counts."""
    number = await place(make_client, "TUI-ISSUE-1")
    async with make_client() as client:
        await client.login()
        order = await client.orders.get(number)
        first = await client.invoices.create_from_order(order.id, "Issued", [{"sku": "WDG-BLU-L", "quantity": 24}])
        await client.invoices.record_payment(first.id, Decimal("300.00"), "ACH", status="Pending")
        draft = await client.invoices.create_from_order(order.id, "Draft")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, number)
        await pilot.press("f9")
        await until(pilot, lambda: front(app) == "InvoicesScreen")
        table = app.screen.query_one("#invoices", DataTable)
        await until(pilot, lambda: table.row_count == 2)

        async def pick(invoice_number: str) -> list[str]:
            table.focus()
            for index, key in enumerate(table.rows):
                if str(table.get_row(key)[0]) == invoice_number:
                    table.move_cursor(row=index)
                    await pilot.pause()
                    return [str(c) for c in table.get_row(key)]
            raise AssertionError(f"{invoice_number} not listed")

        row = await pick(draft.invoice_number)
        assert row[3] == "Draft"
        await pilot.press("f6")
        await until(pilot, lambda: "issue it to the customer first" in text(app, "#invoices-message"))
        assert type(app.screen).__name__ == "InvoicesScreen"
        await pilot.press("f11")
        await until(pilot, lambda: front(app) == "ConfirmScreen")
        await pilot.press("y")
        await until(pilot, lambda: front(app) == "InvoicesScreen")
        await until(pilot, lambda: [str(c) for c in table.get_row(draft.id)][3] == "Issued")

        row = await pick(first.invoice_number)
        assert row[3] == "Issued" and row[5] == "$0.00" and row[6] == "$300.00", row  # pending is not paid
        payments = app.screen.query_one("#payments", DataTable)
        assert str(payments.get_row_at(0)[1]).startswith("PEND")
        await pilot.press("f12")
        await until(pilot, lambda: [str(c) for c in table.get_row(first.id)][3] == "Paid")
        assert [str(c) for c in table.get_row(first.id)][6] == "$0.00"
