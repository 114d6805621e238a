"""DraftStore: the draft cache, its journal and the outbox, in one SQLite file.

Every mutation commits the change, a journal row and the folded outbox op in
one ``BEGIN IMMEDIATE`` transaction before it returns, so a caller that got a
return value can rely on the change surviving a crash.  Outbox ops are target
states: a newer change to the same line (or the shipping address, PO, checkout)
replaces the pending op (delete + insert, so a replay that was already reading
the older op can never complete the newer one by mistake).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator, Sequence

from nymble_desk import paths
from nymble_desk.drafts.db import ConnectionPool, open_checked
from nymble_desk.drafts.health import quick_check
from nymble_desk.drafts.models import Draft, DraftLine, DraftState, JournalEntry, OrderTerms
from nymble_desk.domain.totals import Discount
from nymble_desk.domain.money import from_minor, to_minor
from nymble_desk.drafts.outbox import OutboxMixin, _dt, _now
from nymble_desk.drafts.syncbook import SyncBookMixin
from nymble_desk.errors import (  # re-exported; defined in errors
    DraftClosed as DraftClosed,
    DraftNotFound as DraftNotFound,
)


#: A draft nothing was ever done to (opened, nothing added): never listed, dropped when its cart is left.
#: Only 'local' drafts with no line row, ship-to, PO, notes, server cart or outbox row qualify, so
#: nothing the rep entered, and nothing the server holds, can be lost by dropping one.
UNTOUCHED = (
    "state = 'local' AND remote_cart_id IS NULL AND ship_to IS NULL AND po_number IS NULL "
    "AND COALESCE(notes, '') = '' AND shipping_method IS NULL AND shipping_minor IS NULL AND tax_minor IS NULL "
    "AND discount IS NULL AND line_discounts IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM draft_lines l WHERE l.draft_id = drafts.id) "
    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.draft_id = drafts.id)"
)


class DraftStore(SyncBookMixin, OutboxMixin):
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.drafts_db_path()
        self._pool = ConnectionPool(self.path)
        open_checked(self.path, self._pool)  # raises DraftsDamaged (file untouched) when it cannot be read

    def check(self) -> str | None:
        """SQLite's quick_check of the draft tables (every page of them): None when fine, else what is wrong."""
        return quick_check(self._con)

    # -- plumbing -------------------------------------------------------------------------
    @property
    def _con(self) -> sqlite3.Connection:
        return self._pool.get()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def close(self) -> None:
        self._pool.close()

    def _journal(self, con: sqlite3.Connection, draft_id: str, action: str, **detail: Any) -> None:
        con.execute(
            "INSERT INTO journal(draft_id, at, action, detail) VALUES (?, ?, ?, ?)",
            (draft_id, _now(), action, json.dumps(detail, default=str, sort_keys=True)),
        )

    def _enqueue(self, con: sqlite3.Connection, draft_id: str, key: str, payload: dict[str, Any]) -> None:
        now = _now()
        con.execute("DELETE FROM outbox WHERE draft_id = ? AND key = ? AND status = 'pending'", (draft_id, key))
        con.execute(
            "INSERT INTO outbox(draft_id, key, payload, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (draft_id, key, json.dumps(payload, sort_keys=True), now, now),
        )

    def _row(self, con: sqlite3.Connection, draft_id: str) -> sqlite3.Row:
        row = con.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise DraftNotFound(f"no draft {draft_id}")
        assert isinstance(row, sqlite3.Row)
        return row

    def _open_row(self, con: sqlite3.Connection, draft_id: str) -> sqlite3.Row:
        row = self._row(con, draft_id)
        if row["state"] in (DraftState.SUBMITTED, DraftState.DISCARDED, DraftState.SUBMITTING):
            raise DraftClosed(f"draft {draft_id} is {row['state']} and can no longer change")
        return row

    def _touch(self, con: sqlite3.Connection, draft_id: str, *, queued: bool) -> None:
        """Bump updated_at; a queued change moves local/synced to pending, and a draft whose last change
        the server refused (state conflict, no recorded conflicts) too: the rep acted on it.  Recorded
        conflicts stay until resolved."""
        if queued:
            con.execute(
                "UPDATE drafts SET updated_at = ?, state = CASE WHEN state IN ('local', 'synced') "
                "OR (state = 'conflict' AND conflicts = '[]') THEN 'pending' ELSE state END WHERE id = ?",
                (_now(), draft_id),
            )
        else:
            con.execute("UPDATE drafts SET updated_at = ? WHERE id = ?", (_now(), draft_id))

    def _draft(self, con: sqlite3.Connection, row: sqlite3.Row) -> Draft:
        currency = row["currency"]
        lines = tuple(
            DraftLine(
                sku=r["sku"],
                name=r["name"],
                quantity=r["quantity"],
                unit_price=from_minor(r["unit_price_minor"], currency),
                minimum=r["minimum"],
                increment=r["increment"],
                upc=r["upc"],
                list_price=None if r["list_price_minor"] is None else from_minor(r["list_price_minor"], currency),
                tier_prices=tuple((t, Decimal(p), int(q)) for t, p, q in json.loads(r["tier_prices"])),
            )
            for r in con.execute(
                "SELECT * FROM draft_lines WHERE draft_id = ? AND quantity > 0 ORDER BY position", (row["id"],)
            )
        )
        queued = con.execute(
            "SELECT 1 FROM outbox WHERE draft_id = ? AND key = 'checkout' AND status = 'pending'", (row["id"],)
        ).fetchone()
        return Draft(
            id=row["id"],
            customer_number=row["customer_number"],
            customer_name=row["customer_name"],
            currency=currency,
            price_tier=row["price_tier"],
            terms=row["terms"],
            lines=lines,
            ship_to=json.loads(row["ship_to"]) if row["ship_to"] else None,
            po_number=row["po_number"],
            notes=row["notes"],
            state=row["state"],
            remote_cart_id=row["remote_cart_id"],
            external_id=row["external_id"],
            order_number=row["order_number"],
            confirmation_id=row["confirmation_id"],
            last_error=row["last_error"],
            conflicts=tuple(json.loads(row["conflicts"])),
            created_at=_dt(row["created_at"]),
            updated_at=_dt(row["updated_at"]),
            checkout_queued=queued is not None,
            order_terms=_terms_of(row, currency),
        )

    def _fresh(self, con: sqlite3.Connection, draft_id: str) -> Draft:
        return self._draft(con, self._row(con, draft_id))

    # -- readers --------------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One snapshot for a multi-statement read (a draft row, its lines and its outbox)."""
        con = self._con
        con.execute("BEGIN")
        try:
            yield con
        finally:
            con.execute("COMMIT")

    def get(self, draft_id: str) -> Draft:
        with self._read() as con:
            return self._fresh(con, draft_id)

    def recently_placed(self, hours: float = 24.0, limit: int = 10) -> list[Draft]:
        """Drafts placed as orders in the last ``hours`` (newest first): the drafts screen shows their numbers."""
        since = datetime.now(UTC) - timedelta(hours=hours)
        placed = [d for d in self.list_drafts(include_closed=True)
                  if d.state == DraftState.SUBMITTED and d.order_number and (d.updated_at or d.created_at) >= since]
        return placed[:limit]

    def list_drafts(self, include_closed: bool = False) -> list[Draft]:
        """The drafts in progress (not submitted, discarded or untouched), or with ``include_closed`` all."""
        sql = "SELECT * FROM drafts"
        if not include_closed:
            sql += f" WHERE state NOT IN ('submitted', 'discarded') AND NOT ({UNTOUCHED})"
        with self._read() as con:
            return [self._draft(con, row) for row in con.execute(sql + " ORDER BY updated_at DESC").fetchall()]

    def journal(self, draft_id: str) -> list[JournalEntry]:
        return [
            JournalEntry(r["id"], r["draft_id"], _dt(r["at"]), r["action"], json.loads(r["detail"]))
            for r in self._con.execute("SELECT * FROM journal WHERE draft_id = ? ORDER BY id", (draft_id,))
        ]

    # -- rep's changes (each: change + journal + outbox op, one transaction) --------------
    def create(
        self,
        customer_number: str,
        *,
        customer_name: str,
        currency: str,
        price_tier: str | None,
        terms: str | None = None,
    ) -> Draft:
        with self._tx() as con:
            row = con.execute(
                "SELECT * FROM drafts WHERE customer_number = ? AND state NOT IN ('submitted', 'discarded') "
                "ORDER BY created_at LIMIT 1",
                (customer_number,),
            ).fetchone()
            if row is not None:
                return self._draft(con, row)
            draft_id, now = str(uuid.uuid4()), _now()
            con.execute(
                "INSERT INTO drafts(id, customer_number, customer_name, currency, price_tier, terms, state, "
                "external_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'local', ?, ?, ?)",
                (draft_id, customer_number, customer_name, currency, price_tier, terms,
                 f"ND-{uuid.uuid4().hex[:16].upper()}", now, now),
            )
            self._journal(con, draft_id, "create", customer_number=customer_number, currency=currency)
            return self._fresh(con, draft_id)

    def set_line(
        self,
        draft_id: str,
        sku: str,
        quantity: int,
        *,
        name: str,
        unit_price: Decimal,
        minimum: int = 1,
        increment: int = 1,
        upc: str | None = None,
        list_price: Decimal | None = None,
        tier_prices: Sequence[tuple[str, Decimal, int]] = (),
    ) -> Draft:
        if quantity < 0:
            raise ValueError("quantity must not be negative")
        if quantity == 0:
            return self.remove_line(draft_id, sku)
        return self.set_lines(draft_id, [DraftLine(sku=sku, name=name, quantity=quantity, unit_price=unit_price,
                                                   minimum=minimum, increment=increment, upc=upc,
                                                   list_price=list_price, tier_prices=tuple(tier_prices))])

    def set_lines(self, draft_id: str, changes: Sequence[DraftLine]) -> Draft:
        """Set many lines in one transaction (a paste of 500 lines is one commit and one read-back, not 500).

        Each line is journalled and queued exactly as :meth:`set_line` does it, in the order given; either
        every change is committed or none is.  A quantity of 0 removes the line as :meth:`remove_line` does."""
        return self.change_lines(draft_id, lambda _draft: changes)

    def change_lines(self, draft_id: str, plan: Callable[[Draft], Sequence[DraftLine]]) -> Draft:
        """Read the draft and write the lines ``plan`` makes of it, in one ``BEGIN IMMEDIATE`` transaction.

        A change that depends on the lines already there (add 5 to a line) must be planned inside the
        write lock: read first and written later, two processes on one draft (a browser tab and a
        terminal) could each add to the quantity the other had not written yet, and one add was lost.
        An exception from ``plan`` writes nothing."""
        with self._tx() as con:
            row = self._open_row(con, draft_id)
            changes = plan(self._fresh(con, draft_id))
            for change in changes:
                if change.quantity < 0:
                    raise ValueError(f"{change.sku}: quantity must not be negative")
            cur = row["currency"]
            present = {r["sku"] for r in con.execute("SELECT sku FROM draft_lines WHERE draft_id = ?", (draft_id,))}
            pos = con.execute(
                "SELECT COALESCE(MAX(position), 0) FROM draft_lines WHERE draft_id = ?", (draft_id,)
            ).fetchone()[0]
            for c in changes:
                if c.quantity == 0:
                    con.execute("UPDATE draft_lines SET quantity = 0 WHERE draft_id = ? AND sku = ?", (draft_id, c.sku))
                    self._journal(con, draft_id, "remove_line", sku=c.sku)
                    self._enqueue(con, draft_id, f"line:{c.sku}", {"sku": c.sku, "quantity": 0})
                    continue
                tiers = json.dumps([[t, str(p), int(q)] for t, p, q in c.tier_prices])
                values = (c.name, c.quantity, to_minor(c.unit_price, cur), c.minimum, c.increment, c.upc,
                          None if c.list_price is None else to_minor(c.list_price, cur), tiers)
                if c.sku in present:
                    con.execute(
                        "UPDATE draft_lines SET name = ?, quantity = ?, unit_price_minor = ?, minimum = ?, "
                        "increment = ?, upc = ?, list_price_minor = ?, tier_prices = ? WHERE draft_id = ? AND sku = ?",
                        (*values, draft_id, c.sku),
                    )
                else:
                    pos += 1
                    present.add(c.sku)
                    con.execute(
                        "INSERT INTO draft_lines(name, quantity, unit_price_minor, minimum, increment, upc, "
                        "list_price_minor, tier_prices, draft_id, sku, position) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, draft_id, c.sku, pos),
                    )
                self._journal(con, draft_id, "set_line", sku=c.sku, quantity=c.quantity, unit_price=str(c.unit_price))
                self._enqueue(con, draft_id, f"line:{c.sku}", {"sku": c.sku, "quantity": c.quantity})
            if changes:
                self._touch(con, draft_id, queued=True)
            return self._fresh(con, draft_id)

    def remove_line(self, draft_id: str, sku: str) -> Draft:
        with self._tx() as con:
            self._open_row(con, draft_id)
            # the row stays with quantity 0: the sync engine still needs what the server last held
            con.execute("UPDATE draft_lines SET quantity = 0 WHERE draft_id = ? AND sku = ?", (draft_id, sku))
            self._journal(con, draft_id, "remove_line", sku=sku)
            self._enqueue(con, draft_id, f"line:{sku}", {"sku": sku, "quantity": 0})
            self._touch(con, draft_id, queued=True)
            return self._fresh(con, draft_id)

    def set_ship_to(self, draft_id: str, address: dict[str, Any]) -> Draft:
        with self._tx() as con:
            self._open_row(con, draft_id)
            con.execute("UPDATE drafts SET ship_to = ? WHERE id = ?", (json.dumps(address, sort_keys=True), draft_id))
            self._journal(con, draft_id, "set_ship_to", address=address)
            self._enqueue(con, draft_id, "shipping", {"address": address})
            self._touch(con, draft_id, queued=True)
            return self._fresh(con, draft_id)

    def set_po(self, draft_id: str, po: str | None) -> Draft:
        po = (po or "").strip() or None
        with self._tx() as con:
            self._open_row(con, draft_id)
            con.execute("UPDATE drafts SET po_number = ? WHERE id = ?", (po, draft_id))
            self._journal(con, draft_id, "set_po", po=po)
            self._enqueue(con, draft_id, "po", {"po": po})
            self._touch(con, draft_id, queued=True)
            return self._fresh(con, draft_id)

    def set_notes(self, draft_id: str, notes: str | None) -> Draft:
        with self._tx() as con:
            self._open_row(con, draft_id)
            con.execute("UPDATE drafts SET notes = ? WHERE id = ?", (notes, draft_id))
            self._journal(con, draft_id, "set_notes", notes=notes)
            self._touch(con, draft_id, queued=False)  # carts have no notes: nothing to send
            return self._fresh(con, draft_id)

    def set_order_terms(self, draft_id: str, terms: OrderTerms) -> Draft:
        """Store the order's own terms (replacing the ones before); sent with the checkout, not before."""
        with self._tx() as con:
            row = self._open_row(con, draft_id)
            currency = row["currency"]
            con.execute(
                "UPDATE drafts SET shipping_method = ?, shipping_minor = ?, tax_minor = ?, discount = ?, "
                "line_discounts = ? WHERE id = ?",
                (terms.shipping_method or None,
                 None if terms.shipping_cost is None else to_minor(terms.shipping_cost, currency),
                 None if terms.tax is None else to_minor(terms.tax, currency),
                 None if terms.discount is None else json.dumps(_discount_json(terms.discount)),
                 json.dumps({s: _discount_json(d) for s, d in terms.line_discounts}) if terms.line_discounts
                 else None, draft_id))
            self._journal(con, draft_id, "set_order_terms", shipping_method=terms.shipping_method,
                          shipping_cost=terms.shipping_cost, tax=terms.tax,
                          discount=None if terms.discount is None else _discount_json(terms.discount),
                          line_discounts={s: _discount_json(d) for s, d in terms.line_discounts})
            self._touch(con, draft_id, queued=False)  # carts hold none of it: sent with the checkout
            return self._fresh(con, draft_id)

    def queue_checkout(self, draft_id: str, request: dict[str, Any]) -> Draft:
        """Queue the checkout (channel, billing address, payment mode). Never pass card data here."""
        forbidden = {"card", "cardNumber", "card_number", "cvv", "creditCard", "credit_card"} & set(request)
        if forbidden:
            raise ValueError(f"card data must not be queued: {sorted(forbidden)}")
        with self._tx() as con:
            self._open_row(con, draft_id)
            self._journal(con, draft_id, "queue_checkout", **request)
            self._enqueue(con, draft_id, "checkout", request)
            con.execute(
                "UPDATE drafts SET updated_at = ?, last_error = NULL, "
                "state = CASE WHEN state = 'conflict' AND conflicts != '[]' THEN state ELSE 'pending' END WHERE id = ?",
                (_now(), draft_id),
            )
            return self._fresh(con, draft_id)

    def drop_untouched(self, draft_id: str) -> bool:
        """Delete the draft if nothing was ever done to it (see ``UNTOUCHED``); True when it was."""
        with self._tx() as con:
            # its journal (one "create" row) goes with it: ON DELETE CASCADE
            return bool(con.execute(f"DELETE FROM drafts WHERE id = ? AND {UNTOUCHED}", (draft_id,)).rowcount)

    def discard(self, draft_id: str) -> Draft:
        """Close the draft; lines already on a server cart are queued for removal so no cart keeps them."""
        with self._tx() as con:
            self._open_row(con, draft_id)
            con.execute("DELETE FROM outbox WHERE draft_id = ? AND status = 'pending'", (draft_id,))
            # anything sent may be on a server cart (even a create whose reply was lost): remove it there
            for r in con.execute(
                "SELECT sku FROM draft_lines WHERE draft_id = ? AND "
                "(COALESCE(synced_quantity, 0) > 0 OR COALESCE(sent_quantity, 0) > 0)",
                (draft_id,),
            ).fetchall():
                self._enqueue(con, draft_id, f"line:{r['sku']}", {"sku": r["sku"], "quantity": 0})
            con.execute("UPDATE draft_lines SET quantity = 0 WHERE draft_id = ?", (draft_id,))
            con.execute("UPDATE drafts SET state = 'discarded', updated_at = ? WHERE id = ?", (_now(), draft_id))
            self._journal(con, draft_id, "discard")
            return self._fresh(con, draft_id)


def _discount_json(discount: Discount) -> dict[str, str]:
    return {"type": discount.type, "value": str(discount.value)}


def _terms_of(row: sqlite3.Row, currency: str) -> OrderTerms:
    """The draft row's order terms (all NULL: none set)."""
    def discount(data: dict[str, str]) -> Discount:
        return Discount(data["type"], Decimal(data["value"]))  # type: ignore[arg-type]

    lines = json.loads(row["line_discounts"]) if row["line_discounts"] else {}
    return OrderTerms(
        shipping_method=row["shipping_method"],
        shipping_cost=None if row["shipping_minor"] is None else from_minor(row["shipping_minor"], currency),
        tax=None if row["tax_minor"] is None else from_minor(row["tax_minor"], currency),
        discount=discount(json.loads(row["discount"])) if row["discount"] else None,
        line_discounts=tuple((sku, discount(d)) for sku, d in lines.items()),
    )
