"""The Cart API (seed page 000): carts, items, shipping, PO number, checkout.

One active (``PENDING``) cart per customer; a ``Complete`` cart refuses every
change with 409.  Items carry ``sku`` and ``quantity`` plus the customer's tier
``unitPrice``, ``productName`` and ``lineTotal``.  Adding a SKU already in the
cart adds to its line.  An unknown SKU is refused when added; inactive products,
minimums and increments are checked at checkout (see ``checkout.py``).
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from nymble_desk.sandbox.auth import Caller, Principal
from nymble_desk.sandbox.bodies import CartCreateIn, CartItemIn, CartItemUpdateIn, CartPoIn, CartShippingIn, CheckoutIn
from nymble_desk.sandbox.checkout import complete_checkout
from nymble_desk.sandbox.db import Database, utc_now
from nymble_desk.sandbox.errors import Problem, bad_request, conflict, not_found
from nymble_desk.sandbox.paging import Col, ListQuery, items_page, limit, order_by, paged_for, where
from nymble_desk.sandbox.products import find_product, price_for
from nymble_desk.sandbox.records import address_dict, cents, dumps, fmt, loads, money, rekey_address, short_id
from nymble_desk.sandbox.responses import CartOut, CartsPage, CheckoutOut
from nymble_desk.sandbox.scope import visible_customer

PENDING, COMPLETE = "PENDING", "Complete"
Segment = Annotated[str, Path(min_length=1, max_length=100)]
COLUMNS = {
    "shoppingCartId": Col("id"),
    "customerNumber": Col("customer_number"),
    "status": Col("status"),
    "orderType": Col("order_type"),
    "poNumber": Col("po_number"),
    "orderNumber": Col("order_number"),
    "createdAt": Col("created_at", "date"),
    "updatedAt": Col("updated_at", "date"),
}


def render_cart(con: sqlite3.Connection, cart: sqlite3.Row) -> dict[str, Any]:
    customer = con.execute(
        "SELECT pricing, currency FROM customers WHERE org_id = ? AND customer_number = ?",
        (cart["org_id"], cart["customer_number"]),
    ).fetchone()
    tier = customer["pricing"] if customer else None
    currency = customer["currency"] if customer else "USD"
    items = []
    subtotal = 0
    for line in con.execute("SELECT * FROM cart_items WHERE cart_id = ? ORDER BY position", (cart["id"],)):
        item: dict[str, Any] = {"sku": line["sku"], "quantity": line["quantity"]}
        product = con.execute(
            "SELECT * FROM products WHERE org_id = ? AND sku = ?", (cart["org_id"], line["sku"])
        ).fetchone()
        if product is not None:
            unit = cents(price_for(con, cart["org_id"], product, tier, line["quantity"]), currency)
            subtotal += unit * line["quantity"]
            item.update(
                productName=product["name"],
                unitPrice=money(unit, currency),
                unitPriceFormatted=fmt(unit, currency),
                lineTotal=money(unit * line["quantity"], currency),
                lineTotalFormatted=fmt(unit * line["quantity"], currency),
                minimumOrderQuantity=product["moq"],
                quantityIncrement=product["increment"],
            )
        items.append(item)
    return {
        "shoppingCartId": cart["id"],
        "customerNumber": cart["customer_number"],
        "organizationId": cart["org_id"],
        "orderType": cart["order_type"],
        "status": cart["status"],
        "items": items,
        "poNumber": cart["po_number"],
        "shippingAddress": rekey_address(loads(cart["shipping"]), "postalCode"),
        "subtotal": money(subtotal, currency),
        "subtotalFormatted": fmt(subtotal, currency),
        "currencyCode": currency,
        "orderNumber": cart["order_number"],
        "confirmationId": cart["confirmation_id"],
        "createdAt": cart["created_at"],
        "updatedAt": cart["updated_at"],
    }


def load_cart(con: sqlite3.Connection, who: Principal, cart_id: str, customer_number: str | None = None) -> sqlite3.Row:
    """The cart if it is this tenant's, visible to the caller and (when given) the path's customer's; else 404."""
    scope, params = who.customer_scope()
    row = con.execute(
        f"SELECT * FROM carts WHERE id = ? AND org_id = ?{scope}", [cart_id, who.org_id, *params]
    ).fetchone()
    if row is None or (customer_number is not None and row["customer_number"] != customer_number):
        raise not_found("Cart", cart_id)
    return row


def _check_body_ids(body: Any, customer_number: str, cart_id: str | None = None) -> None:
    if getattr(body, "customerNumber", None) not in (None, customer_number):
        raise bad_request("CustomerNumber", "The customerNumber in the body differs from the one in the path.")
    if cart_id is not None and getattr(body, "shoppingCartId", None) not in (None, cart_id):
        raise bad_request("ShoppingCartId", "The shoppingCartId in the body differs from the one in the path.")


def _mutable(con: sqlite3.Connection, who: Principal, customer_number: str, cart_id: str) -> sqlite3.Row:
    cart = load_cart(con, who, cart_id, customer_number)
    if cart["status"] != PENDING:
        raise conflict(
            f"Cart {cart_id} is {cart['status']} (order {cart['order_number']}); changes must go through the order.",
            "ShoppingCartId",
        )
    return cart


def _product_sku(con: sqlite3.Connection, org_id: str, code: str) -> str:
    product = find_product(con, org_id, code)
    if product is None:
        raise bad_request("Sku", f"Product '{code}' does not exist.")
    return str(product["sku"])


def _touch(con: sqlite3.Connection, cart_id: str) -> sqlite3.Row:
    con.execute("UPDATE carts SET updated_at = ? WHERE id = ?", (utc_now(), cart_id))
    return con.execute("SELECT * FROM carts WHERE id = ?", (cart_id,)).fetchone()


def build_router(db: Database) -> APIRouter:
    router = APIRouter(tags=["carts"])

    @router.get("/api/carts", response_model=CartsPage)
    def list_carts(who: Caller, query: Annotated[ListQuery, Depends(paged_for(COLUMNS))]) -> dict[str, Any]:
        who.require_admin()
        clauses, params = where(COLUMNS, query)
        sql = " WHERE org_id = ?" + "".join(f" AND {c}" for c in clauses)
        args = [who.org_id, *params]
        with db.connection() as con:
            total = con.execute(f"SELECT count(*) FROM carts{sql}", args).fetchone()[0]
            rows = con.execute(
                f"SELECT * FROM carts{sql} {order_by(COLUMNS, query, 'createdAt', 'id')} {limit(query)}", args
            ).fetchall()
            return items_page([render_cart(con, r) for r in rows], total, query)

    @router.get("/api/carts/customer/{customerNumber}", response_model=list[CartOut])
    def carts_for_customer(who: Caller, customerNumber: Segment) -> list[dict[str, Any]]:
        with db.connection() as con:
            visible_customer(con, who, customerNumber)
            rows = con.execute(
                "SELECT * FROM carts WHERE org_id = ? AND customer_number = ? ORDER BY status = 'PENDING' DESC,"
                " created_at DESC, id", (who.org_id, customerNumber),
            ).fetchall()
            return [render_cart(con, r) for r in rows]

    @router.get("/api/carts/{cartId}", response_model=CartOut)
    def get_cart(who: Caller, cartId: Segment) -> dict[str, Any]:
        with db.connection() as con:
            return render_cart(con, load_cart(con, who, cartId))

    @router.post("/api/carts/{customerNumber}", response_model=CartOut, status_code=201)
    def create_cart(who: Caller, customerNumber: Segment, body: CartCreateIn) -> dict[str, Any]:
        _check_body_ids(body, customerNumber)
        with db.write() as con:
            visible_customer(con, who, customerNumber)
            active = con.execute(
                "SELECT id FROM carts WHERE org_id = ? AND customer_number = ? AND status = ?",
                (who.org_id, customerNumber, PENDING),
            ).fetchone()
            if active is not None:
                raise conflict(
                    f"Customer {customerNumber} already has an active cart {active['id']}.", "CustomerNumber"
                )
            sku = _product_sku(con, who.org_id, body.sku)
            cart_id, now = short_id("cart"), utc_now()
            con.execute(
                "INSERT INTO carts (id, org_id, customer_number, order_type, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (cart_id, who.org_id, customerNumber, body.orderType, PENDING, now, now),
            )
            con.execute("INSERT INTO cart_items VALUES (?, ?, ?, 1)", (cart_id, sku, body.quantity))
            return render_cart(con, _touch(con, cart_id))

    @router.post("/api/carts/{customerNumber}/{shoppingCartId}/items", response_model=CartOut)
    def add_item(who: Caller, customerNumber: Segment, shoppingCartId: Segment, body: CartItemIn) -> dict[str, Any]:
        _check_body_ids(body, customerNumber, shoppingCartId)
        with db.write() as con:
            _mutable(con, who, customerNumber, shoppingCartId)
            sku = _product_sku(con, who.org_id, body.sku)
            line = con.execute(
                "SELECT quantity FROM cart_items WHERE cart_id = ? AND sku = ?", (shoppingCartId, sku)
            ).fetchone()
            if line is not None:
                if line["quantity"] + body.quantity > 1_000_000:
                    raise bad_request("Quantity", "A line may hold at most 1,000,000 units.")
                con.execute("UPDATE cart_items SET quantity = quantity + ? WHERE cart_id = ? AND sku = ?",
                            (body.quantity, shoppingCartId, sku))
            else:
                pos = con.execute("SELECT coalesce(max(position), 0) + 1 FROM cart_items WHERE cart_id = ?",
                                  (shoppingCartId,)).fetchone()[0]
                con.execute("INSERT INTO cart_items VALUES (?, ?, ?, ?)", (shoppingCartId, sku, body.quantity, pos))
            return render_cart(con, _touch(con, shoppingCartId))

    def _line_sku(con: sqlite3.Connection, cart_id: str, sku: str) -> str:
        row = con.execute(
            "SELECT sku FROM cart_items WHERE cart_id = ? AND upper(sku) = upper(?)", (cart_id, sku)
        ).fetchone()
        if row is None:
            raise Problem(404, f"SKU '{sku}' is not in cart {cart_id}.", {"Sku": [f"SKU '{sku}' is not in the cart."]})
        return str(row["sku"])

    @router.put("/api/carts/{customerNumber}/{shoppingCartId}/items/{sku}", response_model=CartOut)
    def update_item(who: Caller, customerNumber: Segment, shoppingCartId: Segment, sku: Segment,
                    body: CartItemUpdateIn) -> dict[str, Any]:
        _check_body_ids(body, customerNumber, shoppingCartId)
        if body.sku is not None and body.sku.upper() != sku.upper():
            raise bad_request("Sku", "The sku in the body differs from the one in the path.")
        with db.write() as con:
            _mutable(con, who, customerNumber, shoppingCartId)
            real = _line_sku(con, shoppingCartId, sku)
            if body.quantity == 0:
                con.execute("DELETE FROM cart_items WHERE cart_id = ? AND sku = ?", (shoppingCartId, real))
            else:
                con.execute("UPDATE cart_items SET quantity = ? WHERE cart_id = ? AND sku = ?",
                            (body.quantity, shoppingCartId, real))
            return render_cart(con, _touch(con, shoppingCartId))

    @router.delete("/api/carts/{customerNumber}/{shoppingCartId}/items/{sku}", status_code=204,
                   response_class=Response)
    def delete_item(who: Caller, customerNumber: Segment, shoppingCartId: Segment, sku: Segment) -> Response:
        with db.write() as con:
            _mutable(con, who, customerNumber, shoppingCartId)
            real = _line_sku(con, shoppingCartId, sku)
            con.execute("DELETE FROM cart_items WHERE cart_id = ? AND sku = ?", (shoppingCartId, real))
            _touch(con, shoppingCartId)
        return Response(status_code=204)

    @router.put("/api/carts/{customerNumber}/{shoppingCartId}/shipping", response_model=CartOut)
    def set_shipping(
        who: Caller, customerNumber: Segment, shoppingCartId: Segment, body: CartShippingIn
    ) -> dict[str, Any]:
        _check_body_ids(body, customerNumber, shoppingCartId)
        with db.write() as con:
            _mutable(con, who, customerNumber, shoppingCartId)
            con.execute("UPDATE carts SET shipping = ? WHERE id = ?",
                        (dumps(address_dict(body.shippingAddress)), shoppingCartId))
            return render_cart(con, _touch(con, shoppingCartId))

    @router.put("/api/carts/{customerNumber}/{shoppingCartId}/po-number", response_model=CartOut)
    def set_po(who: Caller, customerNumber: Segment, shoppingCartId: Segment, body: CartPoIn) -> dict[str, Any]:
        _check_body_ids(body, customerNumber, shoppingCartId)
        with db.write() as con:
            _mutable(con, who, customerNumber, shoppingCartId)
            con.execute("UPDATE carts SET po_number = ? WHERE id = ?", (body.poNumber.strip() or None, shoppingCartId))
            return render_cart(con, _touch(con, shoppingCartId))

    @router.post("/api/carts/{customerNumber}/{shoppingCartId}/complete-checkout", response_model=CheckoutOut)
    def checkout(who: Caller, customerNumber: Segment, shoppingCartId: Segment, body: CheckoutIn) -> dict[str, Any]:
        _check_body_ids(body, customerNumber, shoppingCartId)
        with db.write() as con:
            cart = _mutable(con, who, customerNumber, shoppingCartId)
            return complete_checkout(con, who, cart, body)

    @router.post("/api/carts/{cartId}/checkout", response_model=CheckoutOut)
    def checkout_alias(who: Caller, cartId: Segment, body: CheckoutIn) -> dict[str, Any]:
        with db.write() as con:
            cart = load_cart(con, who, cartId)
            _check_body_ids(body, cart["customer_number"], cartId)
            cart = _mutable(con, who, cart["customer_number"], cartId)
            return complete_checkout(con, who, cart, body)

    return router
