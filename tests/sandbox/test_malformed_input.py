"""Malformed input on every write endpoint: a 400/422 problem naming the field, and nothing stored.

For each endpoint a valid body is mutated one way at a time (broken or empty JSON,
arrays or scalars for objects, wrong types, zero/negative/huge quantities and
amounts, 1 MB strings, unknown SKUs, ids that contradict the path, ...).  Every
variant must answer 400 or 422 with ``application/problem+json`` carrying
``type``, ``title``, ``status`` and ``errors``, where ``errors`` names the field at
fault; and a snapshot of what the API shows (carts, orders, invoices, customers,
counts) must be the same afterwards.  Last, the valid body itself is sent and must
succeed and show up in the snapshot, so the variants fail for their malformation
and the snapshot would have seen a change.  Card numbers are never echoed back.

Also: bulk orders (201 with a problem per refused order, naming ``Orders[i].<field>``),
an order for an inactive customer, and list filters with huge values (no 500).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from .conftest_robust import (  # noqa: F401  (auth, client, world are fixtures)
    CARD, SHIP_TO, World, auth, client, problem_failure, send, sent_emails, snapshot, world,
)

MB = "x" * 1_000_000
BILL = {"address1": "123 Billing St", "city": "New York", "stateProvince": "NY", "postalCode": "10001", "country": "US"}


@dataclass(frozen=True)
class Variant:
    label: str
    body: Any  # JSON value, or bytes sent as-is with Content-Type: application/json
    field: str  # the errors key expected (case-insensitive; a nested key under it also counts)


@dataclass
class Endpoint:
    name: str
    method: str
    path: Callable[[World], str]
    valid: Callable[[World], Any]
    variants: Callable[[Any], list[Variant]]  # from the valid body
    shape_field: str = "Body"  # what a wrong-shaped body is blamed on
    empty_ok: bool = False  # void/cancel take no body at all


def put(body: Any, path: str, value: Any) -> Any:
    """A deep copy of ``body`` with the dotted ``path`` (``items.0.sku``) set, or removed when value is ``...``."""
    out = copy.deepcopy(body)
    *parents, last = path.split(".")
    node = out
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return out


def shapes(valid: Any, field_name: str, empty_ok: bool) -> list[Variant]:
    raw = json.dumps(valid).encode()
    out = [
        Variant("broken JSON", raw[: len(raw) // 2], "Body"),
        Variant("trailing garbage", raw + b"}}", "Body"),
        Variant("not UTF-8", b'{"x": "\xff\xfe"}', "Body"),
        Variant("array for object", [valid], field_name),
        Variant("string for object", json.dumps(valid), field_name),
        Variant("number for object", 42, field_name),
    ]
    if not empty_ok:
        out += [Variant("empty body", b"", "Body"), Variant("null body", None, field_name)]
    return out


def typed(valid: Any, path: str, name: str, values: list[Any]) -> list[Variant]:
    return [Variant(f"{path}={json.dumps(v)[:40]}", put(valid, path, v), name) for v in values]


BAD_QTY = [0, -1, 10**12, 2**63, 10**400, 1e308, 1.5, "many", True, None, [1], {"n": 1}]
BAD_TEXT = [MB, 42, ["A"], {"a": 1}]
BAD_CODE = [*BAD_TEXT, "", "   ", None]
BAD_AMOUNT = [-1, "abc", "NaN", "Infinity", 1e300, True, [1], None]


def cart_base(w: World) -> str:
    return f"/api/carts/{w.customer}/{w.cart_id}"


def create_cart_variants(v: Any) -> list[Variant]:
    return [*typed(v, "sku", "Sku", [*BAD_CODE, "NO-SUCH-SKU"]), Variant("sku missing", put(v, "sku", ...), "Sku"),
            *typed(v, "quantity", "Quantity", BAD_QTY), *typed(v, "orderType", "OrderType", BAD_TEXT),
            *typed(v, "customerNumber", "CustomerNumber", ["CUST-0082", MB, 7])]


def add_item_variants(v: Any) -> list[Variant]:
    return [*typed(v, "sku", "Sku", [*BAD_CODE, "NO-SUCH-SKU"]), Variant("sku missing", put(v, "sku", ...), "Sku"),
            *typed(v, "quantity", "Quantity", [*BAD_QTY, 999_999]),  # 999_999 + the 2 held > 1,000,000
            Variant("quantity missing", put(v, "quantity", ...), "Quantity"),
            *typed(v, "shoppingCartId", "ShoppingCartId", ["cart_other", MB]),
            *typed(v, "customerNumber", "CustomerNumber", ["CUST-0082"])]


def update_item_variants(v: Any) -> list[Variant]:
    return [*typed(v, "quantity", "Quantity", [-1, 1_000_001, 10**400, 1.5, "five", True, None, [5]]),
            Variant("quantity missing", put(v, "quantity", ...), "Quantity"),
            *typed(v, "sku", "Sku", ["WDG-RED-M", MB, 5])]


def address_variants(v: Any, at: str, name: str, optional: bool = False) -> list[Variant]:
    return [*typed(v, at, name, ["500 Commerce Drive", [], 7, *([] if optional else [None])]),
            Variant(f"{at} missing address1", put(v, f"{at}.address1", ...), f"{name}.Address1"),
            *typed(v, f"{at}.address1", f"{name}.Address1", [MB, "", 12, None]),
            *typed(v, f"{at}.city", f"{name}.City", [MB, 12, ["Austin"]]),
            *typed(v, f"{at}.postalCode", f"{name}.PostalCode", [MB, {"zip": 1}]),
            *typed(v, f"{at}.country", f"{name}.Country", ["U", MB])]


def shipping_variants(v: Any) -> list[Variant]:
    return [Variant("shippingAddress missing", put(v, "shippingAddress", ...), "ShippingAddress"),
            *address_variants(v, "shippingAddress", "ShippingAddress")]


def po_variants(v: Any) -> list[Variant]:
    return [*typed(v, "poNumber", "PoNumber", [MB, 12345, ["PO"], None]),
            Variant("poNumber missing", put(v, "poNumber", ...), "PoNumber")]


def checkout_variants(v: Any) -> list[Variant]:
    cc, card = "payment.creditCard", "Payment.CreditCard"
    return [*typed(v, "channel", "Channel", [MB, 7, [], ""]), *typed(v, "payment", "Payment", ["card", [], 5]),
            *typed(v, f"{cc}.cardNumber", f"{card}.CardNumber",
                   ["4111111111111112", "4111", "4111-abcd-1111-1111", int(CARD), MB, None]),
            *typed(v, f"{cc}.expiryMonth", f"{card}.ExpiryMonth", [13, 0, "December", None]),
            *typed(v, f"{cc}.expiryYear", f"{card}.ExpiryYear", [2019, "soon", 10**400]),
            *typed(v, f"{cc}.cvv", f"{card}.Cvv", ["12345", "abc", 123, MB]),
            *typed(v, f"{cc}.cardholderName", f"{card}.CardholderName", ["", MB, 9]),
            *typed(v, cc, card, ["4111111111111111", [CARD]]),
            *address_variants(v, "payment.billingAddress", "Payment.BillingAddress", optional=True),
            *typed(v, "shoppingCartId", "ShoppingCartId", ["cart_other"])]


def order_body(w: World) -> dict[str, Any]:
    return {
        "customer": {
            "customerNumber": w.customer,
            "companyName": "Brightfield Supply Co.",
            "shippingAddress": {**{k: v for k, v in SHIP_TO.items() if k != "postalCode"}, "zipPostalCode": "78701"},
        },
        "orderType": "Direct",
        "poNumber": "PO-B2-88412",
        "priceTier": "Wholesale",
        "currencyCode": "USD",
        "primarySalesRep": {"repNumber": "REP-007"},
        "items": [
            {"sku": "WDG-BLU-L", "productName": "Widget Blue Large", "quantity": 24, "price": 12.50},
            {"sku": "WDG-RED-M", "quantity": 12, "price": 11.00},
        ],
        "user": {"userId": "usr_b2", "userType": "SalesRep"},
        "shippingDetails": {"method": "FedEx Ground", "total": 18.50},
        "terms": "Net30",
        "channel": "Phone",
        "externalId": "B2-ERP-1",
        "tax": 28.80,
        "notes": "malformed-input control",
    }


def order_variants(v: Any) -> list[Variant]:
    return [
        *typed(v, "customer", "Customer", ["CUST-1042", [], None]),
        Variant("customer missing", put(v, "customer", ...), "Customer"),
        *typed(v, "customer.customerNumber", "Customer.CustomerNumber", ["CUST-NOPE", MB, 1042, None]),
        *typed(v, "items", "Items", [[], "WDG-BLU-L", {"sku": "WDG-BLU-L"}, None]),
        Variant("items missing", put(v, "items", ...), "Items"),
        *typed(v, "items.0.quantity", "Items[0].Quantity", BAD_QTY),
        *typed(v, "items.0.sku", "Items[0].Sku", [*BAD_CODE, "NO-SUCH-SKU"]),
        *typed(v, "items.1.price", "Items[1].Price", BAD_AMOUNT[:-1]),
        *typed(v, "currencyCode", "CurrencyCode", ["DOLLARS", 840, MB]),
        *typed(v, "priceTier", "PriceTier", [MB, "Platinum", 3]),
        *typed(v, "poNumber", "PoNumber", [MB, 7]),
        *typed(v, "notes", "Notes", [MB, ["n"]]),
        *typed(v, "tax", "Tax", BAD_AMOUNT[:-1]),
        *typed(v, "orderDate", "OrderDate", ["yesterday", 20240101]),
        *typed(v, "primarySalesRep", "PrimarySalesRep", ["REP-007", None]),
        *typed(v, "primarySalesRep.repNumber", "PrimarySalesRep.RepNumber", ["REP-NOPE", MB]),
        *typed(v, "shippingDetails.total", "ShippingDetails.Total", BAD_AMOUNT[:-1]),
        *typed(v, "user", "User", ["usr_b2", [1]]),
    ]


def bulk_variants(v: Any) -> list[Variant]:
    return [*typed(v, "orders", "Orders", [[], "orders", {"a": 1}, None]), Variant("orders missing", {}, "Orders")]


def order_shipping_variants(v: Any) -> list[Variant]:
    return [
        *typed(v, "method", "Method", [MB, "", 5, None]),
        Variant("method missing", put(v, "method", ...), "Method"),
        *typed(v, "total", "Total", BAD_AMOUNT),
        Variant("total missing", put(v, "total", ...), "Total"),
        *typed(v, "shippingAddress", "ShippingAddress", ["1200 Industrial Pkwy", [], 3]),
        *typed(v, "shippingAddress.address1", "ShippingAddress.Address1", [MB, ""]),
    ]


def order_customer_variants(v: Any) -> list[Variant]:
    return [*typed(v, "customerNumber", "CustomerNumber", ["CUST-NOPE", MB, 82, None]),
            Variant("customerNumber missing", put(v, "customerNumber", ...), "CustomerNumber"),
            *typed(v, "companyName", "CompanyName", [MB, "", 5, None]),
            *typed(v, "companyEmail", "CompanyEmail", [MB, ["a@b"]]),
            *typed(v, "billingAddress", "BillingAddress", ["301 Commerce Blvd", []]),
            *typed(v, "billingAddress.city", "BillingAddress.City", [MB, 1])]


def email_variants(v: Any) -> list[Variant]:
    return [*typed(v, "emailAddresses", "EmailAddresses", [[], "a@b.example", None, ["a@b.example"] * 51]),
            Variant("emailAddresses missing", {}, "EmailAddresses"),
            *typed(v, "emailAddresses.0", "EmailAddresses[0]", [MB, "", 7, ["x"]])]


def customer_body(_: World) -> dict[str, Any]:
    return {"customerNumber": "CUST-B2-NEW", "companyName": "Malformed Input Ltd.", "repNumber": "REP-007",
            "pricing": "Wholesale", "terms": "Net30", "currencyCode": "USD", "creditLimit": 1000,
            "addresses": [{"addressType": "Shipping", "default": True, **SHIP_TO}]}


def customer_variants(v: Any) -> list[Variant]:
    return [*typed(v, "customerNumber", "CustomerNumber", [*BAD_CODE]),
            Variant("customerNumber missing", put(v, "customerNumber", ...), "CustomerNumber"),
            *typed(v, "companyName", "CompanyName", [*BAD_CODE]),
            *typed(v, "active", "Active", ["maybe", [True], None]),
            *typed(v, "currencyCode", "CurrencyCode", ["US", 840]),
            *typed(v, "creditLimit", "CreditLimit", BAD_AMOUNT),
            *typed(v, "repNumber", "RepNumber", ["REP-NOPE", "REP-003", MB]),
            *typed(v, "addresses", "Addresses", ["500 Commerce Drive", {"a": 1}, [{"addressType": "Shipping"}] * 51]),
            *typed(v, "addresses.0.addressType", "Addresses[0].AddressType", ["Warehouse", 1, None]),
            *typed(v, "addresses.0.address1", "Addresses[0].Address1", [MB, None])]


def payment_variants(v: Any) -> list[Variant]:
    return [*typed(v, "amount", "Amount", [*BAD_AMOUNT[1:], 0, "1e400", 10**12, "0.001"]),
            *typed(v, "amount", "OriginalPaymentId", [-1]),  # a refund must say which payment it refunds
            Variant("amount missing", put(v, "amount", ...), "Amount"),
            *typed(v, "amount", "Amount", [99_999]),  # more than the balance
            *typed(v, "method", "Method", ["Bitcoin", MB, 5]),
            *typed(v, "paymentDate", "PaymentDate", ["last tuesday", "2024-02-30", 20240101]),
            *typed(v, "reference", "Reference", [MB, ["r"]]),
            *typed(v, "originalPaymentId", "OriginalPaymentId", ["pay_nope", MB])]


def invoice_variants(v: Any) -> list[Variant]:
    return [
        *typed(v, "status", "Status", ["Paid", "", 5, MB]),
        *typed(v, "items", "Items", [[], "WDG-BLU-L", {"sku": "x"}]),
        *typed(v, "items.0.quantity", "Items[0].Quantity", [*BAD_QTY, 25]),  # 24 are on the order
        *typed(v, "items.0.sku", "Items[0]", [*BAD_CODE, "NO-SUCH-SKU", "PART-A1"]),
        *typed(v, "notes", "Notes", [MB, 5]),
        *typed(v, "externalId", "ExternalId", [MB, ["e"]]),
    ]


def reason_variants(v: Any) -> list[Variant]:
    return typed(v, "reason", "Reason", [MB, 5, ["typo"], {"why": "typo"}])


ENDPOINTS = [
    Endpoint(
        "cart create",
        "POST",
        lambda w: "/api/carts/CUST-0042",
        lambda w: {"customerNumber": "CUST-0042", "sku": "WDG-BLU-L", "quantity": 1, "orderType": "Standard"},
        create_cart_variants,
    ),
    Endpoint(
        "cart add item",
        "POST",
        lambda w: f"{cart_base(w)}/items",
        lambda w: {"customerNumber": w.customer, "shoppingCartId": w.cart_id, "sku": w.sku, "quantity": 2},
        add_item_variants,
    ),
    Endpoint(
        "cart update item",
        "PUT",
        lambda w: f"{cart_base(w)}/items/{w.sku}",
        lambda w: {"quantity": 5},
        update_item_variants,
    ),
    Endpoint(
        "cart shipping",
        "PUT",
        lambda w: f"{cart_base(w)}/shipping",
        lambda w: {
            "customerNumber": w.customer,
            "shoppingCartId": w.cart_id,
            "shippingAddress": {**SHIP_TO, "address1": "1 Other Street"},
        },
        shipping_variants,
    ),
    Endpoint(
        "cart po", "PUT", lambda w: f"{cart_base(w)}/po-number", lambda w: {"poNumber": "PO-B2-0002"}, po_variants
    ),
    Endpoint(
        "cart checkout",
        "POST",
        lambda w: f"{cart_base(w)}/complete-checkout",
        lambda w: {
            "customerNumber": w.customer,
            "shoppingCartId": w.cart_id,
            "channel": "Phone",
            "payment": {
                "billingAddress": BILL,
                "creditCard": {
                    "cardNumber": CARD,
                    "cardholderName": "John Doe",
                    "expiryMonth": "12",
                    "expiryYear": 2030,
                    "cvv": "123",
                },
            },
        },
        checkout_variants,
    ),
    Endpoint(
        "cart checkout alias",
        "POST",
        lambda w: f"/api/carts/{w.cart_id}/checkout",
        lambda w: {
            "channel": "Phone",
            "payment": {
                "billingAddress": BILL,
                "creditCard": {"cardNumber": CARD, "cardholderName": "John Doe", "expiryMonth": 12, "expiryYear": 2030},
            },
        },
        lambda v: [x for x in checkout_variants(v) if x.field != "ShoppingCartId"],
    ),
    Endpoint("order create", "POST", lambda w: "/api/orders", order_body, order_variants),
    Endpoint(
        "order bulk",
        "POST",
        lambda w: "/api/orders/bulk",
        lambda w: {"orders": [{**order_body(w), "orderNumber": "ORD-B2-001", "externalId": "B2-ERP-2"}]},
        bulk_variants,
    ),
    Endpoint(
        "order shipping",
        "PUT",
        lambda w: f"/api/orders/{w.order_id}/shipping",
        lambda w: {
            "method": "UPS Next Day Air",
            "total": 42.00,
            "shippingAddress": {
                "address1": "1200 Industrial Pkwy",
                "city": "Salem",
                "stateProvince": "OR",
                "zipPostalCode": "97301",
                "country": "US",
            },
        },
        order_shipping_variants,
    ),
    Endpoint(
        "order customer",
        "PUT",
        lambda w: f"/api/orders/{w.order_id}/customer",
        lambda w: {
            "customerNumber": "CUST-1042",
            "companyName": "Brightfield Supply Co. (Updated)",
            "companyEmail": "orders@brightfield.example",
            "billingAddress": {**BILL, "address1": "301 Commerce Blvd"},
        },
        order_customer_variants,
    ),
    Endpoint(
        "order email",
        "POST",
        lambda w: f"/api/orders/{w.order_id}/email",
        lambda w: {"emailAddresses": ["buyer@brightfield.example"]},
        email_variants,
    ),
    Endpoint(
        "order invoice",
        "POST",
        lambda w: f"/api/orders/{w.open_order_id}/invoices",
        lambda w: {"status": "Draft", "items": [{"sku": w.sku, "quantity": 10}], "notes": "first delivery"},
        invoice_variants,
    ),
    Endpoint("customer upsert", "PUT", lambda w: "/api/customers", customer_body, customer_variants),
    Endpoint(
        "invoice payment",
        "POST",
        lambda w: f"/api/invoices/{w.invoice_id}/payments",
        lambda w: {"amount": "10.00", "method": "Check", "paymentDate": "2024-06-01", "reference": "CHK-1001"},
        payment_variants,
    ),
    Endpoint(
        "invoice void",
        "POST",
        lambda w: f"/api/invoices/{w.invoice_id}/void",
        lambda w: {"reason": "typo"},
        reason_variants,
        empty_ok=True,
    ),
    Endpoint(
        "invoice cancel",
        "POST",
        lambda w: f"/api/invoices/{w.invoice_id}/cancel",
        lambda w: {"reason": "dup"},
        reason_variants,
        empty_ok=True,
    ),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_malformed_input_is_refused_and_changes_nothing(
    endpoint: Endpoint, client: Any, auth: dict[str, dict[str, str]], world: World, app: Any
) -> None:
    h, path, valid = auth["rep"], endpoint.path(world), endpoint.valid(world)
    variants = shapes(valid, endpoint.shape_field, endpoint.empty_ok) + endpoint.variants(valid)

    def state() -> tuple[dict[str, Any], int]:
        return snapshot(client, h, auth["admin"], world), sent_emails(app)

    before = state()
    failures = []
    for variant in variants:
        r = send(client, endpoint.method, path, h, variant.body)
        why = problem_failure(r, variant.field)
        after = state()
        if why is None and after != before:
            why = "the request changed stored data"
        before = after
        if why:
            failures.append(f"{endpoint.method} {path} [{variant.label}] -> {why}")
    assert not failures, f"{len(failures)} of {len(variants)} malformed requests mishandled:\n" + "\n".join(failures)
    # the control: the unmutated body is accepted and visibly changes what is stored
    r = send(client, endpoint.method, path, h, valid)
    assert r.status_code in (200, 201, 204), r.text
    assert state() != before


def test_bulk_refuses_each_malformed_order_in_its_result(
    client: Any, auth: dict[str, dict[str, str]], world: World
) -> None:
    """Bulk answers 201 with one result per order; a malformed order's result is a problem naming
    ``Orders[0].<field>`` and nothing of it is stored."""
    h, valid = auth["rep"], order_body(world)
    before = snapshot(client, h, auth["admin"], world)
    variants = [Variant("item is a string", "ORD", ""), Variant("item is null", None, ""), *order_variants(valid)]
    failures = []
    for variant in variants:
        r = client.post("/api/orders/bulk", headers=h, json={"orders": [variant.body]})
        result = r.json()[0] if r.status_code == 201 and len(r.json()) == 1 else None
        error = (result or {}).get("error") or {}
        want = ("orders[0]." + variant.field).lower().rstrip(".")
        keys = [k.lower() for k in error.get("errors", {})]
        if result is None or result.get("data") is not None:
            failures.append(f"[{variant.label}] -> {r.status_code} {r.text[:200]}")
        elif not all(k in error for k in ("type", "title", "status")) or error["status"] not in (400, 422):
            failures.append(f"[{variant.label}] -> the error is not a problem: {error}")
        elif not any(k == want or k.startswith((want + ".", want + "[")) for k in keys):
            failures.append(f"[{variant.label}] -> errors {list(error.get('errors', {}))} do not name {want}")
        after = snapshot(client, h, auth["admin"], world)
        if after != before:
            failures.append(f"[{variant.label}] -> the request changed stored data")
        before = after
    assert not failures, f"{len(failures)} of {len(variants)} malformed bulk orders mishandled:\n" + "\n".join(failures)
    r = client.post("/api/orders/bulk", headers=h, json={"orders": [{**valid, "externalId": "B2-ERP-3"}]})
    assert r.status_code == 201 and r.json()[0]["data"]["orderNumber"], r.text
    assert snapshot(client, h, auth["admin"], world) != before


def test_order_for_an_inactive_customer_is_refused(client: Any, auth: dict[str, dict[str, str]], world: World) -> None:
    """api-notes: an inactive customer cannot place orders (CUST-0013 is inactive; checkout refuses it)."""
    h = auth["rep"]
    assert client.get("/api/customers/CUST-0013", headers=h).json()["active"] is False
    before = snapshot(client, h, auth["admin"], world)
    body = put(put(order_body(world), "customer", {"customerNumber": "CUST-0013"}), "externalId", "B2-ERP-4")
    r = client.post("/api/orders", headers=h, json=body)
    assert problem_failure(r, "Customer.CustomerNumber") is None, r.text
    assert snapshot(client, h, auth["admin"], world) == before


@pytest.mark.parametrize("query", [
    "/api/orders?filters=orderNumber:contains:", "/api/orders?filters=poNumber:startswith:",
    "/api/customers?filters=companyName:endswith:", "/api/products?filters=name:notcontains:",
    "/api/invoices?filters=poNumber:contains:", "/api/salesreps?filters=lastName:contains:",
])
def test_huge_filter_values_are_refused(query: str, client: Any, auth: dict[str, dict[str, str]]) -> None:
    r = client.get(query + "x" * 50_001, headers=auth["admin"])
    assert problem_failure(r, "Filters") is None, r.text[:300]
