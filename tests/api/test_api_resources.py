"""Every endpoint the client wraps, against the real in-process sandbox and its fixed demo data."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import api_seed_examples as seeds
import pytest
from api_faults import Faults

from nymble_desk.api import Conflict, Filter, NotFound, NymbleClient
from nymble_desk.api.models import Address, CheckoutRequest, CreditCard, OrderCreate

Make = Callable[..., NymbleClient]


async def test_customers_search_get_and_filters(rep: NymbleClient) -> None:
    page = await rep.customers.search("Brightfield")
    assert [c.customer_number for c in page.items] == ["CUST-1042"]
    customer = await rep.customers.get("CUST-1042")
    assert customer.price_tier == "Wholesale" and customer.credit_limit == Decimal("50000")
    assert customer.default_shipping is not None and customer.default_shipping.address1 == "500 Commerce Drive"
    assert customer.default_billing is not None and customer.default_billing.address1 == "300 Commerce Blvd"
    inactive = await rep.customers.search(filters=[Filter("active", "equals", False)])
    assert "CUST-0013" in {c.customer_number for c in inactive.items}
    assert all(not c.active for c in inactive.items)
    held = await rep.customers.get("CUST-0021")
    assert held.credit_hold


async def test_rep_sees_only_own_customers_and_tenants_are_apart(rep: NymbleClient, make_client: Make) -> None:
    with pytest.raises(NotFound):
        await rep.customers.get("CUST-0055")  # REP-003's customer
    mine = [c.rep_number async for c in rep.customers.iter_all(page_size=7)]
    assert mine and set(mine) == {"REP-007"}
    other = make_client("other")
    await other.login()
    assert other.claims is not None and other.claims.org_code == "OTHER"
    with pytest.raises(NotFound):
        await other.carts.get("no-such-cart")


async def test_customer_paging_visits_every_record_once(admin: NymbleClient) -> None:
    first = await admin.customers.search(page_size=7, sort_on="Name")
    assert first.page_size == 7 and first.total_pages == -(-first.total // 7)
    seen = [c.customer_number async for c in admin.customers.iter_all(sort_on="Name", page_size=7)]
    assert len(seen) == first.total == len(set(seen))


async def test_customer_upsert(admin: NymbleClient) -> None:
    customer = await admin.customers.get("CUST-0082")
    changed = customer.model_copy(update={"company_phone": "555-000-1111"})
    saved = await admin.customers.upsert(changed)
    assert saved.company_phone == "555-000-1111"
    assert (await admin.customers.get("CUST-0082")).company_phone == "555-000-1111"


async def test_products_by_sku_upc_and_keyword(rep: NymbleClient) -> None:
    by_upc = await rep.products.get("012345678905")
    assert by_upc.sku == "WDG-BLU-L" and by_upc.price == Decimal("13.50")
    wholesale = sorted((p.at_quantity, p.price) for p in by_upc.prices if p.tier == "Wholesale")
    assert wholesale == [(1, Decimal("12.50")), (48, Decimal("11.75"))]
    part = await rep.products.get("PART-A1")
    assert (part.minimum_order_quantity, part.quantity_increment) == (10, 10)
    hits = await rep.products.search("Widget Blue", page_size=5)
    assert "WDG-BLU-L" in {p.sku for p in hits.items}


async def test_sales_reps(rep: NymbleClient) -> None:
    page = await rep.salesreps.list()
    assert {"REP-007", "REP-003"} <= {r.rep_number for r in page.items}
    jordan = await rep.salesreps.get("REP-007")
    assert jordan.display_name == "Jordan Avery"


async def test_cart_lines_update_remove_and_admin_list(rep: NymbleClient, admin: NymbleClient,
                                                        faults: Faults) -> None:
    cart = await rep.carts.create("CUST-0082", "WDG-RED-M", 2)
    with pytest.raises(Conflict):
        await rep.carts.create("CUST-0082", "WDG-RED-M", 2)
    cart = await rep.carts.add_item("CUST-0082", cart.id, "PART-A1", 10)
    cart = await rep.carts.update_item("CUST-0082", cart.id, "PART-A1", 30)
    assert cart.quantity_of("PART-A1") == 30
    faults.plan("DELETE", "/items/WDG-RED-M", "lose-reply")  # retried DELETE then finds it gone
    await rep.carts.remove_item("CUST-0082", cart.id, "WDG-RED-M")
    cart = await rep.carts.get(cart.id)
    assert cart.line("WDG-RED-M") is None and cart.quantity_of("PART-A1") == 30
    await rep.carts.remove_item("CUST-0082", cart.id, "WDG-RED-M")  # already gone: fine
    with pytest.raises(NotFound):  # a code that is not the line's SKU does not "remove" it
        await rep.carts.remove_item("CUST-0082", cart.id, (await rep.products.get("PART-A1")).upc or "")
    cart = await rep.carts.set_po_number("CUST-0082", cart.id, "PO-77")
    assert cart.po_number == "PO-77"
    assert (await rep.carts.active_for_customer("CUST-0082")).id == cart.id  # type: ignore[union-attr]
    listed = await admin.carts.list(page_size=50)
    assert cart.id in {c.id for c in listed.items} and listed.page_size == 50


async def test_card_checkout_then_invoice_payments_refund(rep: NymbleClient, admin: NymbleClient) -> None:
    cart = await rep.carts.create("CUST-1042", "WDG-BLU-L", 48)
    customer = await rep.customers.get("CUST-1042")
    await rep.carts.set_shipping("CUST-1042", cart.id, customer.default_shipping)  # a CustomerAddress
    card = CreditCard(card_number="4111111111111111", cardholder_name="John Doe", expiry_month="12",
                      expiry_year=2030, cvv="123")
    result = await rep.carts.checkout("CUST-1042", cart.id, CheckoutRequest(
        channel="Phone", billing_address=customer.default_billing, credit_card=card))
    assert result.order_number and result.confirmation_id
    order = await rep.orders.get(result.order_number)
    assert order.items[0].price == Decimal("11.75")  # the 48 break
    invoices = await admin.invoices.for_order(order.id)
    assert [i.status for i in invoices] == ["Paid"]
    payment = invoices[0].payments[0]
    assert payment.method == "CreditCard" and payment.last4_digits == "1111"
    refunded = await admin.invoices.refund(invoices[0].id, payment.id or "", Decimal("100.00"), notes="damaged")
    original = next(p for p in refunded.payments if p.id == payment.id)
    assert original.refunded_amount == Decimal("100.00")
    assert any(p.net_amount == Decimal("-100.00") for p in refunded.payments)


async def test_terms_invoice_offline_payment_void_and_cancel(admin: NymbleClient, faults: Faults) -> None:
    ref = await admin.orders.create(_order("DESK-INV-1"))  # 24 x WDG-BLU-L, 12 x WDG-RED-M
    draft = await admin.invoices.create_from_order(ref.id, status="Issued",
                                                   items=[{"sku": "WDG-BLU-L", "quantity": 10}])
    assert draft.status == "Issued" and draft.balance == draft.invoice_total
    faults.plan("POST", "/payments", "lose-reply")
    paid = await admin.invoices.record_payment(draft.id, Decimal("100.00"), "Check", reference="CHK-1001")
    assert faults.count("POST", "/payments") == 1
    assert [p.amount for p in paid.payments] == [Decimal("100.00")]
    assert paid.status == "PartiallyPaid"

    second = await admin.invoices.create_from_order(ref.id, status="Draft",
                                                    items=[{"sku": "WDG-BLU-L", "quantity": 14}])
    faults.plan("POST", "/void", "lose-reply")
    voided = await admin.invoices.void(second.id)
    assert voided.status == "Voided" and faults.count("POST", "/void") == 1
    assert (await admin.invoices.void(second.id)).status == "Voided"  # 409 reconciled to done
    third = await admin.invoices.create_from_order(ref.id, status="Draft")
    # what is left, the voided invoice's lines included
    assert sorted((i.sku, i.quantity) for i in third.items) == [("WDG-BLU-L", 14), ("WDG-RED-M", 12)]
    assert (await admin.invoices.cancel(third.id, reason="duplicate")).status == "Cancelled"
    listed = await admin.invoices.search([Filter("orderId", "equals", ref.id)])
    assert {i.id for i in listed.items} == {draft.id, second.id, third.id}


async def test_orders_bulk_get_search_and_updates(admin: NymbleClient) -> None:
    bulk = json.loads(seeds.ORDER_CREATE_REQUEST)
    orders = [OrderCreate.model_validate({**bulk, "externalId": f"DESK-BULK-{n}"}) for n in (1, 2)]
    refs = await admin.orders.bulk(orders)
    again = await admin.orders.bulk(orders)  # same externalIds: updates, not duplicates
    assert [r.id for r in again] == [r.id for r in refs]
    order = await admin.orders.get(refs[0].id)
    assert order.external_id == "DESK-BULK-1" and order.customer and order.customer.customer_number == "CUST-1042"
    by_number = await admin.orders.get(order.order_number)
    assert by_number.id == order.id
    page = await admin.orders.search([Filter("customerNumber", "equals", "CUST-1042")], sort_on="orderDate",
                                     sort_direction="desc", page_size=5)
    assert page.items and all(o.customer and o.customer.customer_number == "CUST-1042" for o in page.items)
    shipped = await admin.orders.update_shipping(order.id, "UPS Next Day Air", Decimal("42.00"),
                                                 Address(address1="1200 Industrial Pkwy", city="Salem",
                                                         state_province="OR", postal_code="97301", country="US"))
    assert shipped.shipping_details and shipped.shipping_details.total == Decimal("42.00")
    renamed = await admin.orders.update_customer(order.id, "CUST-1042", "Brightfield Supply Co. (Updated)",
                                                 company_phone="555-400-1201")
    assert renamed.customer and renamed.customer.company_name == "Brightfield Supply Co. (Updated)"
    await admin.orders.email_confirmation(order.id, ["buyer@example.com"])
    with pytest.raises(NotFound):
        await admin.orders.get("ORD-NOPE")


async def test_orders_bulk_encoded_posts_json_written_elsewhere(admin: NymbleClient) -> None:
    bulk = json.loads(seeds.ORDER_CREATE_REQUEST)
    texts = [json.dumps({**bulk, "externalId": f"DESK-ENC-{n}"}) for n in (1, 2)]
    numbers = await admin.orders.bulk_encoded(texts)
    again = await admin.orders.bulk_encoded(texts)  # same externalIds: updates, not duplicates
    assert again == numbers and len(set(numbers)) == 2
    assert (await admin.orders.get(numbers[1])).external_id == "DESK-ENC-2"
    with pytest.raises(ValueError, match="external_id"):
        await admin.orders.bulk_encoded([json.dumps({k: v for k, v in bulk.items() if k != "externalId"})])


def _order(external_id: str) -> OrderCreate:
    body = json.loads(seeds.ORDER_CREATE_REQUEST)
    return OrderCreate.model_validate({**body, "externalId": external_id})
