"""Orders in SQLite: write one (insert or replace by id) and render the wire object.

The wire object is the Orders page's: money as numbers plus ``*Formatted``
strings, addresses with ``zipPostalCode``, reps with ``fullName``, the
``invoiceNumbers`` of the order's invoices and their ``invoiceSummary``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from nymble_desk.sandbox.discounts import render
from nymble_desk.sandbox.records import dumps, fmt, loads, money, rekey_address

MAX_MINOR = 10**15  # keeps every sum far inside SQLite's 64-bit integers

ORDER_COLUMNS = (
    "id", "org_id", "order_number", "order_date", "order_status", "order_type", "po_number", "price_tier",
    "currency", "terms", "channel", "external_id", "notes", "origination_cart_id", "customer_number",
    "company_name", "customer", "primary_rep", "taken_by_rep", "user", "shipping", "tax", "subtotal",
    "discount", "total", "active", "created_at", "updated_at", "discount_spec",
)
JSON_COLUMNS = ("customer", "primary_rep", "taken_by_rep", "user", "shipping", "discount_spec")


def write_order(con: sqlite3.Connection, order: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """Insert or replace the order ``order["id"]`` and its items; returns the stored row values.

    ``order`` holds the columns above with ``customer``, ``primary_rep``, ``taken_by_rep``,
    ``user`` and ``shipping`` as dicts (shipping ``total`` in minor units); each item has
    ``sku, product_name, external_id, quantity, price, discount, moq, increment`` (money in minor units)
    and optionally ``discount_spec`` (the line's discount object as a dict).  ``order["discount"]`` is
    the order-level discount amount; the stored ``discount`` adds the lines' to it (sandbox/discounts.py).
    """
    row = dict(order)
    subtotal = sum(int(i["price"]) * int(i["quantity"]) for i in items)
    line_discounts = sum(int(i.get("discount") or 0) for i in items)
    shipping = row.get("shipping") or {}
    row["subtotal"] = subtotal
    row["discount"] = int(row.get("discount") or 0) + line_discounts
    row["total"] = subtotal - row["discount"] + int(row.get("tax") or 0) + int(shipping.get("total") or 0)
    if max(abs(row["total"]), subtotal) > MAX_MINOR:
        from nymble_desk.sandbox.errors import bad_request

        raise bad_request("Items", "The order total is too large.")
    row.setdefault("active", 1)
    row["customer_number"] = row["customer"]["customerNumber"]
    row["company_name"] = row["customer"].get("companyName")
    values = [dumps(row.get(c)) if c in JSON_COLUMNS else row.get(c) for c in ORDER_COLUMNS]
    con.execute(
        f"INSERT OR REPLACE INTO orders ({', '.join(ORDER_COLUMNS)}) VALUES ({', '.join('?' * len(ORDER_COLUMNS))})",
        values,
    )
    con.execute("DELETE FROM order_items WHERE order_id = ?", (row["id"],))
    con.executemany(
        "INSERT INTO order_items (order_id, line, sku, product_name, external_id, quantity, price, discount, moq,"
        " increment, discount_spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (row["id"], n, i["sku"], i.get("product_name"), i.get("external_id"), int(i["quantity"]), int(i["price"]),
             int(i.get("discount") or 0), int(i.get("moq") or 1), int(i.get("increment") or 1),
             dumps(i.get("discount_spec")))
            for n, i in enumerate(items, start=1)
        ],
    )
    return row


def update_order_fields(con: sqlite3.Connection, order_id: str, **changes: Any) -> None:
    """Change some columns (dict values stored as JSON) and recompute the total."""
    sets = []
    params: list[Any] = []
    for column, value in changes.items():
        sets.append(f"{column} = ?")
        params.append(dumps(value) if isinstance(value, dict) else value)
    con.execute(f"UPDATE orders SET {', '.join(sets)} WHERE id = ?", [*params, order_id])
    row = con.execute("SELECT subtotal, discount, tax, shipping FROM orders WHERE id = ?", (order_id,)).fetchone()
    ship = (loads(row["shipping"]) or {}).get("total") or 0
    con.execute(
        "UPDATE orders SET total = ? WHERE id = ?",
        (row["subtotal"] - row["discount"] + row["tax"] + int(ship), order_id),
    )


def _items_by_order(con: sqlite3.Connection, ids: list[str]) -> dict[str, list[sqlite3.Row]]:
    out: dict[str, list[sqlite3.Row]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = con.execute(
            f"SELECT * FROM order_items WHERE order_id IN ({', '.join('?' * len(chunk))}) ORDER BY order_id, line",
            chunk,
        ).fetchall()
        for r in rows:
            out[r["order_id"]].append(r)
    return out


def _invoices_by_order(con: sqlite3.Connection, ids: list[str]) -> dict[str, list[sqlite3.Row]]:
    """Each order's invoices (any status) with their completed payments summed as ``paid``."""
    out: dict[str, list[sqlite3.Row]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = con.execute(
            "SELECT i.order_id, i.invoice_number, i.status, i.total, i.items, coalesce((SELECT sum(p.amount)"
            " FROM payments p WHERE p.invoice_id = i.id AND p.status = 'Completed'), 0) AS paid"
            f" FROM invoices i WHERE i.order_id IN ({', '.join('?' * len(chunk))}) ORDER BY i.invoice_number",
            chunk,
        ).fetchall()
        for r in rows:
            out[r["order_id"]].append(r)
    return out


def invoice_summary(items: list[sqlite3.Row], invoices: list[sqlite3.Row], currency: str) -> dict[str, Any]:
    """The lifecycle page's OrderInvoiceSummaryDto: fulfilment across all of an order's invoices.

    Per line, ordered vs invoiced quantity on the live invoices (Voided and Cancelled ones free
    their quantities); the live invoices' total, what is paid on them (completed payments) and
    the balance; ``status`` NotInvoiced, PartiallyInvoiced, Invoiced, PartiallyPaid or Paid.
    """
    lines: dict[str, dict[str, Any]] = {}
    for item in items:
        line = lines.setdefault(item["sku"], {"sku": item["sku"], "productName": item["product_name"],
                                              "ordered": 0, "invoiced": 0})
        line["ordered"] += item["quantity"]
    live = [i for i in invoices if i["status"] not in ("Voided", "Cancelled")]
    for inv in live:
        for entry in loads(inv["items"]) or []:
            if entry["sku"] in lines:
                lines[entry["sku"]]["invoiced"] += int(entry["quantity"])
    for line in lines.values():
        line["remaining"] = max(0, line["ordered"] - line["invoiced"])
    total = sum(int(i["total"]) for i in live)
    paid = sum(int(i["paid"]) for i in live)
    due = total - paid
    if not live:
        status = "NotInvoiced"
    elif any(line["remaining"] for line in lines.values()):
        status = "PartiallyInvoiced"
    elif paid > 0 and due <= 0:
        status = "Paid"
    elif paid > 0:
        status = "PartiallyPaid"
    else:
        status = "Invoiced"
    return {
        "status": status,
        "invoiceCount": len(live),
        "lines": list(lines.values()),
        "invoicedTotal": money(total, currency), "invoicedTotalFormatted": fmt(total, currency),
        "amountPaid": money(paid, currency), "amountPaidFormatted": fmt(paid, currency),
        "balance": money(due, currency), "balanceFormatted": fmt(due, currency),
    }


def customer_out(customer: dict[str, Any]) -> dict[str, Any]:
    out = dict(customer)
    for key in ("billingAddress", "shippingAddress"):
        if out.get(key) is not None:
            out[key] = rekey_address(out[key], "zipPostalCode")
    return out


def _item_out(item: sqlite3.Row, currency: str) -> dict[str, Any]:
    subtotal = item["price"] * item["quantity"]
    return {
        "sku": item["sku"],
        "productName": item["product_name"],
        "externalId": item["external_id"],
        "quantity": item["quantity"],
        "price": money(item["price"], currency),
        "priceFormatted": fmt(item["price"], currency),
        "subTotal": money(subtotal, currency),
        "subTotalFormatted": fmt(subtotal, currency),
        "discount": render(item["discount_spec"]),
        "discountAmount": money(item["discount"], currency),
        "discountAmountFormatted": fmt(item["discount"], currency),
        "minimumOrderQuantity": item["moq"],
        "quantityIncrement": item["increment"],
    }


def render_orders(con: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    items = _items_by_order(con, ids)
    invoices = _invoices_by_order(con, ids)
    out = []
    for r in rows:
        cur = r["currency"]
        shipping = loads(r["shipping"]) or {}
        ship_total = int(shipping.get("total") or 0)
        out.append({
            "id": r["id"],
            "organizationId": r["org_id"],
            "orderNumber": r["order_number"],
            "orderDate": r["order_date"],
            "orderStatus": r["order_status"],
            "orderType": r["order_type"],
            "poNumber": r["po_number"],
            "priceTier": r["price_tier"],
            "currencyCode": cur,
            "terms": r["terms"],
            "channel": r["channel"],
            "externalId": r["external_id"],
            "notes": r["notes"],
            "originationCartId": r["origination_cart_id"],
            "customer": customer_out(loads(r["customer"])),
            "primarySalesRep": loads(r["primary_rep"]),
            "takenBySalesRep": loads(r["taken_by_rep"]),
            "user": loads(r["user"]),
            "items": [_item_out(i, cur) for i in items[r["id"]]],
            "shippingDetails": {
                "method": shipping.get("method"),
                "total": money(ship_total, cur),
                "totalFormatted": fmt(ship_total, cur),
                "shippingAddress": rekey_address(shipping.get("shippingAddress"), "zipPostalCode"),
            },
            "tax": money(r["tax"], cur),
            "taxFormatted": fmt(r["tax"], cur),
            "subtotal": money(r["subtotal"], cur),
            "subtotalFormatted": fmt(r["subtotal"], cur),
            "orderTotal": money(r["total"], cur),
            "orderTotalFormatted": fmt(r["total"], cur),
            "discount": render(r["discount_spec"]),
            "discountAmount": money(r["discount"], cur),
            "discountAmountFormatted": fmt(r["discount"], cur),
            "active": bool(r["active"]),
            "createdAt": r["created_at"],
            "updatedAt": r["updated_at"],
            "invoiceNumbers": [i["invoice_number"] for i in invoices[r["id"]]],
            "invoiceSummary": invoice_summary(items[r["id"]], invoices[r["id"]], cur),
        })
    return out


def render_order(con: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    return render_orders(con, [row])[0]
