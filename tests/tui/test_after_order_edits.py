"""Pilot tests: the cart's customer panel after a payment, reorder, ship-to, move, paging and sorting."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input, OptionList, Static

from test_after_order import open_orders, row_of, screen_is, select_invoice, text
from test_shell_support import front, until


async def open_order(pilot: Any, po: str) -> None:
    app = pilot.app
    await open_orders(pilot)
    app.screen.query_one("#f-po", Input).focus()
    await pilot.press(*po, "enter")
    table = app.screen.query_one("#orders", DataTable)
    await until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await until(pilot, lambda: front(app) == "OrderDetailScreen" and app.screen.bundle is not None)


async def test_cart_panel_balance_updates_after_a_payment(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, screen_is(app, "CustomerLookupScreen"))
        from nymble_desk.tui.messages import StartOrder

        customer = await app.desk.client.customers.get("CUST-1042")
        app.post_message(StartOrder(customer))  # as the lookup does: handled in the app's own context
        await until(pilot, screen_is(app, "CartScreen"))
        summary = app.screen.query_one("#customer-summary", Static)
        await until(pilot, lambda: "Balance $388.50" in str(summary.render()))
        assert "Open invoices 2" in str(summary.render())
        # over the cart: this customer's invoices, from the palette (F9 on the cart is the last look)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: front(app) == "CommandPalette")
        await pilot.press(*"Invoices")
        await until(pilot, lambda: any("Invoices" in str(o.prompt)
                                       for o in app.screen.query("CommandList").first().options), timeout=10)
        await pilot.press("enter")
        await until(pilot, screen_is(app, "InvoicesScreen"))
        # 3 invoices of the recent orders, 4 paid ones of the repeat orders (sandbox.demo.HISTORY)
        await until(pilot, lambda: app.screen.query_one("#invoices", DataTable).row_count == 7)
        assert "CUST-1042" in text(app, "#invoices-title")
        await select_invoice(pilot, "INV-000050")
        await pilot.press("f6")
        await until(pilot, screen_is(app, "PaymentScreen"))
        await pilot.press("f9")
        await until(pilot, screen_is(app, "InvoicesScreen"))
        await until(pilot, lambda: row_of(app, "INV-000050")[3] == "Paid")
        await pilot.press("escape")
        await until(pilot, screen_is(app, "CartScreen"))
        await until(pilot, lambda: "Balance $294.00" in str(summary.render()))
        assert "Open invoices 1" in str(summary.render())


async def test_reorder_into_a_new_draft(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, "PO-2024-78010")
        skus = {item.sku for item in app.screen.order.items}
        await pilot.press("f11")
        await until(pilot, screen_is(app, "ConfirmScreen"))
        assert "order itself is not changed" in text(app, "#confirm-what")
        await pilot.press("y")
        await until(pilot, screen_is(app, "CartScreen"), timeout=10)
        draft = app.screen.draft
        assert draft.customer_number == "CUST-1042"
        await until(pilot, lambda: {line.sku for line in app.desk.get_draft(draft.id).lines} == skus)


async def test_change_ship_to_and_move_customer(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, "PO-2024-77452")
        await pilot.press("f6")
        await until(pilot, screen_is(app, "ShipToScreen"))
        saved = app.screen.query_one("#ship-saved", OptionList)
        await until(pilot, lambda: saved.option_count == 2)
        app.screen.query_one("#ship-city", Input).value = ""
        await pilot.press("f9")
        await until(pilot, lambda: "City: required" in text(app, ".edit-message"))
        saved.focus()
        saved.highlighted = next(i for i in range(2) if "Portland" in str(saved.get_option_at_index(i).prompt))
        await pilot.press("enter")
        assert app.screen.query_one("#ship-city", Input).value == "Portland"
        await pilot.press("f9")
        await until(pilot, lambda: screen_is(app, "OrderDetailScreen")() or "!" in text(app, ".edit-message"))
        assert screen_is(app, "OrderDetailScreen")(), text(app, ".edit-message")
        await until(pilot, lambda: "Ship-to 300 Commerce Blvd, Portland" in text(app, "#order-header"))
        await pilot.press("f7")
        await until(pilot, screen_is(app, "MoveCustomerScreen"))
        await pilot.press("f9")
        assert "look the customer up first" in text(app, ".edit-message")
        await pilot.press(*"CUST-9999", "enter")
        await until(pilot, lambda: "To customer:" in text(app, ".edit-message") and "!" in text(app, ".edit-message"))
        box = app.screen.query_one("#move-customer", Input)
        box.value = ""
        await pilot.press(*"cust-0082", "enter")
        await until(pilot, lambda: "Will move ORD-00050 from CUST-1042 to CUST-0082" in text(app, ".edit-message"))
        await pilot.press("f9")
        await until(pilot, screen_is(app, "OrderDetailScreen"))
        await until(pilot, lambda: "Customer CUST-0082 Cornerstone Goods" in text(app, "#order-header"))
        assert "now belongs to CUST-0082" in text(app, "#order-message")


async def test_orders_page_and_sort(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        screen = app.screen
        table = screen.query_one("#orders", DataTable)
        total = screen.page.total
        assert f"{total} found · page 1/" in text(app, "#orders-title")
        # a page is one screenful of the table (its height less the header), not a fixed 20
        assert screen.page.page_size == table.size.height - 1 and table.size.height - 1 < 20
        assert table.row_count == min(total, screen.page.page_size)
        first_page = [str(table.get_row(k)[0]) for k in table.rows]
        table.focus()
        if screen.page.total_pages > 1:
            await pilot.press("f7")
            await until(pilot, lambda: screen.page.page_number == 2)
            assert not set(first_page) & {str(table.get_row(k)[0]) for k in table.rows}
            await pilot.press("f6")
            await until(pilot, lambda: screen.page.page_number == 1)
        else:
            await pilot.press("f7")
            await until(pilot, lambda: "last page" in text(app, "#orders-message"))
        await pilot.press("f8", "f8")  # orderDate asc -> orderTotal desc
        await until(pilot, lambda: "sorted by orderTotal desc" in text(app, "#orders-title"))
        totals = [o.order_total for o in screen.page.items]
        assert totals == sorted(totals, reverse=True)
        screen.query_one("#f-from", Input).value = "2024-13-01"
        screen.query_one("#f-from", Input).focus()
        await pilot.press("enter")
        assert "From: write the date as YYYY-MM-DD" in text(app, "#orders-message")
        assert screen.query_one("#f-from", Input).value == "2024-13-01"
        screen.query_one("#f-from", Input).value = ""
        screen.query_one("#f-customer", Input).value = "CUST-1042"
        screen.query_one("#f-min", Input).value = "$500"
        await pilot.press("enter")
        await until(pilot, lambda: screen.page.total == 6)  # 2 recent + 4 repeat orders of $500 or more


async def test_api_refusal_is_shown_by_field_and_nothing_typed_is_lost(make_app: Any, make_client: Any) -> None:
    from decimal import Decimal

    from test_after_order import open_invoices

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot, customer="CUST-1042")
        await select_invoice(pilot, "INV-000050")
        await pilot.press("f6")
        await until(pilot, screen_is(app, "PaymentScreen"))
        app.screen.query_one("#pay-amount", Input).value = "40.00"
        app.screen.query_one("#pay-reference", Input).value = "CHK-1001"
        # meanwhile someone else pays the invoice in full
        async with make_client() as other:
            await other.login()
            invoice = await other.invoices.get("INV-000050")
            await other.invoices.record_payment(invoice.id, Decimal("94.50"), "Wire", reference="W-1")
        await pilot.press("f9")
        preview = app.screen.query_one("#pay-preview", Static)
        await until(pilot, lambda: "Not recorded" in str(preview.render()))
        # the invoice is Paid now: the API's state machine refuses a payment on it, naming the status
        assert "Status" in str(preview.render()) and "paid in full" in str(preview.render())
        assert type(app.screen).__name__ == "PaymentScreen"
        assert app.screen.query_one("#pay-reference", Input).value == "CHK-1001"
        assert app.screen.query_one("#pay-amount", Input).value == "40.00"


async def test_cancel_refused_while_paid_then_confirmed_on_an_issued_invoice(make_app: Any) -> None:
    """Issue #16 finding 2: a Paid invoice is not cancelled (refund first); an unpaid one is, after a yes."""
    from test_after_order import open_invoices

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot, customer="CUST-1042")
        await select_invoice(pilot, "INV-000044")
        await pilot.press("f9")
        await until(pilot, lambda: "refund its payments first" in text(app, "#invoices-message"))
        assert type(app.screen).__name__ == "InvoicesScreen" and row_of(app, "INV-000044")[3] == "Paid"
        table = app.screen.query_one("#invoices", DataTable)
        issued = next(str(table.get_row(k)[0]) for k in table.rows if str(table.get_row(k)[3]) == "Issued")
        await select_invoice(pilot, issued)
        await pilot.press("f9")
        await until(pilot, screen_is(app, "ConfirmScreen"))
        assert "stays visible in reporting" in text(app, "#confirm-what")
        await pilot.press("n")  # kept: nothing sent
        await until(pilot, screen_is(app, "InvoicesScreen"))
        assert row_of(app, issued)[3] == "Issued"
        await pilot.press("f9")
        await until(pilot, screen_is(app, "ConfirmScreen"))
        await pilot.press("y")
        await until(pilot, screen_is(app, "InvoicesScreen"))
        await until(pilot, lambda: row_of(app, issued)[3] == "Cancelled")
        await pilot.press("f6")  # a cancelled invoice takes no payment: refused with the reason
        await pilot.pause()
        assert f"Cannot record a payment on {issued}" in text(app, "#invoices-message")
        assert type(app.screen).__name__ == "InvoicesScreen"


async def test_unreachable_api_is_shown_and_the_filters_stay(make_app: Any, sandbox_app: Any,
                                                             draft_store: Any) -> None:
    import httpx

    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.api.retry import RetryPolicy
    from nymble_desk.sync.desk import Desk

    inner = httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)

    class NoOrders(httpx.AsyncBaseTransport):
        """The network edge: order searches cannot connect; everything else passes."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/orders" and "PO-X" in str(request.url):
                raise httpx.ConnectError("injected: connection refused", request=request)
            return await inner.handle_async_request(request)

    async def no_sleep(_: float) -> None:
        return None

    client = NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"),
                          transport=NoOrders(), retry=RetryPolicy(sleep=no_sleep, jitter=lambda: 0.0))
    app = make_app(desk=Desk(client, draft_store))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        po = app.screen.query_one("#f-po", Input)
        po.focus()
        await pilot.press(*"PO-X1", "enter")
        await until(pilot, lambda: text(app, "#orders-message").startswith("! Could not search orders"))
        assert po.value == "PO-X1" and type(app.screen).__name__ == "OrdersScreen"
