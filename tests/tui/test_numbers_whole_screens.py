"""Numbers are never cut on the screens beyond the cart: drafts, orders, invoices, order detail,
split invoice, the last look and the confirmation, at 80x24, with a 13,504,735.00 total, a
99,999 quantity and long names. The text read back is what the widgets draw."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from textual.geometry import Region
from textual.widgets import DataTable

from nymble_desk.domain.money import format_money
from nymble_desk.tui.screens.drafts import DraftsScreen

from test_shell_support import front, on_screen, until

BIG_QTY = 99_999
BIG_PRICE = Decimal("135.05")  # 99,999 x 135.05 = 13,504,864.95
LONG_NAME = "Extra-Long Industrial Widget Assembly With A Name No Column Can Hold"


def drawn(widget: Any) -> list[str]:
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


async def big_draft(desk: Any, number: str = "CUST-1042") -> Any:
    [customer] = [c for c in await desk.search_customers(number, limit=5) if c.customer_number == number]
    draft = desk.open_draft(customer)
    return desk.store.set_line(draft.id, "WDG-BLU-L", BIG_QTY, name=LONG_NAME, unit_price=BIG_PRICE)


async def test_drafts_screen_shows_a_large_total_whole(make_app: Any, make_desk: Any) -> None:
    desk = make_desk()
    draft = await big_draft(desk)
    total = format_money(draft.totals().total, "USD")
    assert len(total) >= len("$13,504,864.95")
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, DraftsScreen))
        table = app.screen.query_one("#drafts", DataTable)
        await until(pilot, lambda: table.row_count == 1)
        row = next(line for line in drawn(table) if "CUST-1042" in line)
        assert total in row, row
        assert "Brightfield" in row  # the name is shown, cut if it must be
        assert table.virtual_size.width <= table.size.width  # nothing runs off the right edge


LONG_PO = "PO-2026-LONG-REFERENCE-THAT-RUNS-ON-AND-ON"


async def big_order(make_client: Any, sandbox_dir: Any) -> tuple[Any, Any]:
    """A placed order of 99,999 x $135.05 of a product with a long name, and its invoice (both real)."""
    import sqlite3

    from nymble_desk.api.models import Address, CheckoutRequest

    con = sqlite3.connect(sandbox_dir / "sandbox.sqlite3")
    with con:
        con.execute("UPDATE products SET name = ?, price = 13505, moq = 1, increment = 1 WHERE sku = 'WDG-BLU-L'",
                    (LONG_NAME,))
        con.execute("DELETE FROM tier_prices WHERE sku = 'WDG-BLU-L'")
    con.close()
    client = make_client()
    try:
        cart = await client.carts.create("CUST-1042", "WDG-BLU-L", BIG_QTY)
        await client.carts.set_po_number("CUST-1042", cart.id, LONG_PO)
        await client.carts.set_shipping("CUST-1042", cart.id, Address(
            address1="500 Commerce Drive", city="Austin", state_province="TX", postal_code="78701", country="US"))
        result = await client.carts.checkout("CUST-1042", cart.id, CheckoutRequest(channel="Phone"))
        order = await client.orders.get(result.order_number)
        [invoice] = await client.invoices.for_order(order.id)  # terms: checkout invoices the order
    finally:
        await client.aclose()
    assert order.order_total >= Decimal("13504864.95")
    return order, invoice


def row_with(widget: Any, text: str) -> str:
    return next(line for line in drawn(widget) if text in line)


async def test_orders_and_invoices_show_large_totals_whole(make_app: Any, make_client: Any, sandbox_dir: Any) -> None:
    from test_after_order import open_orders

    order, invoice = await big_order(make_client, sandbox_dir)
    total = format_money(order.order_total, "USD")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        table = app.screen.query_one("#orders", DataTable)
        await until(pilot, lambda: any(order.order_number in line for line in drawn(table)), timeout=10)
        row = row_with(table, order.order_number)
        assert total in row, row
        assert "CUST-1042" in row and "PO-2026" in row, row  # the PO gives way, cut with "…"
        assert table.virtual_size.width <= table.size.width

        await pilot.press("f9")
        await until(pilot, lambda: front(app) == "InvoicesScreen")
        table = app.screen.query_one("#invoices", DataTable)
        await until(pilot, lambda: any(invoice.invoice_number in line for line in drawn(table)), timeout=10)
        row = row_with(table, invoice.invoice_number)
        inv_total = format_money(invoice.invoice_total, "USD")
        assert row.count(inv_total) == 2, row  # the total and the balance (nothing paid), both whole
        assert table.virtual_size.width <= table.size.width


async def test_order_detail_shows_a_large_line_whole(make_app: Any, make_client: Any, sandbox_dir: Any) -> None:
    from nymble_desk.tui.screens.order_detail import OrderDetailScreen

    order, invoice = await big_order(make_client, sandbox_dir)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"))
        app.push_screen(OrderDetailScreen(order.order_number))
        await until(pilot, lambda: on_screen(app, OrderDetailScreen)() and app.screen.bundle is not None, timeout=10)
        lines = app.screen.query_one("#order-lines", DataTable)
        row = row_with(lines, "WDG-BLU-L")
        assert "99,999" in row and "$135.05" in row, row
        assert format_money(order.items[0].sub_total, "USD") in row, row
        assert "Extra-Long" in row, row  # the name is there, cut
        assert lines.virtual_size.width <= lines.size.width
        invoices = app.screen.query_one("#order-invoices", DataTable)
        row = row_with(invoices, invoice.invoice_number)
        assert row.count(format_money(invoice.invoice_total, "USD")) == 2, row
        assert invoices.virtual_size.width <= invoices.size.width


LONG_SKU = "WIDGET-ASSEMBLY-XL-2099"


async def test_split_invoice_shows_long_skus_and_large_quantities_whole(
    make_app: Any, make_client: Any, sandbox_dir: Any
) -> None:
    import sqlite3

    from nymble_desk.api.models import OrderCreate, OrderCustomer, OrderItem, SalesRep
    from nymble_desk.tui.screens.order_detail import OrderDetailScreen

    con = sqlite3.connect(sandbox_dir / "sandbox.sqlite3")
    with con:  # a product with a long SKU: a copy of WDG-BLU-L
        cols = [r[1] for r in con.execute("PRAGMA table_info(products)")]
        row = dict(zip(cols, con.execute("SELECT * FROM products WHERE sku = 'WDG-BLU-L'").fetchone(), strict=True))
        row.update(sku=LONG_SKU, upc=None, external_id=None)
        marks = ", ".join("?" for _ in row)
        con.execute(f"INSERT INTO products({', '.join(row)}) VALUES ({marks})", list(row.values()))
    con.close()
    order = OrderCreate(
        customer=OrderCustomer(customer_number="CUST-1042"), order_type="Direct", po_number="PO-BIG-SPLIT",
        price_tier="Wholesale", currency_code="USD", primary_sales_rep=SalesRep(rep_number="REP-007"),
        items=[OrderItem(sku=LONG_SKU, quantity=BIG_QTY, price=BIG_PRICE),
               OrderItem(sku="WDG-RED-M", quantity=12, price=Decimal("11.00"))],
        external_id="TUI-BIG-SPLIT")
    async with make_client() as client:
        await client.login()
        number = (await client.orders.create(order)).order_number
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"))
        app.push_screen(OrderDetailScreen(number))
        await until(pilot, lambda: on_screen(app, OrderDetailScreen)() and app.screen.bundle is not None, timeout=10)
        await pilot.press("f12")
        await until(pilot, lambda: front(app) == "SplitInvoiceScreen")
        await pilot.pause()
        label = app.screen.query(".field-label").first()
        text = drawn(label)[0]
        assert LONG_SKU in text and re.search(r"\b99,999\s+0\s+99,999$", text.rstrip()), text
        head = drawn(app.screen.query_one("#split-head"))[0]
        assert head.index("Ordered") + len("Ordered") == text.index("99,999") + len("99,999"), (head, text)


LONG_SHIP_TO = ("Receiving Dock 14, Building C, Northgate Industrial Estate, 12000 Very Long Parkway Extension, "
                "Suite 4400, Attention Purchasing Department, Springfield Heights, OR 97301-4455, US")


async def test_last_look_and_confirmation_show_the_total_whole(make_app: Any, make_desk: Any) -> None:
    from nymble_desk.tui.order_facts import OrderFacts
    from nymble_desk.tui.screens.confirmation import ConfirmationScreen
    from nymble_desk.tui.screens.review import ReviewScreen

    desk = make_desk()
    draft = await big_draft(desk)
    desk.store.set_ship_to(draft.id, {"address1": LONG_SHIP_TO, "city": "Springfield", "country": "US"})
    draft = desk.store.set_po(draft.id, LONG_PO)
    total = format_money(draft.totals().total, "USD")
    facts = OrderFacts(lines=1, items=BIG_QTY, total=draft.totals().total, currency="USD", ship_to=LONG_SHIP_TO,
                       po=LONG_PO, source="cart")
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"))
        app.push_screen(ReviewScreen(f"CUST-1042 {LONG_NAME}", facts, payment="Terms Net30", channel="Phone",
                                     warning=f"PO {LONG_PO} was used on ORD-00044 (2025-09-13)."))
        await until(pilot, lambda: on_screen(app, ReviewScreen)())
        await pilot.pause()
        assert drawn(app.screen.query_one("#review-total"))[0].strip() == total
        assert "99,999 items" in drawn(app.screen.query_one("#review-lines"))[0]
        keys = app.screen.query_one("#review-keys")
        assert keys.region.height and app.screen.region.contains_region(keys.region)  # the keys are on screen
        app.pop_screen()

        app.push_screen(ConfirmationScreen("ORD-12345", "conf_x", email="orders@example.com", draft_id=draft.id))
        await until(pilot, lambda: on_screen(app, ConfirmationScreen)() and app.screen.facts is not None)
        await pilot.pause()
        assert drawn(app.screen.query_one("#conf-total"))[0].strip() == total
        assert "99,999 items" in drawn(app.screen.query_one("#conf-lines"))[0]
        assert "ORD-12345" in drawn(app.screen.query_one("#conf-order"))[0]
