"""``nymble-desk orders show`` / ``invoices show`` print a discounted order's discount, text and --json."""

from __future__ import annotations

import asyncio
import io
import json
from decimal import Decimal
from typing import Any
from collections.abc import Callable

from nymble_desk.api import NymbleClient
from nymble_desk.api.models import Discount, OrderCreate, OrderCustomer, OrderItem, SalesRep
from nymble_desk.cli import build_parser
from nymble_desk.records_cli import invoices_main, orders_main

D = Decimal


async def place(admin: NymbleClient, *, discounted: bool) -> tuple[str, str]:
    order = OrderCreate(
        customer=OrderCustomer(customer_number="CUST-1042"), order_type="Direct", po_number="PO-CLI-DISC",
        price_tier="Wholesale", currency_code="USD", primary_sales_rep=SalesRep(rep_number="REP-007"),
        items=[OrderItem(sku="WDG-BLU-L", quantity=24, price=D("12.50"),
                         discount=Discount.percentage(15) if discounted else None)],
        external_id=f"CLI-DISC-{discounted}", tax=D("2.00"),
        discount=Discount.fixed(5, code="FIVE", description="Five off") if discounted else None,
    )
    ref = await admin.orders.create(order)
    invoice = await admin.invoices.create_from_order(ref.id, status="Issued")
    return ref.order_number, invoice.invoice_number or invoice.id


def run(func: Any, argv: list[str], make_client: Callable[..., NymbleClient]) -> tuple[int, str]:
    """Run a command (it calls asyncio.run: the tests call this in a thread, off their own loop)."""
    out = io.StringIO()
    return func(build_parser().parse_args(argv), client=make_client("admin"), out=out), out.getvalue()


async def test_order_and_invoice_show_the_discount(admin: NymbleClient, make_client: Any) -> None:
    number, invoice = await place(admin, discounted=True)
    code, text = await asyncio.to_thread(run, orders_main, ["orders", "show", number], make_client)
    assert code == 0, text
    # 300.00 less 15% (45.00) = 255.00; Fixed 5.00 on it: 50.00 off in all
    assert "$300.00 less $45.00 (15%)" in text
    assert "subtotal $300.00  discount FIVE Five off ($5.00 off) -$50.00  tax $2.00" in text and "total $252.00" in text
    code, raw = await asyncio.to_thread(run, orders_main, ["orders", "show", number, "--json"], make_client)
    data = json.loads(raw)
    # money as strings (never floats)
    assert data["discountAmount"] in ("50.0", "50.00") and D(data["discount"].pop("value")) == 5
    assert data["discount"] == {"code": "FIVE", "type": "Fixed", "description": "Five off"}
    assert D(data["items"][0]["discountAmount"]) == 45 and data["items"][0]["discount"]["type"] == "Percentage"
    assert D(data["invoices"][0]["discountAmount"]) == 50 and data["invoices"][0]["discount"]["code"] == "FIVE"
    code, text = await asyncio.to_thread(run, invoices_main, ["invoices", "show", invoice], make_client)
    assert code == 0 and "subtotal $300.00  discount FIVE Five off ($5.00 off) -$50.00  tax $2.00" in text
    assert "total $252.00  paid $0.00  balance $252.00" in text
    code, raw = await asyncio.to_thread(run, invoices_main, ["invoices", "show", invoice, "--json"], make_client)
    data = json.loads(raw)
    assert D(data["discountAmount"]) == 50 and data["discount"]["description"] == "Five off"


async def test_no_discount_prints_zero_and_no_object(admin: NymbleClient, make_client: Any) -> None:
    number, invoice = await place(admin, discounted=False)
    code, text = await asyncio.to_thread(run, orders_main, ["orders", "show", number], make_client)
    assert code == 0 and "discount $0.00  tax $2.00" in text and " less " not in text
    code, raw = await asyncio.to_thread(run, invoices_main, ["invoices", "show", invoice, "--json"], make_client)
    data = json.loads(raw)
    assert "discount" not in data and Decimal(data["discountAmount"]) == 0
