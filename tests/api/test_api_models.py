"""The seed pages' example responses parse as they are, with Decimal money and aware times."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from nymble_desk.api import wire
from nymble_desk.api.models import (
    Address,
    Cart,
    CheckoutRequest,
    CheckoutResult,
    Customer,
    Invoice,
    Order,
    OrderAddress,
    OrderCreate,
    OrderRef,
    Page,
    Product,
)

import api_seed_examples as seeds


def parse(text: str):
    return wire.decode(text.encode())


def test_cart_example_parses() -> None:
    cart = Cart.model_validate(parse(seeds.CART_CREATED))
    assert cart.id == "cart_8f3a2c1d"
    assert cart.status == "PENDING" and cart.is_active and not cart.is_complete
    assert cart.quantity_of("WIDGET-BLU-L") == 1
    assert cart.quantity_of("WIDGET-RED-M") == 0
    assert cart.created_at == datetime(2024, 6, 1, 10, 0, tzinfo=UTC)


def test_checkout_result_example_and_missing_confirmation() -> None:
    result = CheckoutResult.model_validate(parse(seeds.CHECKOUT_RESULT))
    assert (result.order_number, result.confirmation_id) == ("ORD-2024-004821", "conf_a3f91bc2")
    assert CheckoutResult.model_validate({"orderNumber": "ORD-1"}).confirmation_id is None


def test_order_example_parses_with_exact_money() -> None:
    order = Order.model_validate(parse(seeds.ORDER))
    assert order.order_number == "ORD-00412"
    assert order.po_number == "PO-88412"
    assert order.order_total == Decimal("479.30") and isinstance(order.order_total, Decimal)
    assert order.tax == Decimal("28.80")
    assert order.items[0].sub_total == Decimal("300.00")
    assert order.items[0].price == Decimal("12.50")
    assert order.shipping_details is not None and order.shipping_details.total == Decimal("18.50")
    assert order.customer is not None and order.customer.billing_address is not None
    assert order.customer.billing_address.postal_code == "97201"
    assert order.primary_sales_rep is not None and order.primary_sales_rep.display_name == "Jordan Avery"
    assert order.order_date is not None and order.order_date.tzinfo is not None
    assert order.origination_cart_id is None


def test_created_and_bulk_refs_parse() -> None:
    ref = OrderRef.model_validate(parse(seeds.ORDER_CREATED))
    assert ref == OrderRef(id="a1b2c3d4-e5f6-7890-abcd-ef1234567890", order_number="ORD-00412")
    refs = [OrderRef.model_validate(item) for item in parse(seeds.BULK_CREATED)]
    assert [r.order_number for r in refs] == ["ORD-2023-001", "ORD-2023-002"]


def test_a_bulk_answer_s_order_numbers_are_read_as_the_model_reads_them() -> None:
    from nymble_desk.api.orders import _order_number

    entries = parse(seeds.BULK_CREATED)
    assert [_order_number(e) for e in entries] == ["ORD-2023-001", "ORD-2023-002"]
    assert _order_number({"id": "i-1", "orderNumber": "ORD-9"}) == "ORD-9"  # a bare entry: the model's way
    for entry in ({"data": {"id": "i-1"}}, {"data": {"id": 7, "orderNumber": "ORD-9"}}, "x"):
        with pytest.raises(ValidationError):  # as OrderRef.model_validate: the importer settles one by one
            _order_number(entry)


def test_order_search_page_shape() -> None:
    page = Page[Order].model_validate(parse(seeds.ORDER_SEARCH))
    assert (page.total, page.page_number, page.page_size, page.total_pages) == (47, 1, 20, 3)
    assert page.has_next


def test_second_paging_shape() -> None:
    payload = {"data": [{"customerNumber": "CUST-1042", "companyName": "Brightfield Supply Co."}],
               "totalRecords": 1, "currentPage": 1, "totalPages": 1}
    page = Page[Customer].model_validate(payload)
    assert page.items[0].customer_number == "CUST-1042"
    assert (page.total, page.page_number, page.total_pages, page.has_next) == (1, 1, 1, False)


def test_order_create_round_trips_the_seed_request_with_zip_postal_code() -> None:
    order = OrderCreate.model_validate(parse(seeds.ORDER_CREATE_REQUEST))
    assert order.items[1].price == Decimal("11.00")
    body = order.to_wire()
    assert body["customer"]["billingAddress"]["zipPostalCode"] == "97201"
    assert "postalCode" not in body["customer"]["billingAddress"]
    assert body["externalId"] == "ERP-ORDER-99821"
    # money goes out as exact JSON numbers, not strings and not floats
    text = wire.encode(body).decode()
    assert '"price":12.50' in text and '"tax":28.80' in text
    assert json.loads(text)["items"][0]["quantity"] == 24


def test_pascal_case_request_names_are_not_silently_dropped() -> None:
    # the lifecycle page's example uses PascalCase; our model takes camelCase or field names
    with pytest.raises(ValidationError):
        OrderCreate.model_validate({"Customer": {"CustomerNumber": "CUST-0042"}, "OrderType": "Standard"})


def test_address_accepts_both_postal_names_and_converts() -> None:
    a = Address.model_validate({"address1": "1 Main", "zipPostalCode": "97201"})
    assert a.postal_code == "97201"
    assert a.to_wire() == {"address1": "1 Main", "postalCode": "97201"}
    assert a.as_order_address().to_wire() == {"address1": "1 Main", "zipPostalCode": "97201"}
    assert OrderAddress(postal_code="1").postal_code == "1"


def test_checkout_request_nested_seed_form_and_secret_card() -> None:
    req = CheckoutRequest.model_validate(parse(seeds.CHECKOUT_REQUEST))
    assert req.channel == "Web"
    assert req.billing_address is not None and req.billing_address.city == "New York"
    assert req.credit_card is not None and req.credit_card.last4 == "1111"
    assert "4111111111111111" not in repr(req) and "4111111111111111" not in str(req.model_dump())
    assert "123'" not in repr(req.credit_card)
    body = req.body("CUST-1042", "cart_8f3a2c1d")
    assert body == json.loads(seeds.CHECKOUT_REQUEST)


def test_checkout_on_terms_sends_no_card() -> None:
    body = CheckoutRequest(channel="Phone", billing_address=Address(address1="300 Commerce Blvd")).body("C", "K")
    assert body["payment"] == {"billingAddress": {"address1": "300 Commerce Blvd"}}


def test_unknown_fields_ignored_and_naive_times_become_utc() -> None:
    cart = Cart.model_validate({"shoppingCartId": "c", "customerNumber": "n", "status": "Complete",
                                "brandNewField": 1, "createdAt": "2024-06-01T10:00:00"})
    assert cart.is_complete and not cart.is_active
    assert cart.created_at is not None and cart.created_at.tzinfo is UTC


def test_customer_and_product_fields_from_api_notes() -> None:
    customer = Customer.model_validate({
        "customerNumber": "CUST-1042", "companyName": "Brightfield Supply Co.", "active": True,
        "repNumber": "REP-007", "pricing": "Wholesale", "terms": "Net30", "currencyCode": "USD",
        "creditLimit": Decimal("50000"), "balance": Decimal("1250.40"), "creditHold": False,
        "addresses": [
            {"addressType": "Shipping", "default": False, "address1": "300 Commerce Blvd", "postalCode": "97201"},
            {"addressType": "Shipping", "default": True, "address1": "500 Commerce Drive", "postalCode": "78701"},
            {"addressType": "Billing", "default": True, "address1": "300 Commerce Blvd"},
        ],
    })
    assert customer.price_tier == "Wholesale"
    assert customer.default_shipping is not None and customer.default_shipping.address1 == "500 Commerce Drive"
    assert customer.default_billing is not None and customer.default_billing.is_billing
    assert len(customer.shipping_addresses) == 2
    product = Product.model_validate(wire.decode(
        b'{"sku":"WDG-BLU-L","name":"Widget Blue Large","price":13.50,"upc":"012345678905",'
        b'"minimumOrderQuantity":1,"quantityIncrement":1,'
        b'"prices":[{"tier":"Wholesale","price":12.50,"atQuantity":1},{"tier":"Wholesale","price":11.75,"atQuantity":48}]}'
    ))
    assert product.prices[1].price == Decimal("11.75") and product.prices[1].at_quantity == 48


def test_invoice_with_refunded_payment() -> None:
    invoice = Invoice.model_validate(wire.decode(
        b'{"id":"inv1","invoiceNumber":"INV-1","status":"Paid","invoiceTotal":100.00,"amountPaid":100.00,'
        b'"balance":0,"payments":[{"id":"p1","amount":100.00,"method":"CreditCard","cardType":"Visa",'
        b'"last4Digits":"1111","refundedAmount":25.00,"netAmount":75.00},'
        b'{"id":"p2","amount":-25.00,"netAmount":-25.00,"originalPaymentId":"p1"}]}'
    ))
    assert invoice.payments[0].last4_digits == "1111"
    assert invoice.payments[0].net_amount == Decimal("75.00")
    assert invoice.payments[1].original_payment_id == "p1"


def test_wire_refuses_float_and_reads_numbers_as_decimal() -> None:
    with pytest.raises(TypeError):
        wire.encode({"price": 12.5})
    assert wire.decode(b'{"a": 0.1}')["a"] == Decimal("0.1")
    assert wire.decode(b"") is None
