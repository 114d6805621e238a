"""AfterSales against the real in-process sandbox: search, bundle, lifecycle rules, payments, refunds, voids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from nymble_desk.api.errors import Conflict
from nymble_desk.sync.after_sales import (
    AfterSales, OrderQuery, Refused, balance_of, can_cancel, can_issue, can_pay, can_refund, can_void,
)
from nymble_desk.sync.desk import Desk


@pytest.fixture
async def service(make_client: Any, store: Any) -> Any:
    client = make_client()
    async with client:
        await client.login()
        yield AfterSales(client, Desk(client, store))


def inv(status: str, total: str = "100", paid: str = "0", payments: list[Any] | None = None) -> Any:
    return SimpleNamespace(id="i1", invoice_number="INV-1", status=status, currency_code="USD",
                           invoice_total=Decimal(total), amount_paid=Decimal(paid),
                           balance=Decimal(total) - Decimal(paid), payments=payments or [])


def pay(amount: str, net: str | None = None, original: str | None = None, status: str = "Completed") -> Any:
    return SimpleNamespace(id="p1", amount=Decimal(amount), net_amount=Decimal(net or amount), status=status,
                           refunded_amount=Decimal(amount) - Decimal(net or amount), original_payment_id=original)


def test_rules_follow_the_lifecycle_page() -> None:
    assert can_void(inv("Draft")) and can_void(inv("Issued"))
    paid = can_void(inv("Paid", paid="100"))
    assert not paid and "only Draft or Issued" in paid.reason and paid.field == "Status"
    assert not can_void(inv("PartiallyPaid", paid="10"))
    assert "already Voided" in can_void(inv("Voided")).reason
    # cancel keeps the record, but not while it holds money (issue #16 finding 2)
    assert not can_cancel(inv("Paid", paid="100")) and can_cancel(inv("Draft")) and can_cancel(inv("Issued"))
    assert "refund its payments first" in can_cancel(inv("PartiallyPaid", paid="10")).reason
    assert can_cancel(inv("PartiallyPaid", paid="0"))  # refunded to nothing
    assert not can_cancel(inv("Cancelled")) and not can_cancel(inv("Voided"))
    # a Draft is issued before it takes payments (finding 1); a pending payment is not paid yet (finding 4)
    assert "issue it to the customer first" in can_pay(inv("Draft"), Decimal("1"), "Check").reason
    assert can_issue(inv("Draft")) and not can_issue(inv("Issued"))
    pending = inv("Issued", payments=[pay("60", status="Pending")])
    assert "exceeds the balance of $40.00" in can_pay(pending, Decimal("41")).reason
    assert not can_void(pending) and not can_cancel(pending) and not can_refund(pending)
    assert balance_of(inv("Voided")) == 0  # a voided invoice owes nothing (issue #11 item 9)
    assert can_pay(inv("Issued"), Decimal("40"), "Check")
    assert "exceeds the balance of $60.00" in can_pay(inv("PartiallyPaid", paid="40"), Decimal("60.01")).reason
    assert not can_pay(inv("Paid", paid="100")) and not can_pay(inv("Voided"))
    assert can_pay(inv("Issued"), Decimal("1"), "Bitcoin").field == "Method"
    assert not can_pay(inv("Issued"), Decimal("0"))
    original = pay("50", net="20")
    assert can_refund(inv("Paid", paid="50", payments=[original]), original, Decimal("20"))
    over = can_refund(inv("Paid", payments=[original]), original, Decimal("20.01"))
    assert "At most $20.00" in over.reason and over.field == "Amount"
    assert not can_refund(inv("Paid"), pay("-5", original="p0"))
    assert not can_refund(inv("Issued", payments=[]))
    assert not can_refund(inv("Cancelled", payments=[original]), original)


def test_order_query_filters() -> None:
    q = OrderQuery(order_number="ORD-1", customer="cust-1042", po_number="PO-9", status="Shipped",
                   date_from=date(2024, 1, 1), date_to=date(2024, 1, 31), total_min=Decimal("10"),
                   total_max=Decimal("99.5"))
    got = [(f.field, f.operator, str(f.value)) for f in q.filters()]
    assert ("customerNumber", "equals", "CUST-1042") in got
    assert ("orderDate", "gte", "2024-01-01 00:00:00+00:00") in got
    assert ("orderDate", "lt", "2024-02-01 00:00:00+00:00") in got
    assert ("orderTotal", "lte", "99.5") in got
    assert OrderQuery().filters() == []


async def test_search_by_po_and_paging(service: AfterSales) -> None:
    page = await service.search_orders(OrderQuery(po_number="PO-2024-77001"))
    assert [o.order_number for o in page.items] == ["ORD-00044"]
    assert page.items[0].invoice_numbers == ["INV-000044"]
    everything = await service.search_orders(OrderQuery(page_size=5))
    second = await service.search_orders(OrderQuery(page_size=5, page_number=2))
    assert everything.total_pages >= 2 and second.page_number == 2
    assert not {o.id for o in everything.items} & {o.id for o in second.items}
    mine = await service.search_orders(OrderQuery(customer="CUST-1042", total_min=Decimal("500"),
                                                  sort_on="orderTotal", sort_direction="asc"))
    totals = [o.order_total for o in mine.items]
    # 2 recent orders and 4 repeat orders (sandbox.demo.HISTORY) of $500 or more
    assert totals == sorted(totals) and all(t >= 500 for t in totals) and len(totals) == 6
    by_name = await service.search_orders(OrderQuery(customer="brightfield"))
    assert {"ORD-00044", "ORD-00050", "ORD-00051"} <= {o.order_number for o in by_name.items}
    assert len(by_name.items) == 3 + 4  # and the repeat orders (sandbox.demo.HISTORY)
    october = await service.search_orders(OrderQuery(date_from=date(2025, 10, 1), date_to=date(2025, 10, 23)))
    assert "ORD-00050" in {o.order_number for o in october.items}  # the end day is included
    assert all(date(2025, 10, 1) <= o.order_date.date() <= date(2025, 10, 23) for o in october.items)
    shipped = await service.search_orders(OrderQuery(status="Shipped", order_number="ORD-0005"))
    assert shipped.items and all(o.order_status == "Shipped" for o in shipped.items)


async def test_bundle_holds_invoices_and_payments(service: AfterSales) -> None:
    bundle = await service.order_bundle("ORD-00051")
    assert bundle.order.po_number == "PO-2024-78010"
    assert [i.invoice_number for i in bundle.invoices] == ["INV-000051"]
    assert [p.amount for _, p in bundle.payments] == [Decimal("294.0")]


async def test_partial_then_full_payment_then_partial_refund(service: AfterSales) -> None:
    invoice = (await service.order_bundle("ORD-00050")).invoices[0]
    assert invoice.status == "Issued" and invoice.balance == Decimal("94.5")
    with pytest.raises(Refused) as over:
        await service.record_payment(invoice, Decimal("100"), "Check")
    assert over.value.field == "Amount"
    invoice = await service.record_payment(invoice, Decimal("40.00"), "Check", reference="CHK-1001",
                                           payment_date=date(2026, 11, 20))
    assert invoice.status == "PartiallyPaid" and invoice.balance == Decimal("54.5")
    assert invoice.payments[0].reference == "CHK-1001" and invoice.payments[0].method == "Check"
    invoice = await service.record_payment(invoice, Decimal("54.50"), "Wire", reference="W-77")
    assert invoice.status == "Paid" and invoice.balance == 0
    first = next(p for p in invoice.payments if p.reference == "CHK-1001")
    invoice = await service.refund(invoice, first, Decimal("15.25"))
    first = next(p for p in invoice.payments if p.id == first.id)
    assert first.refunded_amount == Decimal("15.25") and first.net_amount == Decimal("24.75")
    assert invoice.amount_paid == Decimal("79.25") and invoice.status == "PartiallyPaid"
    with pytest.raises(Refused) as too_much:
        await service.refund(invoice, first, Decimal("24.76"))
    assert "At most $24.75" in too_much.value.reason


async def test_void_draft_and_refuse_paid(service: AfterSales, make_client: Any) -> None:
    ref = (await service.search_orders(OrderQuery(customer="CUST-1042", po_number="PO-2024-77452"))).items[0]
    # a fresh order gives an uninvoiced order to draw a Draft invoice from
    order = await service.client.orders.get(ref.order_number)
    from nymble_desk.api.models import OrderCreate

    body = OrderCreate.model_validate({
        "customer": {"customerNumber": "CUST-1042", "companyName": "Brightfield Supply Co."},
        "orderType": "Direct", "poNumber": "PO-VOID-1", "priceTier": "Wholesale", "currencyCode": "USD",
        "primarySalesRep": {"repNumber": "REP-007"}, "externalId": "T-VOID-1",
        "items": [{"sku": "WDG-BLU-L", "quantity": 2, "price": Decimal("12.50")}]})
    made = await service.client.orders.create(body)
    draft_invoice = await service.client.invoices.create_from_order(made.id, "Draft")
    voided = await service.void(draft_invoice, "entered twice")
    assert voided.status == "Voided"
    with pytest.raises(Refused):
        await service.void(voided)
    paid = (await service.order_bundle("ORD-00044")).invoices[0]
    assert paid.status == "Paid"
    with pytest.raises(Refused) as refused:
        await service.void(paid)
    assert "only Draft or Issued" in refused.value.reason
    # the API agrees with the rule the screen applies
    with pytest.raises(Conflict):
        await service.client.invoices.void(paid.id)
    # cancel too is refused while the money is held, by the rule and by the API; refunded, it cancels
    with pytest.raises(Refused):
        await service.cancel(paid, "kept for audit")
    with pytest.raises(Conflict):
        await service.client.invoices.cancel(paid.id)
    for p in paid.payments:
        paid = await service.refund(paid, p, p.net_amount)
    assert paid.status == "PartiallyPaid" and paid.amount_paid == 0
    cancelled = await service.cancel(paid, "kept for audit")
    assert cancelled.status == "Cancelled" and order.order_number == "ORD-00050"


async def test_order_changes_email_and_reorder(service: AfterSales) -> None:
    order = await service.client.orders.get("ORD-00044")
    with pytest.raises(Refused) as no_city:
        await service.change_shipping(order, {"address1": "1 Dock St", "country": "US"})
    assert no_city.value.field == "city"
    updated = await service.change_shipping(order, {"address1": "1200 Industrial Pkwy", "city": "Salem",
                                                    "stateProvince": "OR", "zipPostalCode": "97301",
                                                    "country": "US"})
    assert updated.shipping_details.shipping_address.city == "Salem"
    with pytest.raises(Refused):
        await service.email_confirmation(order, ["not-an-address"])
    await service.email_confirmation(order, ["buyer@example.com"])
    moved = await service.move_to_customer(order, "cust-0082")
    assert moved.customer.customer_number == "CUST-0082"
    with pytest.raises(Refused):
        await service.move_to_customer(moved, "CUST-0082")
    result = await service.reorder(moved)
    assert result.draft.customer_number == "CUST-0082"
    assert {line.sku for line in result.draft.lines} == set(result.added) and result.added
    assert all(line.quantity > 0 for line in result.draft.lines)


async def test_split_invoice_issue_pending_and_summary(service: AfterSales) -> None:
    """Issue #16: the desk invoices part of an order, issues a draft, records a pending payment that counts
    once completed, and reads the order's invoice summary (findings 1, 4, 6)."""
    from nymble_desk.api.models import OrderCreate

    made = await service.client.orders.create(OrderCreate.model_validate({
        "customer": {"customerNumber": "CUST-1042", "companyName": "Brightfield Supply Co."},
        "orderType": "Direct", "poNumber": "PO-SPLIT-1", "priceTier": "Wholesale", "currencyCode": "USD",
        "primarySalesRep": {"repNumber": "REP-007"}, "externalId": "T-SPLIT-1",
        "items": [{"sku": "WDG-BLU-L", "quantity": 24, "price": Decimal("12.50")},
                  {"sku": "WDG-RED-M", "quantity": 12, "price": Decimal("11.00")}]}))
    order = await service.client.orders.get(made.id)
    assert order.invoice_summary is not None and order.invoice_summary.status == "NotInvoiced"
    with pytest.raises(Refused) as too_many:
        await service.invoice_part(order, {"WDG-BLU-L": 25})
    assert too_many.value.field == "WDG-BLU-L" and "at most 24" in too_many.value.reason
    with pytest.raises(Refused):
        await service.invoice_part(order, {"WDG-BLU-L": 0})
    draft = await service.invoice_part(order, {"WDG-BLU-L": 10, "WDG-RED-M": 0}, issue=False)
    assert draft.status == "Draft" and [(i.sku, i.quantity) for i in draft.items] == [("WDG-BLU-L", 10)]
    with pytest.raises(Refused):
        await service.record_payment(draft, Decimal("10"), "Check")
    issued = await service.issue(draft)
    assert issued.status == "Issued"
    pending = await service.client.invoices.record_payment(issued.id, Decimal("125"), "ACH", status="Pending")
    assert pending.status == "Issued" and pending.amount_paid == 0 and pending.amount_pending == Decimal("125")
    done = await service.complete_payment(pending, pending.payments[0])
    assert done.status == "Paid" and done.payments[0].status == "Completed"
    bundle = await service.order_bundle(made.id)
    summary = bundle.summary
    assert summary.status == "PartiallyInvoiced" and summary.amount_paid == Decimal("125")
    assert (summary.line("WDG-BLU-L").invoiced, summary.line("WDG-BLU-L").remaining) == (10, 14)
    assert summary.line("WDG-RED-M").remaining == 12


def test_read_discount_as_a_rep_types_it() -> None:
    from nymble_desk.sync.after_sales import read_discount

    assert read_discount("") is None
    pct = read_discount("7.5%", "SPRING: Spring promotion")
    assert (pct.type, pct.value, pct.code, pct.description) == (
        "Percentage",
        Decimal("7.5"),
        "SPRING",
        "Spring promotion",
    )
    fixed = read_discount("$25.00", "Damaged box")
    assert (fixed.type, fixed.value, fixed.code, fixed.description) == ("Fixed", Decimal("25.00"), None, "Damaged box")
    for bad in ("101%", "0", "ten", "-5"):
        with pytest.raises(Refused) as refused:
            read_discount(bad)
        assert refused.value.field == "Discount"
