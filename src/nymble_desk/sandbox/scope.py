"""Who may see, and so write, what: one rule for reads and writes.

The rule is ``Principal.customer_scope()`` (auth.py): an Admin sees its whole
organisation, a SalesRep the customers assigned to it, a Customer itself; the
organisation always comes from the token.  Every lookup of a customer, cart,
order or invoice, for a read or a write, goes through it:

- by key in the URL (``find_order``, ``find_invoice``, ``load_cart``,
  ``visible_customer``): the scope is in the query, so what the caller cannot
  see answers 404 exactly as what does not exist;
- by a reference in a body (the customer of a new or moved order):
  ``customer_ref`` answers 400 naming the field, word for word as for a
  customer that does not exist;
- by a lookup the caller does not aim (an upsert matching an ``externalId`` or
  ``orderNumber``): ``readable_or_404`` refuses a row the caller cannot see
  with the 404 a read of it gets, and says nothing more about it.
"""

from __future__ import annotations

import sqlite3

from nymble_desk.sandbox.auth import Principal
from nymble_desk.sandbox.errors import Problem, bad_request, not_found


def sees_customer(con: sqlite3.Connection, who: Principal, customer_number: str) -> bool:
    """Whether ``who`` may see the customer ``customer_number`` of its own organisation."""
    scope, params = who.customer_scope()
    return con.execute(
        f"SELECT 1 FROM customers WHERE org_id = ? AND customer_number = ?{scope}",
        [who.org_id, customer_number, *params],
    ).fetchone() is not None


def visible_customer(con: sqlite3.Connection, who: Principal, customer_number: str) -> sqlite3.Row:
    """The customer row if this principal may see it, else 404 (as for one that does not exist)."""
    scope, params = who.customer_scope()
    row = con.execute(
        f"SELECT * FROM customers WHERE org_id = ? AND customer_number = ?{scope}",
        [who.org_id, customer_number, *params],
    ).fetchone()
    if row is None:
        raise not_found("Customer", customer_number)
    return row


def customer_ref(con: sqlite3.Connection, who: Principal, customer_number: str, field: str) -> sqlite3.Row:
    """A customer named in a request body: its row, else 400 on ``field`` as for one that does not exist."""
    try:
        return visible_customer(con, who, customer_number)
    except Problem:
        raise bad_request(field, f"Customer '{customer_number}' does not exist.") from None


def readable_or_404(con: sqlite3.Connection, who: Principal, row: sqlite3.Row | None, what: str, key: str) -> None:
    """Refuse a row found by organisation only (``row["customer_number"]``) that ``who`` could not read."""
    if row is not None and not sees_customer(con, who, row["customer_number"]):
        raise not_found(what, key)
