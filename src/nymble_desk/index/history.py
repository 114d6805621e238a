"""What a customer bought before, kept in the index: last price paid per SKU and the order guide.

The rows are the lines of the customer's last orders as the Orders API gave them
(``idx_order_lines``, one row per order and SKU), replaced whole for a customer on
each refresh, so what is stored is always one consistent window of their history.
The guide is computed from the last ``last_n`` orders in one indexed query and a
few lines of Python: it answers offline, in well under a millisecond per customer.
No Textual, no httpx.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

#: orders of a customer the guide looks at by default
GUIDE_ORDERS = 10


@dataclass(frozen=True, slots=True)
class PastLine:
    """One SKU of one past order (quantities of the same SKU on one order added up)."""

    order_number: str
    order_date: datetime
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class GuideItem:
    """A SKU the customer bought in their last orders, with what they usually take and last paid."""

    sku: str
    name: str
    #: in how many of the orders looked at it appears
    times: int
    #: the quantity they order most often (the latest of equally frequent ones)
    usual_quantity: int
    last_quantity: int
    last_price: Decimal
    last_date: datetime
    last_order: str
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class OrderGuide:
    """The order guide of one customer, best first, and how old the history behind it is."""

    customer_number: str
    items: tuple[GuideItem, ...]
    #: how many orders it was made from
    orders: int
    #: when the customer's history was last read from the API (None: never)
    refreshed_at: datetime | None

    def item(self, sku: str) -> GuideItem | None:
        return next((i for i in self.items if i.sku == sku), None)


DDL = """
CREATE TABLE IF NOT EXISTS idx_order_lines (
    customer_number TEXT NOT NULL,
    order_number TEXT NOT NULL,
    order_date TEXT NOT NULL,
    sku TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL,
    unit_price TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'USD',
    PRIMARY KEY (customer_number, order_number, sku)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_order_lines_recent ON idx_order_lines (customer_number, order_date DESC);
"""

TABLES = ("idx_order_lines",)


def _meta_key(customer_number: str) -> str:
    return f"history.{customer_number}.refreshed_at"


def replace_history(conn: sqlite3.Connection, customer_number: str, lines: Iterable[PastLine], at: datetime) -> int:
    """Make ``lines`` the customer's stored history (inside the caller's transaction); returns rows written."""
    merged: dict[tuple[str, str], PastLine] = {}
    for line in lines:
        key = (line.order_number, line.sku)
        if key in merged:  # the same SKU twice on one order: one row with both quantities
            old = merged[key]
            line = PastLine(old.order_number, old.order_date, old.sku, old.name,
                            old.quantity + line.quantity, old.unit_price, old.currency)
        merged[key] = line
    conn.execute("DELETE FROM idx_order_lines WHERE customer_number = ?", (customer_number,))
    conn.executemany(
        "INSERT INTO idx_order_lines (customer_number, order_number, order_date, sku, name, quantity, unit_price,"
        " currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(customer_number, x.order_number, x.order_date.isoformat(), x.sku, x.name, x.quantity, str(x.unit_price),
          x.currency) for x in merged.values()])
    conn.execute("INSERT OR REPLACE INTO idx_meta (key, value) VALUES (?, ?)",
                 (_meta_key(customer_number), at.isoformat()))
    return len(merged)


def refreshed_at(conn: sqlite3.Connection, customer_number: str) -> datetime | None:
    row = conn.execute("SELECT value FROM idx_meta WHERE key = ?", (_meta_key(customer_number),)).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def recent_lines(conn: sqlite3.Connection, customer_number: str, last_n: int) -> list[PastLine]:
    """The lines of the customer's ``last_n`` latest orders, latest order first."""
    rows = conn.execute(
        "SELECT l.order_number, l.order_date, l.sku, l.name, l.quantity, l.unit_price, l.currency"
        " FROM idx_order_lines l JOIN ("
        "  SELECT DISTINCT order_number, order_date FROM idx_order_lines WHERE customer_number = ?"
        "  ORDER BY order_date DESC, order_number DESC LIMIT ?) o ON o.order_number = l.order_number"
        " WHERE l.customer_number = ? ORDER BY l.order_date DESC, l.order_number DESC, l.sku",
        (customer_number, last_n, customer_number)).fetchall()
    return [PastLine(r[0], datetime.fromisoformat(r[1]), r[2], r[3], int(r[4]), Decimal(r[5]), r[6]) for r in rows]


def latest_orders(lines: Sequence[PastLine], last_n: int) -> list[PastLine]:
    """The lines of the first ``last_n`` orders of ``lines`` (latest order first)."""
    keep = set(list(dict.fromkeys(x.order_number for x in lines))[:last_n])
    return [x for x in lines if x.order_number in keep]


def build_guide(customer_number: str, lines: Sequence[PastLine], at: datetime | None) -> OrderGuide:
    """Rank the SKUs of ``lines`` (latest order first): most orders first, then the most recently bought."""
    orders: list[str] = list(dict.fromkeys(x.order_number for x in lines))
    by_sku: dict[str, list[PastLine]] = {}
    for line in lines:
        by_sku.setdefault(line.sku, []).append(line)
    items = []
    for sku, bought in by_sku.items():
        latest = bought[0]
        counts = Counter(x.quantity for x in bought)
        top = max(counts.values())
        usual = next(x.quantity for x in bought if counts[x.quantity] == top)  # the latest of the most frequent
        items.append(GuideItem(sku=sku, name=latest.name, times=len(bought), usual_quantity=usual,
                               last_quantity=latest.quantity, last_price=latest.unit_price,
                               last_date=latest.order_date, last_order=latest.order_number,
                               currency=latest.currency))
    recency = {number: n for n, number in enumerate(orders)}
    items.sort(key=lambda i: (-i.times, recency[i.last_order], i.sku))
    return OrderGuide(customer_number, tuple(items), len(orders), at)


def order_guide(conn: sqlite3.Connection, customer_number: str, last_n: int = GUIDE_ORDERS) -> OrderGuide:
    lines = recent_lines(conn, customer_number, last_n)
    return build_guide(customer_number, lines, refreshed_at(conn, customer_number))
