"""Schema of the draft cache, versioned in ``PRAGMA user_version``.

Each entry of :data:`MIGRATIONS` takes the schema from version ``i`` to
``i + 1``; they run in order, each in its own transaction together with the
version bump, so a crash mid-migration leaves the previous version intact.
Never edit a released migration: append a new one.

There is deliberately no column for a card number or a CVV anywhere.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: drafts, their lines, the journal and the outbox
    """
    CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL,
        customer_name TEXT NOT NULL DEFAULT '',
        currency TEXT NOT NULL DEFAULT 'USD',
        price_tier TEXT,
        terms TEXT,
        ship_to TEXT,                      -- JSON address or NULL
        po_number TEXT,
        notes TEXT,
        state TEXT NOT NULL DEFAULT 'local',
        remote_cart_id TEXT,
        external_id TEXT NOT NULL,
        order_number TEXT,
        confirmation_id TEXT,
        last_error TEXT,
        conflicts TEXT NOT NULL DEFAULT '[]',   -- JSON list of plain-words messages
        remote_lines TEXT,                      -- JSON {sku: qty} last seen on the server cart
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX drafts_customer ON drafts(customer_number, state);
    CREATE TABLE draft_lines (
        draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        sku TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        quantity INTEGER NOT NULL,              -- 0: removed (kept for sync bookkeeping)
        unit_price_minor INTEGER NOT NULL,
        minimum INTEGER NOT NULL DEFAULT 1,
        increment INTEGER NOT NULL DEFAULT 1,
        upc TEXT,
        list_price_minor INTEGER,
        tier_prices TEXT NOT NULL DEFAULT '[]', -- JSON [{tier, price, atQuantity}] (price as string)
        synced_quantity INTEGER,                -- last quantity confirmed on the server cart
        sent_quantity INTEGER,                  -- quantity of a change sent but not yet confirmed
        PRIMARY KEY (draft_id, sku)
    );
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX journal_draft ON journal(draft_id, id);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        key TEXT NOT NULL,                      -- line:{sku} | shipping | po | checkout
        payload TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending', -- pending | failed
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX outbox_fold ON outbox(draft_id, key) WHERE status = 'pending';
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: the order's own terms (docs/order-terms.md), entered before placing; sent with the checkout
    """
    ALTER TABLE drafts ADD COLUMN shipping_method TEXT;
    ALTER TABLE drafts ADD COLUMN shipping_minor INTEGER;   -- shipping cost, minor units
    ALTER TABLE drafts ADD COLUMN tax_minor INTEGER;        -- tax the rep set, minor units
    ALTER TABLE drafts ADD COLUMN discount TEXT;            -- JSON {type, value} (value a decimal string) or NULL
    ALTER TABLE drafts ADD COLUMN line_discounts TEXT;      -- JSON {sku: {type, value}} or NULL
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(con: sqlite3.Connection) -> int:
    return int(con.execute("PRAGMA user_version").fetchone()[0])


def migrate(con: sqlite3.Connection) -> int:
    """Bring the database up to :data:`SCHEMA_VERSION`; returns the version found before.

    Refuses a file written by a newer nymble-desk rather than guessing.
    """
    found = schema_version(con)
    if found > SCHEMA_VERSION:
        raise RuntimeError(
            f"the draft cache has schema version {found}, newer than this nymble-desk knows ({SCHEMA_VERSION}); "
            "upgrade nymble-desk"
        )
    for version in range(found, SCHEMA_VERSION):
        con.execute("BEGIN IMMEDIATE")
        try:
            # re-check under the write lock: another process may have migrated meanwhile
            if schema_version(con) != version:
                con.execute("ROLLBACK")
                continue
            for statement in _statements(MIGRATIONS[version]):
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {version + 1}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return found


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own).

    Line comments are dropped first; a piece ending in ``;`` is a statement once
    SQLite says it is complete (so a trigger body's inner ``;`` stays inside).
    """
    code = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
    out: list[str] = []
    buf = ""
    for piece in code.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n\t;"):
                out.append(buf.strip())
            buf = ""
    return out
