"""The sync engine's bookkeeping half of :class:`~nymble_desk.drafts.store.DraftStore`.

Remote cart id, states, conflicts, and per line the quantity last confirmed on
the server (``synced``) and the quantity of a change sent but not yet
confirmed (``sent``): with these a lost reply is recognised as our own change
and anything else on the server as a change made elsewhere.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

from nymble_desk.domain.money import to_minor
from nymble_desk.drafts.models import Draft, DraftState, RemoteLines
from nymble_desk.drafts.outbox import _now


class SyncBookMixin:
    @property
    def _con(self) -> sqlite3.Connection:  # provided by DraftStore
        raise NotImplementedError

    # provided by DraftStore
    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _row(self, con: sqlite3.Connection, draft_id: str) -> sqlite3.Row:
        raise NotImplementedError

    def _open_row(self, con: sqlite3.Connection, draft_id: str) -> sqlite3.Row:
        raise NotImplementedError

    def _fresh(self, con: sqlite3.Connection, draft_id: str) -> Draft:
        raise NotImplementedError

    def _journal(self, con: sqlite3.Connection, draft_id: str, action: str, **detail: Any) -> None:
        raise NotImplementedError

    def _enqueue(self, con: sqlite3.Connection, draft_id: str, key: str, payload: dict[str, Any]) -> None:
        raise NotImplementedError

    def _touch(self, con: sqlite3.Connection, draft_id: str, *, queued: bool) -> None:
        raise NotImplementedError

    def set_remote_cart(self, draft_id: str, cart_id: str | None) -> Draft:
        with self._tx() as con:
            self._row(con, draft_id)
            con.execute(
                "UPDATE drafts SET remote_cart_id = ?, updated_at = ? WHERE id = ?", (cart_id, _now(), draft_id)
            )
            if cart_id is None:  # the cart is gone: nothing is on the server any more
                con.execute("UPDATE draft_lines SET synced_quantity = NULL, sent_quantity = NULL WHERE draft_id = ?",
                            (draft_id,))
            self._journal(con, draft_id, "remote_cart", cart_id=cart_id)
            return self._fresh(con, draft_id)

    def set_state(self, draft_id: str, state: str, error: str | None = None) -> Draft:
        if state not in DraftState.ALL:
            raise ValueError(f"unknown draft state {state!r}")
        with self._tx() as con:
            self._row(con, draft_id)
            con.execute("UPDATE drafts SET state = ?, last_error = ?, updated_at = ? WHERE id = ?",
                        (state, error, _now(), draft_id))
            self._journal(con, draft_id, "state", state=state, error=error)
            return self._fresh(con, draft_id)

    def record_conflicts(
        self, draft_id: str, conflicts: list[str], remote_lines: RemoteLines | None = None
    ) -> Draft:
        """Store what needs the rep (plain words); the draft goes to ``conflict`` (or leaves it when empty)."""
        with self._tx() as con:
            row = self._row(con, draft_id)
            state = row["state"]
            if conflicts and state not in DraftState.CLOSED:
                state = DraftState.CONFLICT
            elif not conflicts and state == DraftState.CONFLICT:
                queued = con.execute("SELECT 1 FROM outbox WHERE draft_id = ? AND status = 'pending'",
                                     (draft_id,)).fetchone()
                state = (DraftState.PENDING if queued else
                         DraftState.SYNCED if row["remote_cart_id"] else DraftState.LOCAL)
            con.execute(
                "UPDATE drafts SET conflicts = ?, remote_lines = COALESCE(?, remote_lines), state = ?, updated_at = ? "
                "WHERE id = ?",
                (json.dumps(list(conflicts)), None if remote_lines is None else json.dumps(remote_lines), state, _now(),
                 draft_id),
            )
            self._journal(con, draft_id, "conflicts", conflicts=list(conflicts))
            return self._fresh(con, draft_id)

    def remote_lines(self, draft_id: str) -> RemoteLines:
        """The server cart's lines as last seen when conflicts were recorded."""
        row = self._con.execute("SELECT remote_lines FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if not row or not row["remote_lines"]:
            return {}
        seen: RemoteLines = json.loads(row["remote_lines"])
        return seen

    def line_sync(self, draft_id: str) -> dict[str, tuple[int, int | None, int | None]]:
        """{sku: (draft quantity, synced quantity, sent quantity)} including removed lines."""
        return {
            r["sku"]: (r["quantity"], r["synced_quantity"], r["sent_quantity"])
            for r in self._con.execute(
                "SELECT sku, quantity, synced_quantity, sent_quantity FROM draft_lines WHERE draft_id = ?", (draft_id,)
            )
        }

    def mark_line_sent(self, draft_id: str, sku: str, quantity: int) -> None:
        """Record, before sending, the quantity a change will leave on the server.

        That recognises the change after a lost reply."""
        with self._tx() as con:
            con.execute(
                "UPDATE draft_lines SET sent_quantity = ? WHERE draft_id = ? AND sku = ?", (quantity, draft_id, sku)
            )

    def settle_line(self, draft_id: str, sku: str, quantity: int, op_id: int) -> None:
        """The server holds ``quantity`` of the line: record it and retire the op, in one transaction."""
        with self._tx() as con:
            con.execute(
                "UPDATE draft_lines SET synced_quantity = ?, sent_quantity = NULL WHERE draft_id = ? AND sku = ?",
                (quantity, draft_id, sku),
            )
            con.execute("DELETE FROM outbox WHERE id = ?", (op_id,))

    def mark_line_synced(self, draft_id: str, sku: str, quantity: int) -> None:
        with self._tx() as con:
            con.execute(
                "UPDATE draft_lines SET synced_quantity = ?, sent_quantity = NULL WHERE draft_id = ? AND sku = ?",
                (quantity, draft_id, sku),
            )

    def adopt_line(self, draft_id: str, sku: str, quantity: int, *, name: str, unit_price: Decimal,
                   synced: bool = True) -> Draft:
        """Take the server's quantity (and price) for a line: resolving a conflict in the server's favour."""
        with self._tx() as con:
            row = self._open_row(con, draft_id)
            cur = row["currency"]
            if con.execute("SELECT 1 FROM draft_lines WHERE draft_id = ? AND sku = ?", (draft_id, sku)).fetchone():
                con.execute(
                    "UPDATE draft_lines SET quantity = ?, unit_price_minor = ?, synced_quantity = "
                    "?, sent_quantity = NULL "
                    "WHERE draft_id = ? AND sku = ?",
                    (quantity, to_minor(unit_price, cur), quantity if synced else None, draft_id, sku),
                )
            else:
                pos = con.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM draft_lines WHERE draft_id = ?",
                                  (draft_id,)).fetchone()[0]
                con.execute(
                    "INSERT INTO draft_lines(draft_id, sku, position, name, quantity, "
                    "unit_price_minor, synced_quantity) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (draft_id, sku, pos, name, quantity, to_minor(unit_price, cur), quantity if synced else None),
                )
            con.execute(
                "DELETE FROM outbox WHERE draft_id = ? AND key = ? AND status = 'pending'", (draft_id, f"line:{sku}")
            )
            self._journal(con, draft_id, "adopt_line", sku=sku, quantity=quantity, unit_price=str(unit_price))
            self._touch(con, draft_id, queued=False)
            return self._fresh(con, draft_id)

    def mark_submitted(self, draft_id: str, order_number: str, confirmation_id: str | None) -> Draft:
        with self._tx() as con:
            self._row(con, draft_id)
            con.execute(
                "UPDATE drafts SET state = 'submitted', order_number = ?, confirmation_id = ?, last_error = NULL, "
                "conflicts = '[]', updated_at = ? WHERE id = ?",
                (order_number, confirmation_id, _now(), draft_id),
            )
            con.execute("DELETE FROM outbox WHERE draft_id = ? AND status = 'pending'", (draft_id,))
            self._journal(con, draft_id, "submitted", order_number=order_number, confirmation_id=confirmation_id)
            return self._fresh(con, draft_id)

    def rebase_line(self, draft_id: str, sku: str, server_quantity: int) -> None:
        """Resolve a conflict in the draft's favour: take the server's quantity as the base and queue the draft's."""
        with self._tx() as con:
            row = con.execute(
                "SELECT quantity FROM draft_lines WHERE draft_id = ? AND sku = ?", (draft_id, sku)
            ).fetchone()
            if row is None:
                pos = con.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM draft_lines WHERE draft_id = ?",
                                  (draft_id,)).fetchone()[0]
                con.execute("INSERT INTO draft_lines(draft_id, sku, position, name, quantity, unit_price_minor, "
                            "synced_quantity) VALUES (?, ?, ?, ?, 0, 0, ?)", (draft_id, sku, pos, sku, server_quantity))
                quantity = 0
            else:
                quantity = row["quantity"]
                con.execute(
                    "UPDATE draft_lines SET synced_quantity = ?, sent_quantity = NULL WHERE draft_id = ? AND sku = ?",
                    (server_quantity, draft_id, sku),
                )
            self._journal(con, draft_id, "keep_mine", sku=sku, server_quantity=server_quantity, quantity=quantity)
            self._enqueue(con, draft_id, f"line:{sku}", {"sku": sku, "quantity": quantity})
