"""The client sends order and line discounts and reads them back as Decimal, against the real sandbox."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nymble_desk.api import NymbleClient
from nymble_desk.api.errors import BadRequest
from nymble_desk.api.paging import Filter
from nymble_desk.api.models import Discount, Invoice, Order, OrderCreate, OrderCustomer, OrderItem, SalesRep

D = Decimal


def discounted(external_id: str, *, order_discount: Discount | None, line_discount: Discount | None) -> OrderCreate:
    return OrderCreate(
        customer=OrderCustomer(customer_number="CUST-1042"), order_type="Direct", po_number="PO-API-DISC",
        price_tier="Wholesale", currency_code="USD", primary_sales_rep=SalesRep(rep_number="REP-007"),
        items=[OrderItem(sku="WDG-BLU-L", quantity=3, price=D("3.33"), discount=line_discount),
               OrderItem(sku="WDG-RED-M", quantity=1, price=D("11.00"))],
        external_id=external_id, tax=D("1.00"), discount=order_discount,
    )


def test_discount_is_sent_in_the_create_body() -> None:
    body = discounted("X", order_discount=Discount.percentage("7.5", code="SPRING"),
                      line_discount=Discount.fixed("1.50")).to_wire()
    assert body["discount"] == {"code": "SPRING", "type": "Percentage", "value": D("7.5")}
    assert body["items"][0]["discount"] == {"type": "Fixed", "value": D("1.50")}
    assert "discount" not in body["items"][1]


def test_models_parse_discounts_as_decimal() -> None:
    order = Order.model_validate({"id": "o", "orderNumber": "ORD-1", "discountAmount": 56.91,
                                  "discount": {"code": "S", "type": "Percentage", "value": 7.5, "description": "d"},
                                  "items": [{"sku": "A", "quantity": 1, "price": 1, "discountAmount": "0.43",
                                             "discount": {"type": "Fixed", "value": 0.43}}]})
    assert order.discount_amount == D("56.91") and order.discount is not None and order.discount.value == D("7.5")
    assert order.items[0].discount is not None and order.items[0].discount.value == D("0.43")
    invoice = Invoice.model_validate({"id": "i", "status": "Issued", "discountAmount": 3,
                                      "discount": {"type": "Fixed", "value": 3}})
    assert invoice.discount_amount == D("3") and invoice.discount is not None and invoice.discount.type == "Fixed"


def test_discount_labels() -> None:
    assert Discount.percentage("7.50", code="SPRING", description="Spring promotion").label() == \
        "SPRING Spring promotion (7.5%)"
    assert Discount.fixed(10).label() == "$10.00 off"
    assert Discount.fixed("2.5", description="Loyalty").label("CAD") == "Loyalty (CA$2.50 off)"
    assert Discount.percentage(100).label() == "100%"


async def test_create_get_and_invoice_with_discounts(admin: NymbleClient) -> None:
    spec = discounted("API-DISC-1", order_discount=Discount.percentage("10", code="TEN", description="Ten off"),
                      line_discount=Discount.percentage("15"))
    ref = await admin.orders.create(spec)
    order = await admin.orders.get(ref.id)
    line = order.items[0]
    # 3 x 3.33 = 9.99; 15% = 1.4985 -> 1.50
    assert line.sub_total == D("9.99") and line.discount_amount == D("1.50")
    assert line.discount is not None and line.discount.type == "Percentage" and line.discount.value == D("15")
    assert order.items[1].discount is None and order.items[1].discount_amount == 0
    # 10% of (9.99 - 1.50 + 11.00 = 19.49) = 1.949 -> 1.95; 3.45 in all
    assert order.discount_amount == D("3.45") and order.discount_amount_formatted == "$3.45"
    assert order.discount is not None and (order.discount.code, order.discount.description) == ("TEN", "Ten off")
    assert order.subtotal == D("20.99") and order.order_total == D("20.99") - D("3.45") + D("1.00")
    invoice = await admin.invoices.create_from_order(ref.id, status="Issued")
    assert invoice.discount_amount == D("3.45") and invoice.discount == order.discount
    assert invoice.invoice_total == order.order_total and invoice.balance == order.order_total


async def test_bulk_with_discounts_and_a_refused_one(admin: NymbleClient) -> None:
    good = discounted("API-DISC-B1", order_discount=Discount.fixed("2.00"), line_discount=None)
    bad = discounted("API-DISC-B2", order_discount=Discount(type="Percentage", value=D("120")), line_discount=None)
    with pytest.raises(BadRequest) as refused:
        await admin.orders.bulk([good, bad])
    assert "Orders[1].Discount.Value" in refused.value.errors
    page = await admin.orders.search([Filter("externalId", "startswith", "API-DISC-B")])
    mine = page.items
    assert [o.external_id for o in mine] == ["API-DISC-B1"]
    assert mine[0].discount_amount == D("2.00") and mine[0].discount is not None
    assert mine[0].discount.type == "Fixed" and mine[0].discount.value == D("2.00")
