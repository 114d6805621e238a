"""The Orders API (seed page 001): create, bulk, get, search, shipping, customer, email.

Bulk (``POST /api/orders/bulk``) answers 201 with one result per submitted
order, in order.  A result is ``{data: {id, orderNumber}, links}`` on success
or ``{data: null, links: [], error: <problem details>}`` for an order that was
refused; each order is written in its own savepoint, so a bad order never
undoes or blocks the good ones.  ``{orderIdOrNumber}`` path segments accept an
order's id or its order number.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from pydantic import Field, SkipValidation, ValidationError

from nymble_desk.sandbox.auth import Caller, Principal
from nymble_desk.sandbox.bodies import Body, EmailIn, OrderCreateIn, OrderCustomerUpdateIn, OrderShippingIn
from nymble_desk.sandbox.db import Database, utc_now
from nymble_desk.sandbox.errors import Problem, bad_request, field_path, not_found
from nymble_desk.sandbox.order_store import render_order, render_orders, update_order_fields
from nymble_desk.sandbox.order_upsert import upsert_order
from nymble_desk.sandbox.paging import Col, ListQuery, items_page, limit, order_by, paged_for, where
from nymble_desk.sandbox.records import address_dict, cents, dumps, loads
from nymble_desk.sandbox.responses import BulkResult, EmailOut, OrderCreated, OrderOut, OrdersPage
from nymble_desk.sandbox.scope import customer_ref

COLUMNS = {
    "orderNumber": Col("order_number"),
    "poNumber": Col("po_number"),
    "customerNumber": Col("customer_number"),
    "companyName": Col("company_name"),
    "orderStatus": Col("order_status"),
    "orderType": Col("order_type"),
    "channel": Col("channel"),
    # the taken-by rep's number (the rep who entered the order for the primary rep; issue #13)
    "takenBySalesRep": Col("json_extract(taken_by_rep, '$.repNumber')"),
    "primarySalesRep": Col("json_extract(primary_rep, '$.repNumber')"),
    "orderDate": Col("order_date", "date"),
    "orderTotal": Col("total", "money"),
    "originationCartId": Col("origination_cart_id"),
    "externalId": Col("external_id"),
    "priceTier": Col("price_tier"),
    "createdAt": Col("created_at", "date"),
    "updatedAt": Col("updated_at", "date"),
}
OrderKey = Annotated[str, Path(min_length=1, max_length=100, description="the order's id or its order number")]


class BulkIn(Body):
    # each order is validated on its own (a bad one gets its own error); the bounds are checked by the route
    orders: Annotated[SkipValidation[list[OrderCreateIn]], Field(description="orders to create or update",
                                                                 json_schema_extra={"minItems": 1, "maxItems": 500})]


def find_order(con: sqlite3.Connection, who: Principal, key: str) -> sqlite3.Row:
    scope, params = who.customer_scope()
    row = con.execute(
        f"SELECT * FROM orders WHERE org_id = ? AND (id = ? OR order_number = ?){scope} ORDER BY id = ? DESC LIMIT 1",
        [who.org_id, key, key, *params, key],
    ).fetchone()
    if row is None:
        raise not_found("Order", key)
    return row


def created(row: dict[str, Any], made: bool) -> dict[str, Any]:
    """The answer for one written order; ``made`` says whether it is new (an upsert may update one)."""
    return {"data": {"id": row["id"], "orderNumber": row["order_number"], "created": made},
            "links": [{"rel": "self", "href": f"/api/orders/{row['id']}"}]}


def _bulk_error(index: int, problem: Problem) -> dict[str, Any]:
    errors = {f"Orders[{index}].{k}" if k != "Body" else f"Orders[{index}]": v for k, v in problem.errors.items()}
    body = Problem(problem.status, problem.detail, errors, title=problem.title).body()
    return {"data": None, "links": [], "error": body}


def search(con: sqlite3.Connection, who: Principal, query: ListQuery) -> dict[str, Any]:
    clauses, params = where(COLUMNS, query)
    scope, scope_params = who.customer_scope()
    sql = " WHERE org_id = ?" + scope + "".join(f" AND {c}" for c in clauses)
    args: list[Any] = [who.org_id, *scope_params, *params]
    total = con.execute(f"SELECT count(*) FROM orders{sql}", args).fetchone()[0]
    rows = con.execute(
        f"SELECT * FROM orders{sql} {order_by(COLUMNS, query, 'createdAt', 'order_number')} {limit(query)}", args
    ).fetchall()
    return items_page(render_orders(con, rows), total, query)


def build_router(db: Database) -> APIRouter:
    router = APIRouter(tags=["orders"])

    @router.post("/api/orders", response_model=OrderCreated, status_code=201)
    def create_order(who: Caller, body: OrderCreateIn) -> dict[str, Any]:
        # 201 either way, as the Orders page says; data.created tells a new order from an updated one
        with db.write() as con:
            row, made = upsert_order(con, who, body)
        return created(row, made)

    @router.post("/api/orders/bulk", response_model=list[BulkResult], status_code=201)
    def bulk_orders(who: Caller, body: BulkIn) -> list[dict[str, Any]]:
        raw = body.orders
        if not isinstance(raw, list) or not raw:
            raise bad_request("Orders", "Orders must be a non-empty array of orders.")
        if len(raw) > 500:
            raise bad_request("Orders", "At most 500 orders per bulk request.")
        results: list[dict[str, Any]] = []
        with db.write() as con:
            for i, item in enumerate(raw):
                try:
                    order = OrderCreateIn.model_validate(item)
                except ValidationError as exc:
                    errors: dict[str, list[str]] = {}
                    for err in exc.errors():
                        errors.setdefault(field_path(tuple(err["loc"])), []).append(str(err["msg"]))
                    results.append(_bulk_error(i, Problem(400, "The order is not valid.", errors)))
                    continue
                con.execute("SAVEPOINT bulk_order")
                try:
                    row, made = upsert_order(con, who, order, by_number=True)
                except Problem as problem:
                    con.execute("ROLLBACK TO bulk_order")
                    con.execute("RELEASE bulk_order")
                    results.append(_bulk_error(i, problem))
                    continue
                con.execute("RELEASE bulk_order")
                results.append(created(row, made))
        return results

    @router.get("/api/orders", response_model=OrdersPage)
    def search_orders(who: Caller, query: Annotated[ListQuery, Depends(paged_for(COLUMNS))]) -> dict[str, Any]:
        with db.connection() as con:
            return search(con, who, query)

    @router.get("/api/orders/{orderId}", response_model=OrderOut)
    def get_order(who: Caller, orderId: OrderKey) -> dict[str, Any]:
        with db.connection() as con:
            return render_order(con, find_order(con, who, orderId))

    @router.put("/api/orders/{orderId}/shipping", response_model=OrderOut)
    def update_shipping(who: Caller, orderId: OrderKey, body: OrderShippingIn) -> dict[str, Any]:
        with db.write() as con:
            row = find_order(con, who, orderId)
            shipping = loads(row["shipping"]) or {}
            shipping["method"] = body.method
            shipping["total"] = cents(body.total, row["currency"])
            customer = loads(row["customer"])
            if body.shippingAddress is not None:
                shipping["shippingAddress"] = address_dict(body.shippingAddress)
                customer["shippingAddress"] = shipping["shippingAddress"]
            update_order_fields(con, row["id"], shipping=shipping, customer=customer, updated_at=utc_now())
            return render_order(con, find_order(con, who, row["id"]))

    @router.put("/api/orders/{orderId}/customer", response_model=OrderOut)
    def update_customer(who: Caller, orderId: OrderKey, body: OrderCustomerUpdateIn) -> dict[str, Any]:
        with db.write() as con:
            row = find_order(con, who, orderId)
            customer_ref(con, who, body.customerNumber, "CustomerNumber")
            customer = loads(row["customer"])
            customer.update(customerNumber=body.customerNumber, companyName=body.companyName,
                            companyEmail=body.companyEmail, companyPhone=body.companyPhone, companyFax=body.companyFax)
            if body.billingAddress is not None:
                customer["billingAddress"] = address_dict(body.billingAddress)
            update_order_fields(con, row["id"], customer=customer, customer_number=body.customerNumber,
                                company_name=body.companyName, updated_at=utc_now())
            con.execute("UPDATE invoices SET customer_number = ?, customer = ? WHERE order_id = ? AND status IN"
                        " ('Draft', 'Issued')", (body.customerNumber, dumps(customer), row["id"]))
            return render_order(con, con.execute("SELECT * FROM orders WHERE id = ?", (row["id"],)).fetchone())

    @router.post("/api/orders/{orderId}/email", response_model=EmailOut)
    def email_confirmation(who: Caller, orderId: OrderKey, body: EmailIn, response: Response) -> dict[str, Any]:
        now = utc_now()
        with db.write() as con:
            row = find_order(con, who, orderId)
            subject = f"Order confirmation {row['order_number']}"
            con.execute("INSERT INTO emails (org_id, order_id, addresses, subject, sent_at) VALUES (?, ?, ?, ?, ?)",
                        (who.org_id, row["id"], dumps(body.emailAddresses), subject, now))
        return {"orderId": row["id"], "orderNumber": row["order_number"], "emailAddresses": body.emailAddresses,
                "sentAt": now, "message": f"Sent '{subject}' to {len(body.emailAddresses)} recipient(s)."}

    return router
