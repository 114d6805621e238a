"""A discounted order shows its discount in the order detail and on its invoice (real app, real sandbox)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.widgets import DataTable, Input, Static

from test_shell_support import front, until

from nymble_desk.api.models import Discount, OrderCreate, OrderCustomer, OrderItem, SalesRep

D = Decimal


async def place(make_client: Any, external_id: str, *, discounted: bool) -> str:
    """Create an order for CUST-1042 (and its invoice) as demo-rep; returns its order number."""
    order = OrderCreate(
        customer=OrderCustomer(customer_number="CUST-1042"), order_type="Direct", po_number="PO-TUI-DISC",
        price_tier="Wholesale", currency_code="USD", primary_sales_rep=SalesRep(rep_number="REP-007"),
        items=[OrderItem(sku="WDG-BLU-L", quantity=24, price=D("12.50"),
                         discount=Discount.fixed(10) if discounted else None),
               OrderItem(sku="WDG-RED-M", quantity=12, price=D("11.00"),
                         discount=Discount.percentage("12.5") if discounted else None)],
        external_id=external_id, tax=D("28.80"),
        discount=Discount.percentage("7.5", code="SPRING", description="Spring promotion") if discounted else None,
    )
    async with make_client() as client:
        await client.login()
        ref = await client.orders.create(order)
        await client.invoices.create_from_order(ref.id, status="Issued")
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


async def open_invoice_of(pilot: Any, number: str) -> Static:
    app = pilot.app
    await pilot.press("f9")
    await until(pilot, lambda: front(app) == "InvoicesScreen")
    await until(pilot, lambda: number in text(app, "#invoices-title")
                and app.screen.query_one("#invoices", DataTable).row_count == 1)
    await pilot.pause()
    return app.screen.query_one("#invoice-discount", Static)


async def test_order_detail_and_invoice_show_the_discount(make_app: Any, make_client: Any) -> None:
    number = await place(make_client, "TUI-DISC-1", discounted=True)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, number)
        totals = text(app, "#order-totals")
        # 10.00 + 16.50 on the lines, 7.5% of 405.50 = 30.41 on the order: 56.91 off
        assert "Discount SPRING Spring promotion (7.5%) -$56.91" in totals, totals
        assert "Subtotal $432.00" in totals and "Total $403.89" in totals  # 432.00 - 56.91 + 28.80
        lines = app.screen.query_one("#order-lines", DataTable)
        assert [str(lines.get_cell(str(i), "disc")) for i in range(2)] == ["$10.00", "$16.50"]
        line = await open_invoice_of(pilot, number)
        assert line.display
        shown = str(line.render())
        assert "Discount SPRING Spring promotion (7.5%) -$56.91" in shown and "Total $403.89" in shown, shown


async def test_no_discount_no_discount_figure(make_app: Any, make_client: Any) -> None:
    number = await place(make_client, "TUI-DISC-0", discounted=False)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, number)
        totals = text(app, "#order-totals")
        assert "Discount" not in totals and "Total $460.80" in totals, totals
        line = await open_invoice_of(pilot, number)
        assert not line.display and str(line.render()) == ""
        # the filters still work: the order number is the one filled in
        assert app.screen.query_one("#i-order", Input).value == number
