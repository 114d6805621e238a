"""Invoices and payments (seed page 003 and the API notes).

``GET /api/invoices`` (filters customerNumber, orderNumber, orderId, status, ...;
also plain ``customerNumber=``/``orderNumber=``/``status=`` query parameters),
``GET /api/invoices/{id}`` (id or invoice number), ``POST /api/orders/{orderId}/invoices``
(``{status: Draft|Issued, items?}``; without items, whatever of the order is not yet
invoiced), ``POST /api/invoices/{id}/payments`` (offline payment, or a refund:
negative amount with ``originalPaymentId``), ``POST /api/invoices/{id}/void`` (only
from Draft or Issued, else 409 with the reason), ``POST /api/invoices/{id}/cancel``.
Payments and refunds need an Admin or SalesRep token.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from nymble_desk.sandbox.auth import Caller, Principal
from nymble_desk.sandbox.bodies import InvoiceCreateIn, PaymentRecordIn, ReasonIn
from nymble_desk.sandbox.db import Database, iso, utc_now
from nymble_desk.sandbox.errors import Problem, bad_request, conflict, not_found
from nymble_desk.sandbox.invoice_store import (
    add_payment, amount_paid, create_invoice, render_invoices, settle_status, touch_customer,
)
from nymble_desk.sandbox.orders import find_order
from nymble_desk.sandbox.paging import Col, ListQuery, data_page, limit, order_by, paged_for, where
from nymble_desk.sandbox.records import cents, fmt, loads
from nymble_desk.sandbox.responses import InvoiceOut, InvoicesPage

COLUMNS = {
    "invoiceNumber": Col("invoice_number"),
    "customerNumber": Col("customer_number"),
    "orderNumber": Col("order_number"),
    "orderId": Col("order_id"),
    "status": Col("status"),
    "poNumber": Col("po_number"),
    "externalId": Col("external_id"),
    "invoiceDate": Col("invoice_date", "date"),
    "dueDate": Col("due_date", "date"),
    "invoiceTotal": Col("total", "money"),
    "createdAt": Col("created_at", "date"),
    # computed: filters=balance:gt:0 with status:notequals:Voided finds what is still owed
    "amountPaid": Col("coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = invoices.id), 0)", "money"),
    "balance": Col("(total - coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = invoices.id), 0))",
                   "money"),
}
OFFLINE_METHODS = {m.lower(): m for m in ("Cheque", "Check", "EFT", "ACH", "Wire", "Cash", "CreditCard", "Other")}
InvoiceKey = Annotated[str, Path(min_length=1, max_length=100, description="the invoice's id or invoice number")]
Opt = Annotated[str | None, Query(max_length=100)]


def find_invoice(con: sqlite3.Connection, who: Principal, key: str) -> sqlite3.Row:
    scope, params = who.customer_scope()
    row = con.execute(
        f"SELECT * FROM invoices WHERE org_id = ? AND (id = ? OR invoice_number = ?){scope} LIMIT 1",
        [who.org_id, key, key, *params],
    ).fetchone()
    if row is None:
        raise not_found("Invoice", key)
    return row


def _render(con: sqlite3.Connection, invoice_id: str) -> dict[str, Any]:
    return render_invoices(con, [con.execute("SELECT * FROM invoices WHERE id = ?", (invoice_id,)).fetchone()])[0]


def _remaining(con: sqlite3.Connection, order: sqlite3.Row) -> dict[str, dict[str, Any]]:
    """What of the order is not yet on a live invoice: sku -> {sku, productName, quantity, price}."""
    left: dict[str, dict[str, Any]] = {}
    for item in con.execute("SELECT * FROM order_items WHERE order_id = ? ORDER BY line", (order["id"],)):
        line = left.setdefault(item["sku"], {"sku": item["sku"], "productName": item["product_name"], "quantity": 0,
                                             "price": item["price"]})
        line["quantity"] += item["quantity"]
    for inv in con.execute("SELECT items FROM invoices WHERE order_id = ? AND status NOT IN ('Voided', 'Cancelled')",
                           (order["id"],)):
        for line in loads(inv["items"]) or []:
            if line["sku"] in left:
                left[line["sku"]]["quantity"] -= line["quantity"]
    return {k: v for k, v in left.items() if v["quantity"] > 0}


def _payment_date(text: str | None, now: str) -> str:
    if not text:
        return now
    try:
        return iso(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise bad_request("PaymentDate", "PaymentDate must be an ISO-8601 date or date and time.") from None


def build_router(db: Database) -> APIRouter:
    router = APIRouter(tags=["invoices"])

    @router.get("/api/invoices", response_model=InvoicesPage)
    def list_invoices(who: Caller, query: Annotated[ListQuery, Depends(paged_for(COLUMNS))], customerNumber: Opt = None,
                      orderNumber: Opt = None, orderId: Opt = None, status: Opt = None) -> dict[str, Any]:
        for name, value in (("customerNumber", customerNumber), ("orderNumber", orderNumber), ("orderId", orderId),
                            ("status", status)):
            if value is not None:
                query.filters.append((name, "equals", value))
        clauses, params = where(COLUMNS, query)
        scope, scope_params = who.customer_scope()
        sql = " WHERE org_id = ?" + scope + "".join(f" AND {c}" for c in clauses)
        args: list[Any] = [who.org_id, *scope_params, *params]
        with db.connection() as con:
            total = con.execute(f"SELECT count(*) FROM invoices{sql}", args).fetchone()[0]
            rows = con.execute(
                f"SELECT * FROM invoices{sql} {order_by(COLUMNS, query, 'invoiceDate', 'invoice_number')} {limit(query)}",
                args,
            ).fetchall()
            return data_page(render_invoices(con, rows), total, query)

    @router.get("/api/invoices/{invoiceId}", response_model=InvoiceOut)
    def get_invoice(who: Caller, invoiceId: InvoiceKey) -> dict[str, Any]:
        with db.connection() as con:
            return _render(con, find_invoice(con, who, invoiceId)["id"])

    @router.post("/api/orders/{orderId}/invoices", response_model=InvoiceOut, status_code=201)
    def create_for_order(who: Caller, orderId: Annotated[str, Path(min_length=1, max_length=100)],
                         body: InvoiceCreateIn) -> dict[str, Any]:
        who.require_staff()
        now = utc_now()
        with db.write() as con:
            order = find_order(con, who, orderId)
            left = _remaining(con, order)
            if not left:
                raise conflict(f"Everything on order {order['order_number']} is already invoiced.")
            if body.items:
                lines, errors = [], {}
                for i, item in enumerate(body.items):
                    have = left.get(item.sku)
                    if have is None or item.quantity > have["quantity"]:
                        errors[f"Items[{i}].Quantity"] = [
                            f"{item.sku}: at most {have['quantity'] if have else 0} left to invoice on this order."]
                    else:
                        lines.append({**have, "quantity": item.quantity})
                if errors:
                    raise Problem(400, "; ".join(m[0] for m in errors.values()), errors)
            else:
                lines = list(left.values())
            first = con.execute("SELECT count(*) FROM invoices WHERE order_id = ? AND status NOT IN ('Voided', 'Cancelled')",
                                (order["id"],)).fetchone()[0] == 0
            invoice_id = create_invoice(con, order, lines, status=body.status.capitalize(), now=now,
                                        with_charges=first, notes=body.notes, external_id=body.externalId)
            return _render(con, invoice_id)

    @router.post("/api/invoices/{invoiceId}/payments", response_model=InvoiceOut, status_code=201)
    def record_payment(who: Caller, invoiceId: InvoiceKey, body: PaymentRecordIn) -> dict[str, Any]:
        who.require_staff()
        now = utc_now()
        with db.write() as con:
            inv = find_invoice(con, who, invoiceId)
            cur = inv["currency"]
            if inv["status"] in ("Voided", "Cancelled"):
                raise conflict(f"Invoice {inv['invoice_number']} is {inv['status']}; it takes no payments.", "Status")
            amount = cents(body.amount, cur)
            if amount == 0:
                raise bad_request("Amount", "The amount must not be zero.")
            method = OFFLINE_METHODS.get((body.method or "").lower()) if body.method else None
            if body.method and method is None:
                raise bad_request("Method", f"Method must be one of {', '.join(sorted(set(OFFLINE_METHODS.values())))}.")
            balance = inv["total"] - amount_paid(con, inv["id"])
            original_id = None
            if amount < 0:
                if not body.originalPaymentId:
                    raise bad_request("OriginalPaymentId", "A refund (negative amount) needs originalPaymentId.")
                original = con.execute("SELECT * FROM payments WHERE id = ? AND invoice_id = ?",
                                       (body.originalPaymentId, inv["id"])).fetchone()
                if original is None or original["original_payment_id"] is not None:
                    raise bad_request("OriginalPaymentId", "No such payment on this invoice.")
                refunded = -int(con.execute("SELECT coalesce(sum(amount), 0) FROM payments WHERE original_payment_id = ?",
                                            (original["id"],)).fetchone()[0])
                net = original["amount"] - refunded
                if -amount > net:
                    raise bad_request("Amount", f"At most {fmt(net, cur)} of that payment is left to refund.")
                original_id, method = original["id"], method or original["method"]
            elif body.originalPaymentId:
                raise bad_request("OriginalPaymentId", "Only a refund (negative amount) refers to an original payment.")
            elif amount > balance:
                raise bad_request("Amount", f"The amount exceeds the balance of {fmt(balance, cur)}.")
            add_payment(con, inv["id"], amount, cur, method=method or "Other", when=_payment_date(body.paymentDate, now),
                        reference=body.reference, notes=body.notes, original_payment_id=original_id)
            settle_status(con, inv["id"], now)
            return _render(con, inv["id"])

    def _close(who: Principal, invoice_id: str, status: str, allowed: tuple[str, ...], body: ReasonIn | None) -> dict[str, Any]:
        who.require_staff()
        with db.write() as con:
            inv = find_invoice(con, who, invoice_id)
            if inv["status"] not in allowed:
                raise conflict(
                    f"Invoice {inv['invoice_number']} is {inv['status']}; only {' or '.join(allowed)} invoices can be "
                    f"{status.lower()}." + (" Refund its payments instead." if status == "Voided" and inv["status"] in
                                            ("PartiallyPaid", "Paid") else ""),
                    "Status",
                )
            con.execute("UPDATE invoices SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
                        (status, body.reason if body else None, utc_now(), inv["id"]))
            touch_customer(con, inv["id"], utc_now())
            return _render(con, inv["id"])

    @router.post("/api/invoices/{invoiceId}/void", response_model=InvoiceOut)
    def void_invoice(who: Caller, invoiceId: InvoiceKey, body: ReasonIn | None = None) -> dict[str, Any]:
        return _close(who, invoiceId, "Voided", ("Draft", "Issued"), body)

    @router.post("/api/invoices/{invoiceId}/cancel", response_model=InvoiceOut)
    def cancel_invoice(who: Caller, invoiceId: InvoiceKey, body: ReasonIn | None = None) -> dict[str, Any]:
        return _close(who, invoiceId, "Cancelled", ("Draft", "Issued", "PartiallyPaid", "Paid"), body)

    return router
