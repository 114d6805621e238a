"""The local search index of customers and products (SQLite FTS5 in the drafts database file).

Synchronous and thread-safe: each thread gets its own connection (WAL,
``busy_timeout``), so the TUI runs searches in thread workers and the refresher
writes from another thread without blocking either.  No Textual, no httpx.
"""

from __future__ import annotations

import functools
import itertools
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, UTC
from decimal import Decimal
from pathlib import Path
from typing import Any

import nymble_desk.index.rows as rowmod
import nymble_desk.index.history as history
from nymble_desk.index.history import GUIDE_ORDERS, OrderGuide, PastLine
from nymble_desk.index.models import CustomerHit, Freshness, KindFreshness, ProductHit, TierBreak
from nymble_desk.index.query import fts_prefix_query, looks_like_upc, prefix_range
from nymble_desk.index.schema import DEFERRABLE_INDEXES, drop_all, ensure_schema, transaction

KINDS = ("customers", "products")
#: How many full-text matches are ranked by BM25 at most (see :func:`_ranked`).
RANK_WINDOW = 2000

_CUSTOMER_COLS = (
    "c.number, c.name, c.email, c.phone, c.active, c.credit_hold, c.tier, c.terms, c.currency,"
    " c.rep_number, c.city, c.region, c.credit_limit, c.balance"
)
_CUSTOMER_SELECT = f"SELECT {_CUSTOMER_COLS} FROM idx_customers c"
_PRODUCT_SELECT = (
    "SELECT p.sku, p.name, p.upc, p.price, p.currency, p.active, p.minimum, p.increment, p.on_hand,"
    " p.category, p.prices_json FROM idx_products p"
)


class OverBudget(Exception):
    """A search inside :meth:`SearchIndex.within` took longer than its budget and was stopped."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


class SearchIndex:
    """Customers and products of one signed-in scope, searchable in a few milliseconds.

    ``scope`` (for example ``"DEMO/REP-007@http://127.0.0.1:8765"``) names whose data the
    index holds; opening it with a different scope empties it, so one rep never sees
    another organisation's customers.
    """

    def __init__(self, db_path: Path | str, *, scope: str | None = None, busy_timeout_ms: int = 5000) -> None:
        self.db_path = Path(db_path)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        conn = self._conn()
        ensure_schema(conn)
        if scope is not None and self._meta(conn).get("scope") != scope:
            self.clear()
            with transaction(conn):
                self._set_meta(conn, {"scope": scope})

    # --- connections -------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            # A cache: losing the last refresh on power loss is harmless, and NORMAL is safe in WAL.
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def within(self, budget_s: float) -> Iterator[None]:
        """Stop this thread's queries once ``budget_s`` seconds have passed (:class:`OverBudget`).

        For a search run where its answer is awaited without a thread hop (the UI's event
        loop): a cold page cache or an unusually broad query gives up quickly, and the
        caller asks again from a thread without the budget.
        """
        conn = self._conn()
        end = time.perf_counter() + budget_s
        conn.set_progress_handler(lambda: time.perf_counter() > end, 500)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                raise OverBudget(f"search took over {budget_s * 1000:.0f} ms") from exc
            raise
        finally:
            conn.set_progress_handler(None, 0)

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- meta -------------------------------------------------------------------
    @staticmethod
    def _meta(conn: sqlite3.Connection) -> dict[str, str]:
        return dict(conn.execute("SELECT key, value FROM idx_meta").fetchall())

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, values: dict[str, str | None]) -> None:
        for key, value in values.items():
            if value is None:
                conn.execute("DELETE FROM idx_meta WHERE key = ?", (key,))
            else:
                conn.execute("INSERT OR REPLACE INTO idx_meta (key, value) VALUES (?, ?)", (key, value))

    def clear(self) -> None:
        """Empty the index (tables and freshness); the schema stays."""
        conn = self._conn()
        with transaction(conn):
            drop_all(conn)
        ensure_schema(conn)

    def freshness(self) -> Freshness:
        conn = self._conn()
        meta = self._meta(conn)
        kinds = {}
        for kind in KINDS:
            table = "idx_customers" if kind == "customers" else "idx_products"
            count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            kinds[kind] = KindFreshness(
                count=count,
                full_fill_at=_when(meta.get(f"{kind}.full_fill_at")),
                refreshed_at=_when(meta.get(f"{kind}.refreshed_at")),
                high_water=meta.get(f"{kind}.high_water"),
                filling=meta.get(f"{kind}.filling") == "1",
            )
        return Freshness(**kinds)

    def is_ready(self, kind: str) -> bool:
        """Whether a full fill of ``kind`` finished once (cheap: one key lookup, for every keystroke)."""
        row = self._conn().execute("SELECT 1 FROM idx_meta WHERE key = ?", (f"{_kind(kind)}.full_fill_at",)).fetchone()
        return row is not None

    def mark_filling(self, kind: str, filling: bool) -> None:
        conn = self._conn()
        with transaction(conn):
            self._set_meta(conn, {f"{_kind(kind)}.filling": "1" if filling else None})

    def mark_refreshed(self, kind: str, *, full: bool, at: datetime | None = None) -> None:
        """Record a finished full fill (``full=True``) or incremental refresh of ``kind``."""
        stamp = (at or _utcnow()).isoformat()
        values: dict[str, str | None] = {f"{_kind(kind)}.refreshed_at": stamp, f"{kind}.filling": None}
        if full:
            values[f"{kind}.full_fill_at"] = stamp
        conn = self._conn()
        with transaction(conn):
            self._set_meta(conn, values)

    def set_high_water(self, kind: str, value: str) -> None:
        conn = self._conn()
        with transaction(conn):
            self._set_meta(conn, {f"{_kind(kind)}.high_water": value})

    # --- a full fill ---------------------------------------------------------------
    #: The page cache of a connection that writes a whole fill (the default, 2 MB, rereads the
    #: full-text index's pages from the OS at every merge).
    BULK_CACHE_KIB = 64 * 1024

    def tune_for_bulk_writes(self) -> None:
        """This thread's connection is about to write a whole fill: give it a larger page cache."""
        self._conn().execute(f"PRAGMA cache_size = -{self.BULK_CACHE_KIB}")

    def defer_indexes(self, kind: str) -> bool:
        """Drop ``kind``'s deferrable secondary indexes while a first full fill writes into an empty table
        (``restore_indexes`` makes them after its last page); True when they were dropped.

        Only for an index that is not ready and empty: nothing searches it yet (the Desk asks the API
        until a full fill is done), and a search that does still finds every row written, by a scan.
        Otherwise (rows from a fill cut short before) the indexes are made now if they are missing.
        """
        statements = DEFERRABLE_INDEXES[_kind(kind)]
        if not statements:
            return False
        table = "idx_customers" if kind == "customers" else "idx_products"
        conn = self._conn()
        with transaction(conn):
            empty = conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
            ready = conn.execute("SELECT 1 FROM idx_meta WHERE key = ?", (f"{kind}.full_fill_at",)).fetchone()
            if not empty or ready:
                for _, create in statements:
                    conn.execute(create)
                return False
            for name, _ in statements:
                conn.execute(f"DROP INDEX IF EXISTS {name}")
        return True

    def restore_indexes(self, kind: str) -> None:
        """Make ``kind``'s deferrable secondary indexes where they are missing (after a fill deferred them)."""
        conn = self._conn()
        with transaction(conn):
            for _, create in DEFERRABLE_INDEXES[_kind(kind)]:
                conn.execute(create)

    # --- writes -----------------------------------------------------------------
    def upsert_customers(self, rows: Iterable[Any]) -> int:
        """Insert or update customers (API models or wire dicts); returns how many were written."""
        return self._upsert("customers", "idx_customers", "number", rowmod.CUSTOMER_COLUMNS,
                            [rowmod.customer_row(r) for r in rows])

    def upsert_products(self, rows: Iterable[Any]) -> int:
        return self._upsert("products", "idx_products", "sku", rowmod.PRODUCT_COLUMNS,
                            [rowmod.product_row(r) for r in rows])

    def _upsert(
        self, kind: str, table: str, key: str, columns: tuple[str, ...], values: list[tuple[object, ...]]
    ) -> int:
        """Write one page in one statement, ``INSERT ... VALUES (...), (...), ... ON CONFLICT DO UPDATE``
        (as many rows a statement as SQLite takes parameters).  Row by row (``executemany``), each statement
        makes FTS5 flush its pending terms (a statement savepoint) and the full-text index grows one tiny
        segment per row: 3-4x slower.  (One statement of many rows also costs less than copying them
        through a TEMP staging table.)"""
        if not values:
            return 0
        conn = self._conn()
        per_statement = max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns))
        with transaction(conn):
            current = conn.execute("SELECT value FROM idx_meta WHERE key = ?", (f"{kind}.high_water",)).fetchone()
            for start in range(0, len(values), per_statement):
                chunk = values[start:start + per_statement]
                conn.execute(_upsert_sql(table, key, columns, len(chunk)), list(itertools.chain.from_iterable(chunk)))
            high = rowmod.max_updated(values, current[0] if current else None)
            self._set_meta(conn, {f"{kind}.high_water": high})
        return len(values)

    def record_pos(self, rows: Iterable[tuple[str, str, str | datetime | None]]) -> int:
        """Remember PO numbers customers used: ``(customer_number, po, used_at)`` rows."""
        values = [(po.strip().upper(), po.strip(), number, rowmod.iso(used))
                  for number, po, used in rows if po and po.strip()]
        if not values:
            return 0
        conn = self._conn()
        with transaction(conn):
            conn.executemany(
                "INSERT INTO idx_customer_pos (po_key, po, customer_number, used_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (po_key, customer_number) DO UPDATE SET used_at = max(coalesce(used_at, ''), "
                "coalesce(excluded.used_at, ''))", values)
        return len(values)

    def po_used_before(self, customer_number: str, po: str) -> bool:
        """Whether the index knows ``customer_number`` already used ``po`` (case-insensitive)."""
        row = self._conn().execute(
            "SELECT 1 FROM idx_customer_pos WHERE po_key = ? AND customer_number = ?",
            (po.strip().upper(), customer_number)).fetchone()
        return row is not None

    # --- what a customer bought before, and stock (index/history.py) ---------------------
    def record_history(self, customer_number: str, lines: Iterable[PastLine], at: datetime | None = None) -> int:
        """Replace the customer's stored order lines (their last orders, as read from the API)."""
        conn = self._conn()
        with transaction(conn):
            return history.replace_history(conn, customer_number, lines, at or _utcnow())

    def order_guide(self, customer_number: str, last_n: int = GUIDE_ORDERS) -> OrderGuide:
        """What the customer bought in their last ``last_n`` stored orders, most often and latest first."""
        return history.order_guide(self._conn(), customer_number, last_n)

    def last_bought(self, customer_number: str) -> OrderGuide:
        """Every SKU of the customer's stored history with the last price paid (``GuideItem.last_price``)."""
        return history.order_guide(self._conn(), customer_number, 1_000_000)

    def stock(self, skus: Iterable[str]) -> dict[str, int | None]:
        """``quantityOnHand`` by SKU for those the index holds (None: the API gave none)."""
        wanted = list(dict.fromkeys(skus))
        found: dict[str, int | None] = {}
        conn = self._conn()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for sku, on_hand in conn.execute(f"SELECT sku, on_hand FROM idx_products WHERE sku IN ({marks})", chunk):
                found[sku] = on_hand
        return found

    def stock_as_of(self) -> datetime | None:
        """When the products (and so their stock) were last brought up to date from the API."""
        meta = self._meta(self._conn())
        stamp = meta.get("products.refreshed_at") or meta.get("products.full_fill_at")
        return _when(stamp)

    # --- customer search ---------------------------------------------------------
    def search_customers(self, text: str, limit: int = 20) -> list[CustomerHit]:
        """Customers by number, phone, email, recent PO or name, best first.

        Exact number, then number prefix, phone digits, email prefix, PO prefix and
        name prefix (all B-tree range scans), then word-prefix full-text matches
        ranked by BM25.  Each step runs only while fewer than ``limit`` were found.
        """
        text = text.strip()
        if not text or limit <= 0:
            return []
        conn = self._conn()
        found: dict[str, CustomerHit] = {}

        def take(sql: str, args: tuple[object, ...], matched_on: str, po_col: bool = False) -> bool:
            for row in conn.execute(sql, (*args, limit - len(found))):
                number = row[0]
                if number not in found:
                    found[number] = _customer_hit(row, matched_on, row[-1] if po_col else None)
            return len(found) >= limit

        upper = text.upper()
        lo, hi = prefix_range(upper)
        steps: list[tuple[str, tuple[object, ...], str, bool]] = [
            (f"{_CUSTOMER_SELECT} WHERE c.number_key = ? LIMIT ?", (upper,), "number", False),
            (f"{_CUSTOMER_SELECT} WHERE c.number_key >= ? AND c.number_key < ? ORDER BY c.number_key LIMIT ?",
             (lo, hi), "number", False),
        ]
        digits = rowmod.digits(text)
        if len(digits) >= 3 and len(digits) * 2 >= len(text.replace(" ", "")):
            dlo, dhi = prefix_range(digits)
            steps.append((f"{_CUSTOMER_SELECT} WHERE c.phone_digits >= ? AND c.phone_digits < ? "
                          "ORDER BY c.phone_digits LIMIT ?", (dlo, dhi), "phone", False))
        if " " not in text:  # the start of an email address ("orders", "ap@north")
            elo, ehi = prefix_range(text.casefold())
            steps.append((f"{_CUSTOMER_SELECT} WHERE c.email COLLATE NOCASE >= ? AND c.email COLLATE NOCASE < ? "
                          "ORDER BY c.email COLLATE NOCASE LIMIT ?", (elo, ehi), "email", False))
        steps.append((f"SELECT {_CUSTOMER_COLS}, po.po FROM idx_customer_pos po "
                      "JOIN idx_customers c ON c.number = po.customer_number "
                      "WHERE po.po_key >= ? AND po.po_key < ? ORDER BY po.used_at DESC LIMIT ?",
                      (lo, hi), "po", True))
        nlo, nhi = prefix_range(text.casefold())
        steps.append((f"{_CUSTOMER_SELECT} WHERE c.name_key >= ? AND c.name_key < ? ORDER BY c.name_key LIMIT ?",
                      (nlo, nhi), "name", False))
        for sql, args, matched_on, po_col in steps:
            if take(sql, args, matched_on, po_col):
                return list(found.values())
        query = fts_prefix_query(text)
        if query is not None:
            sql = (f"{_CUSTOMER_SELECT} JOIN ({_ranked('idx_customers_fts')}) f ON f.id = c.id ORDER BY f.rank")
            for row in conn.execute(sql, (query, RANK_WINDOW, limit * 2)):
                if row[0] not in found:
                    found[row[0]] = _customer_hit(row, "text", None)
                    if len(found) >= limit:
                        break
        return list(found.values())

    # --- product search ----------------------------------------------------------
    def search_products(self, text: str, limit: int = 10) -> list[ProductHit]:
        """Products for cart type-ahead: exact SKU or UPC, then SKU prefix, then words of SKU, name, UPC."""
        text = text.strip()
        if not text or limit <= 0:
            return []
        conn = self._conn()
        found: dict[str, ProductHit] = {}
        upper = text.upper()
        lo, hi = prefix_range(upper)
        steps: list[tuple[str, tuple[object, ...], str]] = [
            (f"{_PRODUCT_SELECT} WHERE p.sku_key = ? LIMIT ?", (upper,), "sku"),
        ]
        if text.isdigit():
            steps.append((f"{_PRODUCT_SELECT} WHERE p.upc = ? LIMIT ?", (text,), "upc"))
        steps.append((f"{_PRODUCT_SELECT} WHERE p.sku_key >= ? AND p.sku_key < ? ORDER BY p.sku_key LIMIT ?",
                      (lo, hi), "sku-prefix"))
        if text.isdigit() and len(text) >= 4 and not looks_like_upc(text):
            steps.append((f"{_PRODUCT_SELECT} WHERE p.upc >= ? AND p.upc < ? ORDER BY p.upc LIMIT ?",
                          prefix_range(text), "upc"))
        for sql, args, matched_on in steps:
            for row in conn.execute(sql, (*args, limit - len(found))):
                if row[0] not in found:
                    found[row[0]] = _product_hit(row, matched_on)
            if len(found) >= limit:
                return list(found.values())
        query = fts_prefix_query(text)
        if query is not None:
            sql = (f"{_PRODUCT_SELECT} JOIN ({_ranked('idx_products_fts')}) f ON f.id = p.id ORDER BY f.rank")
            for row in conn.execute(sql, (query, RANK_WINDOW, limit * 2)):
                if row[0] not in found:
                    found[row[0]] = _product_hit(row, "text")
                    if len(found) >= limit:
                        break
        return list(found.values())

    def get_product(self, code: str) -> ProductHit | None:
        """The product whose SKU (any case) or UPC is ``code``."""
        hits = self.search_products(code, limit=1)
        return hits[0] if hits and hits[0].matched_on in ("sku", "upc") else None


@functools.lru_cache(maxsize=16)
def _upsert_sql(table: str, key: str, columns: tuple[str, ...], rows: int) -> str:
    """Upsert ``rows`` rows of ``columns``; unchanged rows are skipped, so a repeated refresh rewrites nothing
    in the FTS table."""
    changed = " OR ".join(f"{table}.{c} IS NOT excluded.{c}" for c in columns if c != key)
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    row = "(" + ", ".join("?" for _ in columns) + ")"
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(itertools.repeat(row, rows))} "
            f"ON CONFLICT ({key}) DO UPDATE SET {sets} WHERE {changed}")


def _ranked(fts_table: str) -> str:
    """Row ids of the best BM25 matches among the first ``RANK_WINDOW`` matches.

    Ranking every match of a one- or two-letter prefix over 200,000 rows costs tens of
    milliseconds; ranking a window keeps each keystroke cheap, and a query narrow enough
    to have fewer matches than the window (the usual case after three letters) is ranked
    in full.
    """
    return (f"SELECT id, rank FROM (SELECT rowid AS id, rank FROM {fts_table} WHERE {fts_table} MATCH ? "
            "LIMIT ?) ORDER BY rank LIMIT ?")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown index kind {kind!r}; expected one of {KINDS}")
    return kind


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _customer_hit(row: tuple[Any, ...], matched_on: str, po: str | None) -> CustomerHit:
    return CustomerHit(
        number=row[0], name=row[1], email=row[2], phone=row[3], active=bool(row[4]), credit_hold=bool(row[5]),
        price_tier=row[6], terms=row[7], currency=row[8], rep_number=row[9], city=row[10], region=row[11],
        credit_limit=_dec(row[12]), balance=_dec(row[13]), matched_po=po, matched_on=matched_on,
    )


def _product_hit(row: tuple[Any, ...], matched_on: str) -> ProductHit:
    prices = tuple(TierBreak(t, Decimal(p), int(q)) for t, p, q in json.loads(row[10]))
    return ProductHit(
        sku=row[0], name=row[1], upc=row[2], price=Decimal(row[3]), currency=row[4], active=bool(row[5]),
        minimum=row[6], increment=row[7], quantity_on_hand=row[8], category=row[9], prices=prices,
        matched_on=matched_on,
    )
