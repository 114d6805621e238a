"""The outbox half of :class:`~nymble_desk.drafts.store.DraftStore`: reading and settling queued ops.

Ops are written by the store's mutations (folded per draft and key); the sync
engine reads them in order and settles each: ``complete_op`` when the server
holds the target state, ``note_attempt`` on a transient failure (it stays
queued), ``fail_op`` when the server refused it for good.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from datetime import datetime, UTC

from nymble_desk.drafts.models import OutboxOp


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


class OutboxMixin:
    @property
    def _con(self) -> sqlite3.Connection:  # provided by DraftStore
        raise NotImplementedError

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:  # provided by DraftStore
        raise NotImplementedError

    # -- outbox -------------------------------------------------------------------------
    def _op(self, r: sqlite3.Row) -> OutboxOp:
        return OutboxOp(r["id"], r["draft_id"], r["key"], json.loads(r["payload"]), r["status"], r["attempts"],
                        r["last_error"], _dt(r["created_at"]), _dt(r["updated_at"]))

    def pending_ops(self, draft_id: str | None = None) -> list[OutboxOp]:
        if draft_id is None:
            rows = self._con.execute("SELECT * FROM outbox WHERE status = 'pending' ORDER BY id").fetchall()
        else:
            rows = self._con.execute(
                "SELECT * FROM outbox WHERE status = 'pending' AND draft_id = ? ORDER BY id", (draft_id,)
            ).fetchall()
        return [self._op(r) for r in rows]

    def failed_ops(self, draft_id: str | None = None) -> list[OutboxOp]:
        sql, args = "SELECT * FROM outbox WHERE status = 'failed'", tuple[str, ...]()
        if draft_id is not None:
            sql, args = sql + " AND draft_id = ?", (draft_id,)
        return [self._op(r) for r in self._con.execute(sql + " ORDER BY id", args).fetchall()]

    def complete_op(self, op_id: int) -> None:
        with self._tx() as con:
            con.execute("DELETE FROM outbox WHERE id = ?", (op_id,))

    def note_attempt(self, op_id: int, error: str | None) -> None:
        """A transient failure: the op stays pending; remember the attempt and why."""
        with self._tx() as con:
            con.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?",
                        (error, _now(), op_id))

    def fail_op(self, op_id: int, error: str) -> None:
        """A permanent failure (the server refused it): the op leaves the queue, kept for the record."""
        with self._tx() as con:
            con.execute(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, "
                "updated_at = ? WHERE id = ?",
                (error, _now(), op_id),
            )

    def queued_count(self) -> int:
        return int(self._con.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0])

    # -- small key/value facts (e.g. when prices were last fetched) -----------------------
    def get_meta(self, key: str) -> str | None:
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as con:
            con.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
