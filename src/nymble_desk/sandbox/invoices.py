"""Invoices and payments (seed page 003 and the API notes).

``GET /api/invoices`` (filters customerNumber, orderNumber, orderId, status, ...;
also plain ``customerNumber=``/``orderNumber=``/``status=`` query parameters),
``GET /api/invoices/{id}`` (id or invoice number), ``POST /api/orders/{orderId}/invoices``
(``{status: Draft|Issued, items?, discount?}``; without items, whatever of the order is not
yet invoiced), ``POST /api/invoices/{id}/issue`` (Draft -> Issued),
``PUT /api/invoices/{id}/discount`` (a Draft's invoice-level discount),
``POST /api/invoices/{id}/payments`` (offline payment, ``status`` Completed or Pending; or a
refund: negative amount with ``originalPaymentId``),
``POST /api/invoices/{id}/payments/{paymentId}/complete`` (a Pending payment completes, as the
provider's webhook would), ``POST /api/invoices/{id}/void``, ``POST /api/invoices/{id}/cancel``.
Which status allows which of these is the one table in ``invoice_states.py``; a refusal is
409 ``Status`` with the table's reason.  Writes need an Admin or SalesRep token.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from nymble_desk.sandbox.auth import Caller, Principal
from nymble_desk.sandbox.discounts import spec
from nymble_desk.sandbox.bodies import InvoiceCreateIn, InvoiceDiscountIn, PaymentRecordIn, ReasonIn
from nymble_desk.sandbox.db import Database, iso, utc_now
from nymble_desk.sandbox.errors import Problem, bad_request, conflict, not_found
from nymble_desk.sandbox.invoice_states import SETTLE, decide
from nymble_desk.sandbox.invoice_store import (
    BALANCE_SQL, PAID_SQL, add_payment, amount_paid, amount_pending, create_invoice, due_date, money_held,
    render_invoices, set_own_discount, settle_status, touch_customer,
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
    "amountPaid": Col(PAID_SQL, "money"),
    "balance": Col(BALANCE_SQL, "money"),  # a Voided invoice owes nothing
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
                f"SELECT * FROM invoices{sql} "
                f"{order_by(COLUMNS, query, 'invoiceDate', 'invoice_number')} {limit(query)}",
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
            first = (
                con.execute(
                    "SELECT count(*) FROM invoices WHERE order_id = ? AND status NOT IN ('Voided', 'Cancelled')",
                    (order["id"],),
                ).fetchone()[0]
                == 0
            )
            invoice_id = create_invoice(con, order, lines, status=body.status.capitalize(), now=now,
                                        with_charges=first, notes=body.notes, external_id=body.externalId,
                                        own_discount=spec(body.discount))
            return _render(con, invoice_id)

    @router.post("/api/invoices/{invoiceId}/issue", response_model=InvoiceOut)
    def issue_invoice(who: Caller, invoiceId: InvoiceKey) -> dict[str, Any]:
        who.require_staff()
        now = utc_now()
        with db.write() as con:
            inv = find_invoice(con, who, invoiceId)
            to = decide(inv["invoice_number"], inv["status"], "issue")
            # InvoiceDate is "the date the invoice was issued": the due date runs from it
            con.execute("UPDATE invoices SET status = ?, invoice_date = ?, due_date = ?, updated_at = ? WHERE id = ?",
                        (to, now, due_date(now, inv["terms"]), now, inv["id"]))
            touch_customer(con, inv["id"], now)
            return _render(con, inv["id"])

    @router.put("/api/invoices/{invoiceId}/discount", response_model=InvoiceOut)
    def set_discount(who: Caller, invoiceId: InvoiceKey, body: InvoiceDiscountIn) -> dict[str, Any]:
        who.require_staff()
        now = utc_now()
        with db.write() as con:
            inv = find_invoice(con, who, invoiceId)
            decide(inv["invoice_number"], inv["status"], "discount")
            set_own_discount(con, inv["id"], spec(body.discount), now)
            return _render(con, inv["id"])

    @router.post("/api/invoices/{invoiceId}/payments", response_model=InvoiceOut, status_code=201)
    def record_payment(who: Caller, invoiceId: InvoiceKey, body: PaymentRecordIn) -> dict[str, Any]:
        who.require_staff()
        now = utc_now()
        with db.write() as con:
            inv = find_invoice(con, who, invoiceId)
            cur = inv["currency"]
            amount = cents(body.amount, cur)
            if amount == 0:
                raise bad_request("Amount", "The amount must not be zero.")
            method = OFFLINE_METHODS.get((body.method or "").lower()) if body.method else None
            if body.method and method is None:
                raise bad_request(
                    "Method", f"Method must be one of {', '.join(sorted(set(OFFLINE_METHODS.values())))}."
                )
            status = body.status.capitalize()
            if amount < 0 and status != "Completed":
                raise bad_request("Status", "A refund is recorded as Completed.")
            if amount < 0 and not body.originalPaymentId:
                raise bad_request("OriginalPaymentId", "A refund (negative amount) needs originalPaymentId.")
            if amount > 0 and body.originalPaymentId:
                raise bad_request("OriginalPaymentId", "Only a refund (negative amount) refers to an original payment.")
            # the body is well formed: now the state machine, then the amounts
            to = decide(inv["invoice_number"], inv["status"], "refund" if amount < 0 else "pay")
            original_id = None
            if amount < 0:
                original = con.execute("SELECT * FROM payments WHERE id = ? AND invoice_id = ?",
                                       (body.originalPaymentId, inv["id"])).fetchone()
                if original is None or original["original_payment_id"] is not None:
                    raise bad_request("OriginalPaymentId", "No such payment on this invoice.")
                if original["status"] != "Completed":
                    raise bad_request("OriginalPaymentId", "That payment is still pending; nothing of it can be "
                                                           "refunded until it completes.")
                refunded = -int(
                    con.execute(
                        "SELECT coalesce(sum(amount), 0) FROM payments WHERE original_payment_id = ?", (original["id"],)
                    ).fetchone()[0]
                )
                net = original["amount"] - refunded
                if -amount > net:
                    raise bad_request("Amount", f"At most {fmt(net, cur)} of that payment is left to refund.")
                original_id, method = original["id"], method or original["method"]
            else:
                # a pending payment is not paid yet, but it will be: it may not be paid twice
                open_amount = inv["total"] - amount_paid(con, inv["id"]) - amount_pending(con, inv["id"])
                if amount > open_amount:
                    raise bad_request(
                        "Amount",
                        f"The amount exceeds the balance of {fmt(max(open_amount, 0), cur)}"
                        + (" (after pending payments)." if amount_pending(con, inv["id"]) else "."),
                    )
            add_payment(
                con,
                inv["id"],
                amount,
                cur,
                method=method or "Other",
                when=_payment_date(body.paymentDate, now),
                reference=body.reference,
                notes=body.notes,
                original_payment_id=original_id,
                status=status,
            )
            if to == SETTLE:
                settle_status(con, inv["id"], now)
            touch_customer(con, inv["id"], now)
            return _render(con, inv["id"])

    @router.post("/api/invoices/{invoiceId}/payments/{paymentId}/complete", response_model=InvoiceOut)
    def complete_payment(who: Caller, invoiceId: InvoiceKey,
                         paymentId: Annotated[str, Path(min_length=1, max_length=100)]) -> dict[str, Any]:
        who.require_staff()
        now = utc_now()
        with db.write() as con:
            inv = find_invoice(con, who, invoiceId)
            decide(inv["invoice_number"], inv["status"], "complete")
            payment = con.execute("SELECT * FROM payments WHERE id = ? AND invoice_id = ?",
                                  (paymentId, inv["id"])).fetchone()
            if payment is None:
                raise not_found("Payment", paymentId)
            if payment["status"] != "Pending":
                raise conflict(f"That payment is already {payment['status']}.", "Status")
            con.execute("UPDATE payments SET status = 'Completed' WHERE id = ?", (paymentId,))
            settle_status(con, inv["id"], now)
            return _render(con, inv["id"])

    def _close(who: Principal, invoice_id: str, operation: str, body: ReasonIn | None) -> dict[str, Any]:
        who.require_staff()
        with db.write() as con:
            inv = find_invoice(con, who, invoice_id)
            status = decide(inv["invoice_number"], inv["status"], operation, money_held=money_held(con, inv["id"]))
            con.execute("UPDATE invoices SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
                        (status, body.reason if body else None, utc_now(), inv["id"]))
            touch_customer(con, inv["id"], utc_now())
            return _render(con, inv["id"])

    @router.post("/api/invoices/{invoiceId}/void", response_model=InvoiceOut)
    def void_invoice(who: Caller, invoiceId: InvoiceKey, body: ReasonIn | None = None) -> dict[str, Any]:
        return _close(who, invoiceId, "void", body)

    @router.post("/api/invoices/{invoiceId}/cancel", response_model=InvoiceOut)
    def cancel_invoice(who: Caller, invoiceId: InvoiceKey, body: ReasonIn | None = None) -> dict[str, Any]:
        return _close(who, invoiceId, "cancel", body)

    return router
