"""The index's tables inside the drafts database file.

Every table is prefixed ``idx_`` and the index keeps its own schema version in
``idx_meta``; ``PRAGMA user_version`` belongs to the drafts store and is never
touched here.  The index is a cache: when its version changes the ``idx_``
tables are dropped and refilled, so there are no migrations.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from nymble_desk.index.history import DDL as HISTORY_DDL, TABLES as HISTORY_TABLES

SCHEMA_VERSION = 4  # 3: idx_order_lines (index/history.py); 4: FTS5 automerge 16, customers' indexes deferrable

# unicode61 splits "CUST-1042" into "cust" "1042" and "ops@x.com" into "ops" "x" "com";
# the prefix indexes make one- to three-letter type-ahead cheap.
_FTS_OPTIONS = "tokenize = \"unicode61 remove_diacritics 2\", prefix = '1 2 3 4'"

#: FTS5 merges segments once this many are on one level (default 4).  Each page of a fill is one
#: transaction and so one new segment: at 4, 300 pages rewrite the full-text index about four times over
#: (~40% of the fill's SQL); at 16, about twice, and queries over the finished index are as fast.
_AUTOMERGE = 16

#: Secondary indexes of the customers that only the search of a *filled* index uses (the lookup asks the API
#: until the first full fill is done).  A full fill into an empty table creates them after its last page:
#: 100,000 rows in random order cost ~1.4 s of index writes page by page, ~0.25 s in one sort at the end.
DEFERRABLE_INDEXES: dict[str, tuple[tuple[str, str], ...]] = {
    "customers": (
        ("idx_customers_name_key", "CREATE INDEX IF NOT EXISTS idx_customers_name_key ON idx_customers (name_key)"),
        ("idx_customers_phone", "CREATE INDEX IF NOT EXISTS idx_customers_phone ON idx_customers (phone_digits)"),
        ("idx_customers_email",
         "CREATE INDEX IF NOT EXISTS idx_customers_email ON idx_customers (email COLLATE NOCASE)"),
    ),
    "products": (),
}

_DDL = f"""
CREATE TABLE IF NOT EXISTS idx_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS idx_customers (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    number_key TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    name_key TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    phone_digits TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    credit_hold INTEGER NOT NULL DEFAULT 0,
    tier TEXT NOT NULL DEFAULT '',
    terms TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL DEFAULT 'USD',
    rep_number TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    credit_limit TEXT,
    balance TEXT,
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS idx_customers_number_key ON idx_customers (number_key);
{{customers_deferrable}}

CREATE VIRTUAL TABLE IF NOT EXISTS idx_customers_fts USING fts5 (
    number, name, email, phone, phone_digits,
    content = 'idx_customers', content_rowid = 'id', {_FTS_OPTIONS}
);
INSERT INTO idx_customers_fts (idx_customers_fts, rank) VALUES ('automerge', {_AUTOMERGE});
CREATE TRIGGER IF NOT EXISTS idx_customers_ai AFTER INSERT ON idx_customers BEGIN
    INSERT INTO idx_customers_fts (rowid, number, name, email, phone, phone_digits)
    VALUES (new.id, new.number, new.name, new.email, new.phone, new.phone_digits);
END;
CREATE TRIGGER IF NOT EXISTS idx_customers_ad AFTER DELETE ON idx_customers BEGIN
    INSERT INTO idx_customers_fts (idx_customers_fts, rowid, number, name, email, phone, phone_digits)
    VALUES ('delete', old.id, old.number, old.name, old.email, old.phone, old.phone_digits);
END;
CREATE TRIGGER IF NOT EXISTS idx_customers_au AFTER UPDATE ON idx_customers BEGIN
    INSERT INTO idx_customers_fts (idx_customers_fts, rowid, number, name, email, phone, phone_digits)
    VALUES ('delete', old.id, old.number, old.name, old.email, old.phone, old.phone_digits);
    INSERT INTO idx_customers_fts (rowid, number, name, email, phone, phone_digits)
    VALUES (new.id, new.number, new.name, new.email, new.phone, new.phone_digits);
END;

CREATE TABLE IF NOT EXISTS idx_customer_pos (
    po_key TEXT NOT NULL,
    po TEXT NOT NULL,
    customer_number TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (po_key, customer_number)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS idx_products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    sku_key TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    upc TEXT NOT NULL DEFAULT '',
    price TEXT NOT NULL DEFAULT '0',
    currency TEXT NOT NULL DEFAULT 'USD',
    active INTEGER NOT NULL DEFAULT 1,
    minimum INTEGER NOT NULL DEFAULT 1,
    increment INTEGER NOT NULL DEFAULT 1,
    on_hand INTEGER,
    category TEXT NOT NULL DEFAULT '',
    prices_json TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS idx_products_sku_key ON idx_products (sku_key);
CREATE INDEX IF NOT EXISTS idx_products_upc ON idx_products (upc);

CREATE VIRTUAL TABLE IF NOT EXISTS idx_products_fts USING fts5 (
    sku, name, upc,
    content = 'idx_products', content_rowid = 'id', {_FTS_OPTIONS}
);
INSERT INTO idx_products_fts (idx_products_fts, rank) VALUES ('automerge', {_AUTOMERGE});
CREATE TRIGGER IF NOT EXISTS idx_products_ai AFTER INSERT ON idx_products BEGIN
    INSERT INTO idx_products_fts (rowid, sku, name, upc) VALUES (new.id, new.sku, new.name, new.upc);
END;
CREATE TRIGGER IF NOT EXISTS idx_products_ad AFTER DELETE ON idx_products BEGIN
    INSERT INTO idx_products_fts (idx_products_fts, rowid, sku, name, upc)
    VALUES ('delete', old.id, old.sku, old.name, old.upc);
END;
CREATE TRIGGER IF NOT EXISTS idx_products_au AFTER UPDATE ON idx_products BEGIN
    INSERT INTO idx_products_fts (idx_products_fts, rowid, sku, name, upc)
    VALUES ('delete', old.id, old.sku, old.name, old.upc);
    INSERT INTO idx_products_fts (rowid, sku, name, upc) VALUES (new.id, new.sku, new.name, new.upc);
END;
""".replace("{customers_deferrable}", "".join(f"{sql};\n" for _, sql in DEFERRABLE_INDEXES["customers"]))

_TABLES = ("idx_customers_fts", "idx_customers", "idx_customer_pos", "idx_products_fts", "idx_products",
           *HISTORY_TABLES)


def _stored_version(conn: sqlite3.Connection) -> int | None:
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'idx_meta'").fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM idx_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def drop_all(conn: sqlite3.Connection) -> None:
    """Drop every ``idx_`` table (their triggers go with them) and the meta rows."""
    for table in _TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("DROP TABLE IF EXISTS idx_meta")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT on an autocommit (isolation_level=None) connection."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the index tables, or rebuild them empty when their version differs."""
    with transaction(conn):
        version = _stored_version(conn)
        if version == SCHEMA_VERSION:
            return
        if version is not None:
            drop_all(conn)
        for statement in _split(_DDL + HISTORY_DDL):
            conn.execute(statement)
        conn.execute(
            "INSERT OR REPLACE INTO idx_meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )


def _split(script: str) -> list[str]:
    """Split the DDL into statements (triggers hold ';' inside BEGIN ... END)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
