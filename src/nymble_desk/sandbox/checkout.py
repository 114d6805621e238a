"""Cart checkout: validate, price, create the order and its invoice, complete the cart.

All in the caller's transaction, so it is atomic.  Errors name the field at
fault: ``CustomerNumber`` (inactive, credit hold without a card), ``Items``
(empty cart), ``ShippingAddress`` (missing), ``Items[i].Sku`` (unknown or
inactive) and ``Items[i].Quantity`` (minimum/increment), each message starting
with the SKU; ``Payment.CreditCard.CardNumber`` (fails the Luhn check),
``Payment.CreditCard.ExpiryYear`` (expired).  The card number and CVV are used
for those checks only: the payment keeps the card type and the last 4 digits.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

from nymble_desk.domain.cards import card_type, expired, luhn_valid
from nymble_desk.domain.pricing import QuantityRule, check_quantity
from nymble_desk.sandbox.auth import Principal
from nymble_desk.sandbox.bodies import CheckoutIn, CreditCardIn
from nymble_desk.sandbox.db import utc_now
from nymble_desk.sandbox.discounts import amount_off, spec
from nymble_desk.sandbox.errors import Problem
from nymble_desk.sandbox.invoice_store import add_payment, create_invoice, settle_status
from nymble_desk.sandbox.order_store import write_order
from nymble_desk.sandbox.products import price_for
from nymble_desk.sandbox.records import (
    address_dict, cents, default_address, loads, new_guid, next_number, order_number, rep_snapshot,
)


def check_card(card: CreditCardIn) -> tuple[str, str]:
    """(card type, last 4) for a valid card; else 400 naming the field.  Nothing else is kept."""
    digits = card.cardNumber.replace(" ", "").replace("-", "")
    if not luhn_valid(digits):
        raise Problem(400, "The card number is not valid.",
                      {"Payment.CreditCard.CardNumber": ["The card number is not valid."]})
    if expired(card.expiryYear, card.expiryMonth):
        raise Problem(400, "The card has expired.", {"Payment.CreditCard.ExpiryYear": ["The card has expired."]})
    return card_type(digits), digits[-4:]


def _validate(
    con: sqlite3.Connection, cart: sqlite3.Row, customer: sqlite3.Row
) -> list[tuple[sqlite3.Row, sqlite3.Row]]:
    if not customer["active"]:
        raise Problem(400, f"Customer {customer['customer_number']} is inactive and cannot place orders.",
                      {"CustomerNumber": [f"Customer {customer['customer_number']} is inactive."]})
    lines = con.execute("SELECT * FROM cart_items WHERE cart_id = ? ORDER BY position", (cart["id"],)).fetchall()
    if not lines:
        raise Problem(400, "The cart is empty.", {"Items": ["The cart has no items."]})
    if not cart["shipping"]:
        raise Problem(400, "Set a shipping address before checkout.",
                      {"ShippingAddress": ["A shipping address is required for checkout."]})
    errors: dict[str, list[str]] = {}
    priced = []
    for i, line in enumerate(lines):
        sku = line["sku"]
        product = con.execute("SELECT * FROM products WHERE org_id = ? AND sku = ?", (cart["org_id"], sku)).fetchone()
        if product is None:
            errors[f"Items[{i}].Sku"] = [f"{sku}: the product does not exist."]
            continue
        if not product["active"]:
            errors[f"Items[{i}].Sku"] = [f"{sku}: the product is inactive and cannot be ordered."]
            continue
        check = check_quantity(line["quantity"], QuantityRule(product["moq"], product["increment"]), sku=sku)
        if not check.ok:
            near = " or ".join(str(n) for n in check.nearest)
            errors[f"Items[{i}].Quantity"] = [f"{check.reason}" + (f"; try {near}" if near else "")]
            continue
        priced.append((line, product))
    if errors:
        detail = "; ".join(m[0] for m in errors.values())
        raise Problem(400, detail, errors)
    return priced


def _line_discounts(body: CheckoutIn, skus: list[str]) -> dict[str, dict[str, Any] | None]:
    """The checkout's ``lineDiscounts`` by SKU; one naming a SKU not in the cart is refused by index."""
    out: dict[str, dict[str, Any] | None] = {}
    for i, entry in enumerate(body.lineDiscounts or []):
        if entry.sku not in skus:
            raise Problem(400, f"{entry.sku}: not in the cart, so it cannot be discounted.",
                          {f"LineDiscounts[{i}].Sku": [f"{entry.sku}: not in the cart."]})
        out[entry.sku] = spec(entry.discount)
    return out


def complete_checkout(con: sqlite3.Connection, who: Principal, cart: sqlite3.Row, body: CheckoutIn) -> dict[str, Any]:
    org = cart["org_id"]
    customer = con.execute(
        "SELECT * FROM customers WHERE org_id = ? AND customer_number = ?", (org, cart["customer_number"])
    ).fetchone()
    priced = _validate(con, cart, customer)
    payment = body.payment
    card = payment.creditCard if payment else None
    card_info = check_card(card) if card is not None else None
    if card_info is None and customer["credit_hold"]:
        raise Problem(400, f"Customer {customer['customer_number']} is on credit hold: pay by card.",
                      {"Payment.CreditCard": ["A card payment is required while the customer is on credit hold."]})
    currency, tier, now = customer["currency"], customer["pricing"], utc_now()
    line_specs = _line_discounts(body, [line["sku"] for line, _ in priced])
    items = []
    for line, product in priced:
        unit = price_for(con, org, product, tier, line["quantity"])
        price = cents(unit, currency)
        line_spec = line_specs.get(product["sku"])
        items.append({
            "sku": product["sku"], "product_name": product["name"], "external_id": product["external_id"],
            "quantity": line["quantity"], "price": price, "moq": product["moq"],
            "increment": product["increment"], "discount_spec": line_spec,
            "discount": amount_off(line_spec, price * line["quantity"], currency),
        })
    order_spec = spec(body.discount)
    order_off = amount_off(order_spec, sum(i["price"] * i["quantity"] - i["discount"] for i in items), currency)
    ship_in = body.shippingDetails
    shipping = loads(cart["shipping"])
    billing = address_dict(payment.billingAddress) if payment and payment.billingAddress else \
        default_address(con, org, customer["customer_number"], "Billing")
    if billing is not None:
        billing = {k: v for k, v in billing.items() if k not in ("name", "phone", "email") or v}
    primary = rep_snapshot(con, org, customer["rep_number"])
    # takenBySalesRep only "if different from the primary rep" (lifecycle and Orders pages)
    taken_by = rep_snapshot(con, org, who.rep_number) if who.role == "SalesRep" and \
        who.rep_number != customer["rep_number"] else None
    order = write_order(con, {
        "id": new_guid(), "org_id": org, "order_number": order_number(next_number(con, org, "order")),
        "order_date": now, "order_status": "Pending",
        # the order type as sent (checkout body, else the cart's); never rewritten by the caller's role
        "order_type": body.orderType or cart["order_type"],
        "po_number": cart["po_number"], "price_tier": tier, "currency": currency, "terms": customer["terms"],
        "channel": body.channel, "external_id": None, "notes": body.notes, "origination_cart_id": cart["id"],
        "customer": {
            "customerNumber": customer["customer_number"], "companyName": customer["company_name"],
            "companyEmail": customer["company_email"], "companyPhone": customer["company_phone"],
            "companyFax": customer["company_fax"], "billingAddress": billing, "shippingAddress": shipping,
        },
        "primary_rep": primary, "taken_by_rep": taken_by,
        "user": {"userId": who.user_id, "userType": who.role},
        "shipping": {"method": ship_in.method if ship_in else None,
                     "total": cents(ship_in.total, currency) if ship_in else 0, "shippingAddress": shipping},
        "tax": cents(body.tax or 0, currency), "discount": order_off, "discount_spec": order_spec,
        "created_at": now, "updated_at": now,
    }, items)
    invoice_lines = [{"sku": i["sku"], "productName": i["product_name"], "quantity": i["quantity"], "price": i["price"]}
                     for i in items]
    invoice_id = create_invoice(con, order, invoice_lines, status="Issued", now=now, with_charges=True)
    if card_info is not None:
        kind, last4 = card_info
        add_payment(con, invoice_id, order["total"], currency, method="CreditCard", when=now,
                    reference=f"auth_{secrets.token_hex(4)}", card_type=kind, last4=last4)
        settle_status(con, invoice_id, now)
    confirmation = f"conf_{secrets.token_hex(4)}"
    con.execute(
        "UPDATE carts SET status = 'Complete', order_number = ?, confirmation_id = ?, updated_at = ? WHERE id = ?",
        (order["order_number"], confirmation, now, cart["id"]),
    )
    return {"orderNumber": order["order_number"], "confirmationId": confirmation, "orderId": order["id"]}
