"""Every record the sandbox serves parses into the client's models, with Decimal money throughout."""

from __future__ import annotations

from decimal import Decimal

from nymble_desk.api import NymbleClient
from nymble_desk.api.models import ApiModel


def money_fields_are_decimal(model: ApiModel) -> None:
    for name, value in model:
        if isinstance(value, float):
            raise AssertionError(f"{type(model).__name__}.{name} is a float")
        if isinstance(value, ApiModel):
            money_fields_are_decimal(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ApiModel):
                    money_fields_are_decimal(item)


async def test_walk_every_list(admin: NymbleClient) -> None:
    customers = [c async for c in admin.customers.iter_all(page_size=40)]
    products = [p async for p in admin.products.iter_all(page_size=40)]
    orders = [o async for o in admin.orders.iter_all(page_size=40)]
    invoices = [i async for i in admin.invoices.iter_all(page_size=40)]
    reps = [r async for r in admin.salesreps.iter_all(page_size=5)]
    assert len(customers) >= 50 and len(products) >= 100 and orders and invoices and len(reps) >= 2
    for record in [*customers, *products, *orders, *invoices, *reps]:
        money_fields_are_decimal(record)
    assert all(isinstance(o.order_total, Decimal) for o in orders)
    assert all(o.order_date is None or o.order_date.tzinfo is not None for o in orders)
    assert {i.status for i in invoices} <= {"Draft", "Issued", "PartiallyPaid", "Paid", "Voided", "Cancelled"}
    paid = [p for i in invoices for p in i.payments]
    assert paid and all(p.net_amount is not None for p in paid)
    # the listed order equals the one fetched alone
    alone = await admin.orders.get(orders[0].id)
    assert alone.model_dump(exclude={"invoice_numbers"}) == orders[0].model_dump(exclude={"invoice_numbers"})
