"""Invoices and payments in SQLite, and their wire objects.

An invoice's ``amountPaid`` is the sum of its *completed* payments (refunds are
negative payments linked to the original by ``originalPaymentId``; a ``Pending``
payment counts once it completes); ``balance`` is ``invoiceTotal - amountPaid``,
except on a ``Voided`` invoice, which owes nothing (void removes it from accounts
receivable).  Status changes follow the one table in ``invoice_states.py``.  A
customer's balance is the sum of the balances of its ``Issued`` and
``PartiallyPaid`` invoices; a ``Cancelled`` invoice keeps its figures for reporting
but is no longer active, so it is not owed.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from nymble_desk.sandbox.discounts import amount_off, render
from nymble_desk.sandbox.db import iso
from nymble_desk.sandbox.invoice_states import RECEIVABLE, settled
from nymble_desk.sandbox.order_store import customer_out
from nymble_desk.sandbox.records import dumps, fmt, invoice_number, loads, money, new_guid, next_number

OPEN_STATUSES = RECEIVABLE
#: SQL for an invoice's completed payments (refunds netted), minor units; ``invoices.id`` in scope.
PAID_SQL = ("coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = invoices.id"
            " AND p.status = 'Completed'), 0)")
#: SQL for what the invoice still owes: nothing once Voided.
BALANCE_SQL = f"(CASE WHEN invoices.status = 'Voided' THEN 0 ELSE invoices.total - {PAID_SQL} END)"


def due_date(invoice_date: str, terms: str | None) -> str:
    """``Net30`` -> 30 days after the invoice date; COD and unknown terms -> the invoice date."""
    found = re.search(r"(\d+)", terms or "")
    days = int(found.group(1)) if found and "net" in (terms or "").lower() else 0
    start = datetime.fromisoformat(invoice_date.replace("Z", "+00:00"))
    return iso(start + timedelta(days=days))


def create_invoice(
    con: sqlite3.Connection,
    order: sqlite3.Row | dict[str, Any],
    lines: list[dict[str, Any]],
    *,
    status: str,
    now: str,
    with_charges: bool,
    invoice_id: str | None = None,
    notes: str | None = None,
    external_id: str | None = None,
    own_discount: dict[str, Any] | None = None,
) -> str:
    """Write an invoice for ``lines`` (``sku, productName, quantity, price`` in minor units) of ``order``.

    ``with_charges`` adds the order's tax and shipping (the first invoice of an order carries them).
    The order's ``discount`` (lines and order level) goes on its invoices in turn: each takes what
    the order's live invoices have not yet taken, at most its own subtotal, so a fully invoiced
    order's invoices add up to its total; an invoice with some of it shows the order-level object.
    ``own_discount`` is an invoice-level discount (the page's Code/Type/Value/Description) taken
    on top, on the subtotal after the order's share.
    """
    customer = loads(order["customer"]) if isinstance(order["customer"], str) else order["customer"]
    shipping = loads(order["shipping"]) if isinstance(order["shipping"], str) else order["shipping"]
    rep = order["primary_rep"]
    rep = loads(rep) if isinstance(rep, str) else rep
    subtotal = sum(int(line["price"]) * int(line["quantity"]) for line in lines)
    tax = int(order["tax"] or 0) if with_charges else 0
    ship = int((shipping or {}).get("total") or 0) if with_charges else 0
    # what of the order's discount its live invoices have not yet taken, at most this subtotal
    already = int(con.execute(
        "SELECT coalesce(sum(discount), 0) FROM invoices WHERE order_id = ? AND status NOT IN ('Voided', 'Cancelled')",
        (order["id"],)).fetchone()[0])
    discount = max(0, min(int(order["discount"] or 0) - already, subtotal))
    spec = order["discount_spec"] if (with_charges or discount) and "discount_spec" in order.keys() else None  # noqa: SIM118 (a sqlite3.Row: `in` looks at values)
    spec_text = dumps(spec) if isinstance(spec, dict) else spec
    own = amount_off(own_discount, subtotal - discount, order["currency"])
    inv_id = invoice_id or new_guid()
    number = invoice_number(next_number(con, order["org_id"], "invoice"))
    con.execute(
        "INSERT INTO invoices (id, org_id, invoice_number, order_id, order_number, external_id, customer_number,"
        " customer, primary_rep, po_number, invoice_date, due_date, terms, currency, status, items, tax, shipping,"
        " subtotal, discount, total, notes, created_at, updated_at, discount_spec, own_discount, own_discount_spec)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            inv_id, order["org_id"], number, order["id"], order["order_number"], external_id,
            customer["customerNumber"], dumps(customer), dumps(rep), order["po_number"], now,
            due_date(now, order["terms"]), order["terms"], order["currency"], status, dumps(lines), tax, ship,
            subtotal, discount, subtotal - discount - own + tax + ship, notes, now, now, spec_text, own,
            dumps(own_discount),
        ),
    )
    touch_customer(con, inv_id, now)
    return inv_id


def set_own_discount(con: sqlite3.Connection, invoice_id: str, spec: dict[str, Any] | None, now: str) -> None:
    """Set (or, with None, remove) the invoice-level discount and recompute DiscountAmount and the total."""
    row = con.execute("SELECT * FROM invoices WHERE id = ?", (invoice_id,)).fetchone()
    own = amount_off(spec, row["subtotal"] - row["discount"], row["currency"])
    total = row["subtotal"] - row["discount"] - own + row["tax"] + row["shipping"]
    con.execute("UPDATE invoices SET own_discount = ?, own_discount_spec = ?, total = ?, updated_at = ? WHERE id = ?",
                (own, dumps(spec), total, now, invoice_id))


def touch_customer(con: sqlite3.Connection, invoice_id: str, now: str) -> None:
    """A customer's ``balance`` follows its invoices: move its ``updatedAt`` when one changes."""
    con.execute(
        "UPDATE customers SET updated_at = max(updated_at, ?) WHERE (org_id, customer_number) ="
        " (SELECT org_id, customer_number FROM invoices WHERE id = ?)",
        (now, invoice_id),
    )


def add_payment(
    con: sqlite3.Connection,
    invoice_id: str,
    amount: int,
    currency: str,
    *,
    method: str,
    when: str,
    payment_id: str | None = None,
    reference: str | None = None,
    notes: str | None = None,
    card_type: str | None = None,
    last4: str | None = None,
    original_payment_id: str | None = None,
    status: str = "Completed",
) -> str:
    pid = payment_id or new_guid()
    con.execute(
        "INSERT INTO payments (id, invoice_id, amount, currency, method, status, payment_date, reference, notes,"
        " card_type, last4, original_payment_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (pid, invoice_id, amount, currency, method, status, when, reference, notes, card_type, last4,
         original_payment_id, when),
    )
    return pid


def amount_paid(con: sqlite3.Connection, invoice_id: str) -> int:
    """Completed payments net of refunds (minor units); a Pending payment is not paid yet."""
    return int(
        con.execute(
            "SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = ? AND status = 'Completed'", (invoice_id,)
        ).fetchone()[0]
    )


def amount_pending(con: sqlite3.Connection, invoice_id: str) -> int:
    return int(con.execute("SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = ? AND status = 'Pending'",
                           (invoice_id,)).fetchone()[0])


def money_held(con: sqlite3.Connection, invoice_id: str) -> bool:
    """Completed money not refunded, or a payment still pending: what void and cancel must not drop."""
    return amount_paid(con, invoice_id) != 0 or amount_pending(con, invoice_id) != 0


def settle_status(con: sqlite3.Connection, invoice_id: str, now: str) -> str:
    """Recompute Issued/PartiallyPaid/Paid from the completed payments (Draft, Voided, Cancelled stay)."""
    row = con.execute("SELECT status, total FROM invoices WHERE id = ?", (invoice_id,)).fetchone()
    status = row["status"]
    if status in ("Draft", "Voided", "Cancelled"):
        return status
    any_completed = con.execute(
        "SELECT 1 FROM payments WHERE invoice_id = ? AND status = 'Completed' AND original_payment_id IS NULL"
        " AND amount > 0 LIMIT 1", (invoice_id,)).fetchone() is not None
    status = settled(row["total"], amount_paid(con, invoice_id), any_completed)
    con.execute("UPDATE invoices SET status = ?, updated_at = ? WHERE id = ?", (status, now, invoice_id))
    touch_customer(con, invoice_id, now)
    return status


def customer_balances(con: sqlite3.Connection, org_id: str, numbers: list[str]) -> dict[str, int]:
    """Open balance (minor units) per customer number."""
    out = {n: 0 for n in numbers}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        rows = con.execute(
            f"SELECT invoices.customer_number AS n, sum(invoices.total - {PAID_SQL}) AS due FROM invoices"
            " WHERE invoices.org_id = ? AND invoices.status IN (?, ?)"
            f" AND invoices.customer_number IN ({', '.join('?' * len(chunk))}) GROUP BY invoices.customer_number",
            [org_id, *OPEN_STATUSES, *chunk],
        ).fetchall()
        for r in rows:
            out[r["n"]] = int(r["due"] or 0)
    return out


def _payment_out(p: sqlite3.Row, refunds: list[sqlite3.Row]) -> dict[str, Any]:
    cur = p["currency"]
    refunded = -sum(r["amount"] for r in refunds)
    out = {
        "id": p["id"],
        "amount": money(p["amount"], cur),
        "amountFormatted": fmt(p["amount"], cur),
        "currencyCode": cur,
        "method": p["method"],
        "status": p["status"],
        "paymentDate": p["payment_date"],
        "reference": p["reference"],
        "notes": p["notes"],
        "cardType": p["card_type"],
        "last4Digits": p["last4"],
        "originalPaymentId": p["original_payment_id"],
        "refundedAmount": money(refunded, cur),
        "refundedAmountFormatted": fmt(refunded, cur),
        "netAmount": money(p["amount"] - refunded, cur),
        "netAmountFormatted": fmt(p["amount"] - refunded, cur),
        "refunds": [
            {"id": r["id"], "amount": money(r["amount"], cur), "amountFormatted": fmt(r["amount"], cur),
             "paymentDate": r["payment_date"], "reference": r["reference"], "notes": r["notes"]}
            for r in refunds
        ],
    }
    return out


def render_invoices(con: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        cur = r["currency"]
        payments = con.execute(
            "SELECT * FROM payments WHERE invoice_id = ? ORDER BY created_at, rowid", (r["id"],)
        ).fetchall()
        by_original: dict[str, list[sqlite3.Row]] = {}
        for p in payments:
            if p["original_payment_id"]:
                by_original.setdefault(p["original_payment_id"], []).append(p)
        paid = sum(p["amount"] for p in payments if p["status"] == "Completed")
        pending = sum(p["amount"] for p in payments if p["status"] == "Pending")
        balance = 0 if r["status"] == "Voided" else r["total"] - paid
        own = int(r["own_discount"] or 0)
        lines = loads(r["items"]) or []
        out.append({
            "id": r["id"],
            "invoiceNumber": r["invoice_number"],
            "orderId": r["order_id"],
            "orderNumber": r["order_number"],
            "externalId": r["external_id"],
            "customer": customer_out(loads(r["customer"])),
            "customerNumber": r["customer_number"],
            "primarySalesRep": loads(r["primary_rep"]),
            "poNumber": r["po_number"],
            "invoiceDate": r["invoice_date"],
            "dueDate": r["due_date"],
            "terms": r["terms"],
            "currencyCode": cur,
            "status": r["status"],
            "statusReason": r["status_reason"],
            "items": [
                {"sku": i["sku"], "productName": i.get("productName"), "quantity": i["quantity"],
                 "price": money(i["price"], cur), "priceFormatted": fmt(i["price"], cur),
                 "subTotal": money(i["price"] * i["quantity"], cur),
                 "subTotalFormatted": fmt(i["price"] * i["quantity"], cur)}
                for i in lines
            ],
            "payments": [_payment_out(p, by_original.get(p["id"], [])) for p in payments],
            "tax": money(r["tax"], cur),
            "taxFormatted": fmt(r["tax"], cur),
            "shipping": money(r["shipping"], cur),
            "shippingFormatted": fmt(r["shipping"], cur),
            "subtotal": money(r["subtotal"], cur),
            "subtotalFormatted": fmt(r["subtotal"], cur),
            "discount": render(r["own_discount_spec"]) or render(r["discount_spec"]),
            "discountAmount": money(r["discount"] + own, cur),
            "discountAmountFormatted": fmt(r["discount"] + own, cur),
            "invoiceTotal": money(r["total"], cur),
            "invoiceTotalFormatted": fmt(r["total"], cur),
            "amountPaid": money(paid, cur),
            "amountPaidFormatted": fmt(paid, cur),
            "amountPending": money(pending, cur),
            "amountPendingFormatted": fmt(pending, cur),
            "balance": money(balance, cur),
            "balanceFormatted": fmt(balance, cur),
            "notes": r["notes"],
            "createdAt": r["created_at"],
            "updatedAt": r["updated_at"],
        })
    return out
