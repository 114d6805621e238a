"""The sandbox's SQLite database: schema, connections, transactions.

One file per data dir (``sandbox.sqlite3``), WAL mode, money as integer minor
units, times as ISO-8601 UTC text (``2024-03-15T10:22:00Z``), nested snapshots
(order customer, addresses) as JSON text.  FastAPI runs sync endpoints in a
thread pool, so connections come from a small pool (any thread may use one at a
time) and writes are serialised by one lock around ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, UTC
from pathlib import Path

from nymble_desk.sandbox.private import private_db_file

SCHEMA_VERSION = 3

# Columns added after version 1: (table, column, definition), applied to older files on open.
# ``discount_spec``: the discount object as given (JSON text, see sandbox/discounts.py), NULL for none.
ADDED_COLUMNS = (
    ("products", "updated_at", "TEXT"),
    ("orders", "discount_spec", "TEXT"),
    ("order_items", "discount_spec", "TEXT"),
    ("invoices", "discount_spec", "TEXT"),
    # version 3: the invoice-level discount (lifecycle page), on top of the order's share
    ("invoices", "own_discount", "INTEGER NOT NULL DEFAULT 0"),
    ("invoices", "own_discount_spec", "TEXT"),
)
#: The price tiers every organisation had before version 3 made them the organisation's own data.
LEGACY_TIERS = ("Wholesale", "Retail", "Distributor")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orgs (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, currency TEXT NOT NULL,
  next_order INTEGER NOT NULL DEFAULT 1, next_invoice INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS clients (
  org_id TEXT NOT NULL, client_id TEXT NOT NULL, secret_hash TEXT NOT NULL, role TEXT NOT NULL,
  user_id TEXT NOT NULL, rep_number TEXT, customer_number TEXT, PRIMARY KEY (org_id, client_id));
CREATE TABLE IF NOT EXISTS salesreps (
  org_id TEXT NOT NULL, rep_number TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
  email TEXT, phone TEXT, active INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (org_id, rep_number));
CREATE TABLE IF NOT EXISTS customers (
  org_id TEXT NOT NULL, customer_number TEXT NOT NULL, company_name TEXT NOT NULL,
  company_email TEXT, company_phone TEXT, company_fax TEXT, active INTEGER NOT NULL DEFAULT 1,
  credit_hold INTEGER NOT NULL DEFAULT 0, rep_number TEXT, pricing TEXT NOT NULL, terms TEXT,
  currency TEXT NOT NULL, credit_limit INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL,
  PRIMARY KEY (org_id, customer_number));
CREATE INDEX IF NOT EXISTS customers_rep ON customers (org_id, rep_number);
CREATE INDEX IF NOT EXISTS customers_name ON customers (org_id, company_name);
CREATE TABLE IF NOT EXISTS addresses (
  id INTEGER PRIMARY KEY, org_id TEXT NOT NULL, customer_number TEXT NOT NULL,
  address_type TEXT NOT NULL, is_default INTEGER NOT NULL DEFAULT 0, name TEXT, address1 TEXT NOT NULL,
  address2 TEXT, city TEXT, state_province TEXT, postal_code TEXT, country TEXT, phone TEXT, email TEXT);
CREATE INDEX IF NOT EXISTS addresses_customer ON addresses (org_id, customer_number);
CREATE TABLE IF NOT EXISTS products (
  org_id TEXT NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL, description TEXT, category TEXT,
  upc TEXT, active INTEGER NOT NULL DEFAULT 1, price INTEGER NOT NULL, currency TEXT NOT NULL,
  quantity_on_hand INTEGER NOT NULL DEFAULT 0, moq INTEGER NOT NULL DEFAULT 1,
  increment INTEGER NOT NULL DEFAULT 1, external_id TEXT, updated_at TEXT, PRIMARY KEY (org_id, sku));
CREATE INDEX IF NOT EXISTS products_upc ON products (org_id, upc);
CREATE TABLE IF NOT EXISTS tier_prices (
  org_id TEXT NOT NULL, sku TEXT NOT NULL, tier TEXT NOT NULL, at_quantity INTEGER NOT NULL,
  price INTEGER NOT NULL, PRIMARY KEY (org_id, sku, tier, at_quantity));
CREATE TABLE IF NOT EXISTS carts (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, customer_number TEXT NOT NULL, order_type TEXT NOT NULL,
  status TEXT NOT NULL, po_number TEXT, shipping TEXT, order_number TEXT, confirmation_id TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS carts_customer ON carts (org_id, customer_number, status);
CREATE TABLE IF NOT EXISTS cart_items (
  cart_id TEXT NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (cart_id, sku));
CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, order_number TEXT NOT NULL, order_date TEXT NOT NULL,
  order_status TEXT NOT NULL, order_type TEXT NOT NULL, po_number TEXT, price_tier TEXT, currency TEXT NOT NULL,
  terms TEXT, channel TEXT, external_id TEXT, notes TEXT, origination_cart_id TEXT,
  customer_number TEXT NOT NULL, company_name TEXT, customer TEXT NOT NULL, primary_rep TEXT,
  taken_by_rep TEXT, user TEXT, shipping TEXT, tax INTEGER NOT NULL DEFAULT 0,
  subtotal INTEGER NOT NULL DEFAULT 0, discount INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (org_id, order_number));
CREATE INDEX IF NOT EXISTS orders_customer ON orders (org_id, customer_number);
CREATE INDEX IF NOT EXISTS orders_external ON orders (org_id, external_id);
CREATE INDEX IF NOT EXISTS orders_cart ON orders (org_id, origination_cart_id);
CREATE INDEX IF NOT EXISTS orders_created ON orders (org_id, created_at);
CREATE TABLE IF NOT EXISTS order_items (
  order_id TEXT NOT NULL, line INTEGER NOT NULL, sku TEXT NOT NULL, product_name TEXT,
  external_id TEXT, quantity INTEGER NOT NULL, price INTEGER NOT NULL, discount INTEGER NOT NULL DEFAULT 0,
  moq INTEGER NOT NULL DEFAULT 1, increment INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (order_id, line));
CREATE TABLE IF NOT EXISTS invoices (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, invoice_number TEXT NOT NULL, order_id TEXT NOT NULL,
  order_number TEXT NOT NULL, external_id TEXT, customer_number TEXT NOT NULL, customer TEXT NOT NULL,
  primary_rep TEXT, po_number TEXT, invoice_date TEXT NOT NULL, due_date TEXT, terms TEXT,
  currency TEXT NOT NULL, status TEXT NOT NULL, items TEXT NOT NULL, tax INTEGER NOT NULL DEFAULT 0,
  shipping INTEGER NOT NULL DEFAULT 0, subtotal INTEGER NOT NULL DEFAULT 0,
  discount INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0, notes TEXT,
  status_reason TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (org_id, invoice_number));
CREATE INDEX IF NOT EXISTS invoices_order ON invoices (order_id);
CREATE INDEX IF NOT EXISTS invoices_customer ON invoices (org_id, customer_number, status);
CREATE TABLE IF NOT EXISTS payments (
  id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
  method TEXT NOT NULL, status TEXT NOT NULL, payment_date TEXT NOT NULL, reference TEXT, notes TEXT,
  card_type TEXT, last4 TEXT, original_payment_id TEXT, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS payments_invoice ON payments (invoice_id);
CREATE TABLE IF NOT EXISTS price_tiers (
  org_id TEXT NOT NULL, name TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (org_id, name));
CREATE TABLE IF NOT EXISTS emails (
  id INTEGER PRIMARY KEY, org_id TEXT NOT NULL, order_id TEXT NOT NULL, addresses TEXT NOT NULL,
  subject TEXT NOT NULL, sent_at TEXT NOT NULL);
"""


def _fill_tiers(con: sqlite3.Connection) -> None:
    """A file from before version 3 has organisations but no price_tiers: give each the tiers it could use
    then (the fixed list) plus any its customers or tier prices name, so nothing it holds becomes invalid."""
    for (org,) in con.execute("SELECT id FROM orgs WHERE id NOT IN (SELECT org_id FROM price_tiers)").fetchall():
        names = list(LEGACY_TIERS)
        for (name,) in con.execute("SELECT DISTINCT pricing FROM customers WHERE org_id = ? UNION"
                                   " SELECT DISTINCT tier FROM tier_prices WHERE org_id = ?", (org, org)):
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        con.executemany("INSERT INTO price_tiers VALUES (?, ?, ?)", [(org, n, i) for i, n in enumerate(names)])


def utc_now() -> str:
    """Now as the API writes times: ISO-8601 UTC with a ``Z``, whole seconds."""
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Database:
    """A pool of connections to one SQLite file; ``write()`` is one serialised transaction."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        private_db_file(self.path)  # 0600 before SQLite writes the secret into it
        self._pool: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.RLock()
        with self.connection() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA)
            for table, column, definition in ADDED_COLUMNS:
                have = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
            _fill_tiers(con)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        private_db_file(self.path)  # and the -wal/-shm beside it

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        con.row_factory = sqlite3.Row
        # Text filters compare case-insensitively as Python does (SQLite's lower() is ASCII-only,
        # so "ÉRP-7" never matched a filter value Python lowered to "érp-7").
        con.create_function("ulower", 1, lambda v: v.lower() if isinstance(v, str) else v, deterministic=True)
        con.execute("PRAGMA busy_timeout=30000")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA foreign_keys=ON")
        return con

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads (autocommit); returned to the pool afterwards."""
        with self._pool_lock:
            con = self._pool.pop() if self._pool else None
        if con is None:
            con = self._connect()
        try:
            yield con
        finally:
            if con.in_transaction:
                con.rollback()
            with self._pool_lock:
                if len(self._pool) < 8:
                    self._pool.append(con)
                    con = None
            if con is not None:
                con.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; commits on success, rolls back on any exception."""
        with self._write_lock, self.connection() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.rollback()
                raise
            con.commit()

    def meta(self, key: str) -> str | None:
        with self.connection() as con:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, []
        for con in pool:
            con.close()
