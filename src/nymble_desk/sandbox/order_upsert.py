"""Create or update an order from a request body (``POST /api/orders`` and ``/bulk``).

Idempotency: an order whose ``externalId`` (or, in bulk, ``orderNumber``) is
already known updates that order in place and keeps its id.  An ``orderNumber``
already held by a different order answers 409.  A new order for an inactive customer
is refused (400 ``Customer.CustomerNumber``).  References are checked against
the tenant's data: the customer (which a SalesRep must own), the reps, the
price tier and the SKUs (400 naming the field).  Line and order discounts are
computed as sandbox/discounts.py says.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from nymble_desk.sandbox.discounts import amount_off, spec
from nymble_desk.sandbox.auth import Principal
from nymble_desk.sandbox.bodies import OrderCreateIn, SalesRepRefIn
from nymble_desk.sandbox.db import iso, utc_now
from nymble_desk.sandbox.errors import Problem, bad_request, conflict
from nymble_desk.sandbox.order_store import write_order
from nymble_desk.sandbox.products import price_for, resolve_tier
from nymble_desk.sandbox.records import (
    address_dict, cents, default_address, new_guid, next_number, order_number, rep_snapshot,
)
from nymble_desk.sandbox.scope import customer_ref, readable_or_404


def _rep(con: sqlite3.Connection, org: str, ref: SalesRepRefIn | None, field: str) -> dict[str, Any] | None:
    if ref is None:
        return None
    snap = rep_snapshot(con, org, ref.repNumber)
    if snap is None:
        raise bad_request(f"{field}.RepNumber", f"Sales rep '{ref.repNumber}' does not exist.")
    return snap


def _existing(con: sqlite3.Connection, who: Principal, body: OrderCreateIn, by_number: bool) -> sqlite3.Row | None:
    """The order this body updates, if any; an order the caller cannot read is refused as a read of it is."""
    org = who.org_id
    by_ext = None
    if body.externalId:
        by_ext = con.execute(
            "SELECT * FROM orders WHERE org_id = ? AND external_id = ?", (org, body.externalId)
        ).fetchone()
    by_num = None
    if body.orderNumber:
        by_num = con.execute(
            "SELECT * FROM orders WHERE org_id = ? AND order_number = ?", (org, body.orderNumber)
        ).fetchone()
    readable_or_404(con, who, by_ext, "Order", body.externalId or "")
    readable_or_404(con, who, by_num, "Order", body.orderNumber or "")
    if by_ext is not None and by_num is not None and by_ext["id"] != by_num["id"]:
        raise conflict(f"Order number {body.orderNumber} belongs to another order than externalId {body.externalId}.",
                       "OrderNumber")
    if by_num is not None and by_ext is None and not by_number:
        raise conflict(f"Order number {body.orderNumber} already exists.", "OrderNumber")
    return by_ext or by_num


def _order_date(text: str | None, default: str) -> str:
    if not text:
        return default
    try:
        return iso(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise bad_request("OrderDate", "OrderDate must be an ISO-8601 date and time.") from None


def upsert_order(
    con: sqlite3.Connection, who: Principal, body: OrderCreateIn, *, by_number: bool = False
) -> tuple[dict[str, Any], bool]:
    """Write the order; returns (stored row, created)."""
    org = who.org_id
    customer = customer_ref(con, who, body.customer.customerNumber, "Customer.CustomerNumber")
    existing = _existing(con, who, body, by_number)
    if existing is None and not customer["active"]:
        raise bad_request("Customer.CustomerNumber",
                          f"Customer '{customer['customer_number']}' is inactive and cannot place orders.")
    tier = resolve_tier(con, org, body.priceTier, "PriceTier")
    primary = _rep(con, org, body.primarySalesRep, "PrimarySalesRep")
    taken = _rep(con, org, body.takenBySalesRep, "TakenBySalesRep")
    if taken is None and who.role == "SalesRep":
        taken = rep_snapshot(con, org, who.rep_number)
    if taken is not None and primary is not None and taken["repNumber"] == primary["repNumber"]:
        taken = None  # the page: the rep who took it, "if different from the primary rep"
    currency = body.currencyCode.upper()
    items = []
    errors: dict[str, list[str]] = {}
    for i, item in enumerate(body.items):
        product = con.execute("SELECT * FROM products WHERE org_id = ? AND sku = ?", (org, item.sku)).fetchone()
        if product is None:
            errors[f"Items[{i}].Sku"] = [f"{item.sku}: the product does not exist."]
            continue
        price = item.price if item.price is not None else price_for(con, org, product, tier, item.quantity)
        unit = cents(price, currency)
        line_spec = spec(item.discount)
        # a bare discountAmount (no object) is taken as a Fixed amount off, and not shown as an object
        bare = {"type": "Fixed", "value": str(item.discountAmount)} if item.discountAmount else None
        off = amount_off(line_spec or bare, unit * item.quantity, currency)
        items.append({
            "sku": product["sku"], "product_name": item.productName or product["name"],
            "external_id": item.externalId or product["external_id"], "quantity": item.quantity,
            "price": unit, "discount": off, "discount_spec": line_spec,
            "moq": product["moq"], "increment": product["increment"],
        })
    if errors:
        raise Problem(400, "; ".join(m[0] for m in errors.values()), errors)
    order_spec = spec(body.discount)
    after_lines = sum(i["price"] * i["quantity"] - i["discount"] for i in items)
    order_off = amount_off(order_spec, after_lines, currency)
    now = utc_now()
    c = body.customer
    billing = (
        address_dict(c.billingAddress)
        if c.billingAddress
        else default_address(con, org, customer["customer_number"], "Billing")
    )
    details = body.shippingDetails
    ship_to = (details.shippingAddress if details and details.shippingAddress else None) or c.shippingAddress
    shipping = address_dict(ship_to) if ship_to else default_address(con, org, customer["customer_number"], "Shipping")
    for addr in (billing, shipping):
        if addr is not None:
            for key in ("name", "phone", "email"):
                if not addr.get(key):
                    addr.pop(key, None)
    if existing is not None:
        number, order_id, created_at = existing["order_number"], existing["id"], existing["created_at"]
        if body.orderNumber and body.orderNumber != number:
            if con.execute(
                "SELECT 1 FROM orders WHERE org_id = ? AND order_number = ?", (org, body.orderNumber)
            ).fetchone():
                raise conflict(f"Order number {body.orderNumber} already exists.", "OrderNumber")
            number = body.orderNumber
    else:
        order_id, created_at = new_guid(), now
        number = body.orderNumber or order_number(next_number(con, org, "order"))
        while body.orderNumber is None and con.execute(
            "SELECT 1 FROM orders WHERE org_id = ? AND order_number = ?", (org, number)
        ).fetchone():
            number = order_number(next_number(con, org, "order"))
    row = write_order(con, {
        "id": order_id, "org_id": org, "order_number": number,
        "order_date": _order_date(body.orderDate, existing["order_date"] if existing is not None else now),
        "order_status": body.orderStatus or (existing["order_status"] if existing is not None else "Pending"),
        "order_type": body.orderType, "po_number": body.poNumber, "price_tier": tier, "currency": currency,
        "terms": body.terms if body.terms is not None else customer["terms"], "channel": body.channel,
        "external_id": body.externalId, "notes": body.notes, "origination_cart_id": body.originationCartId,
        "customer": {
            "customerNumber": customer["customer_number"],
            "companyName": c.companyName or customer["company_name"],
            "companyEmail": c.companyEmail or customer["company_email"],
            "companyPhone": c.companyPhone or customer["company_phone"],
            "companyFax": c.companyFax or customer["company_fax"],
            "billingAddress": billing, "shippingAddress": shipping,
        },
        "primary_rep": primary, "taken_by_rep": taken,
        "user": body.user.model_dump(exclude_none=True) if body.user else {"userId": who.user_id, "userType": who.role},
        "shipping": {"method": details.method if details else None,
                     "total": cents(details.total, currency) if details else 0, "shippingAddress": shipping},
        "tax": cents(body.tax or 0, currency), "discount": order_off, "discount_spec": order_spec,
        "created_at": created_at, "updated_at": now,
    }, items)
    return row, existing is None
