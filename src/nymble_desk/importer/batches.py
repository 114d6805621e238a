"""Batches of orders for the bulk endpoint, and the checkpoint that lets a rerun skip
the batches the API already acknowledged.

A batch is identified by the externalIds it holds (:attr:`Batch.key`), not by its
position, so an edited file never matches a stale acknowledgement.  The checkpoint is a
small SQLite file (mode 0600, WAL) under ``paths.data_dir()/imports/``, named after the
digest of the file being imported; one row per acknowledged batch and one per acknowledged
order, each batch committed as the API answers it (a killed process loses none; a power
cut may lose the last few, which a rerun then resends: safe) -- a long import costs one
small write per batch, not a rewrite of everything so far.  It records only batch keys,
externalIds, order numbers, outcomes and times: no payloads, no customer data.
Skipping is an optimisation: resending an acknowledged batch is still safe, because each
order carries its externalId and the API updates rather than duplicates.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

from nymble_desk import paths
from nymble_desk.importer.rows import ImportRow

DEFAULT_BATCH_SIZE = 200
CHECKPOINT_VERSION = 2


@dataclass(frozen=True)
class Batch:
    index: int
    rows: tuple[ImportRow, ...]

    @cached_property
    def external_ids(self) -> tuple[str, ...]:
        return tuple(r.external_id for r in self.rows)

    @cached_property
    def key(self) -> str:
        return hashlib.sha256("\n".join(self.external_ids).encode()).hexdigest()[:32]

    @property
    def payloads(self) -> list[dict[str, Any]]:
        return [r.payload for r in self.rows]


def batches(rows: Iterable[ImportRow], size: int = DEFAULT_BATCH_SIZE) -> Iterator[Batch]:
    """Consecutive batches of at most ``size`` rows, in file order, one at a time."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    chunk: list[ImportRow] = []
    index = 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield Batch(index, tuple(chunk))
            index, chunk = index + 1, []
    if chunk:
        yield Batch(index, tuple(chunk))


def split(rows: Iterable[ImportRow], size: int = DEFAULT_BATCH_SIZE) -> list[Batch]:
    """Every batch at once (small imports and tests; :func:`batches` streams)."""
    return list(batches(rows, size))


def rows_digest(rows: Sequence[ImportRow]) -> str:
    """Identifies what is being imported: the externalIds and payloads of the rows, in order."""
    h = hashlib.sha256()
    for row in rows:
        h.update(row.external_id.encode())
        h.update(json.dumps(row.payload, sort_keys=True, default=str).encode())
    return h.hexdigest()


def imports_dir() -> Path:
    return paths.data_dir() / "imports"


Result = tuple[str, "str | None"]


class Checkpoint:
    """Which batches of one import were acknowledged, and what the API answered for each
    order (``(outcome, order number)`` per externalId)."""

    def __init__(self, path: Path, digest: str, source: str) -> None:
        self.path = path
        self.digest = digest
        self.source = source
        self._con: sqlite3.Connection | None = None
        if path.exists():
            try:
                con = sqlite3.connect(path)
                meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
                if meta.get("version") != str(CHECKPOINT_VERSION) or meta.get("digest") != digest:
                    raise sqlite3.DatabaseError("another import's checkpoint")
                self._con = con
            except sqlite3.DatabaseError:
                self._con = None  # unreadable, torn or foreign: start over (resending is safe)

    @classmethod
    def for_digest(cls, digest: str, source: str, *, directory: Path | None = None) -> Checkpoint:
        """The checkpoint of the import identified by ``digest``: loaded when a previous run left one."""
        return cls((directory or imports_dir()) / f"{digest[:32]}.sqlite3", digest, source)

    @classmethod
    def for_rows(cls, rows: Sequence[ImportRow], source: str, *, directory: Path | None = None) -> Checkpoint:
        return cls.for_digest(rows_digest(rows), source, directory=directory)

    def _open(self) -> sqlite3.Connection:
        if self._con is not None:
            return self._con
        paths.ensure(self.path.parent)
        for leftover in [self.path, *(self.path.with_name(self.path.name + x) for x in ("-journal", "-wal", "-shm"))]:
            leftover.unlink(missing_ok=True)
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        con = sqlite3.connect(self.path)
        con.executescript("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE batches (key TEXT PRIMARY KEY, idx INTEGER NOT NULL, at TEXT NOT NULL,
                                  complete INTEGER NOT NULL);
            CREATE TABLE results (ext TEXT PRIMARY KEY, batch TEXT NOT NULL, status TEXT NOT NULL, number TEXT);
        """)
        with con:
            con.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("version", str(CHECKPOINT_VERSION)), ("digest", self.digest), ("source", Path(self.source).name)])
        self._con = con
        return con

    def is_done(self, batch: Batch) -> bool:
        if self._con is None:
            return False
        row = self._con.execute("SELECT complete FROM batches WHERE key = ?", (batch.key,)).fetchone()
        return bool(row and row[0])

    def results(self, batch: Batch) -> dict[str, Result]:
        """What the API answered for ``batch``'s orders, per externalId."""
        return self.known(batch.external_ids)

    def known(self, external_ids: Sequence[str]) -> dict[str, Result]:
        """Of ``external_ids``, those some run had acknowledged (they exist on the server)."""
        if self._con is None or not external_ids:
            return {}
        out: dict[str, Result] = {}
        for start in range(0, len(external_ids), 500):
            part = list(external_ids[start:start + 500])
            marks = ",".join("?" * len(part))
            for ext, status, number in self._con.execute(
                    f"SELECT ext, status, number FROM results WHERE ext IN ({marks})", part):
                out[ext] = (status, number)
        return out

    def count_under(self, prefix: str) -> int:
        """How many orders whose externalId starts with ``prefix`` some run got acknowledged
        (they exist on the server)."""
        if self._con is None:
            return 0
        if not prefix:
            sql, args = "SELECT count(*) FROM results WHERE status != 'rejected'", []
        else:
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            sql, args = (
                "SELECT count(*) FROM results WHERE ext >= ? AND ext < ? AND status != 'rejected'",
                [prefix, upper],
            )
        return int(self._con.execute(sql, args).fetchone()[0])

    @property
    def acknowledged_batches(self) -> int:
        if self._con is None:
            return 0
        return int(self._con.execute("SELECT count(*) FROM batches").fetchone()[0])

    def acknowledge(self, batch: Batch, results: dict[str, Result]) -> None:
        """Record that the API answered ``batch``; ``results`` maps each externalId to
        ``(outcome, order number)``.  On disk (synced) before returning."""
        at = datetime.now(UTC).isoformat(timespec="seconds")
        complete = set(results) == set(batch.external_ids)
        con = self._open()
        with con:
            con.execute("INSERT OR REPLACE INTO batches VALUES (?, ?, ?, ?)", (batch.key, batch.index, at, complete))
            con.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                            [(ext, batch.key, status, number) for ext, (status, number) in results.items()])

    def forget_batches(self) -> None:
        """Resend everything (``--fresh``), but keep knowing which orders exist."""
        if self._con is not None:
            with self._con:
                self._con.execute("DELETE FROM batches")

    def clear(self) -> None:
        """Forget this import entirely (after it finished)."""
        if self._con is not None:
            self._con.close()
            self._con = None
        for path in [self.path, *(self.path.with_name(self.path.name + x) for x in ("-wal", "-shm"))]:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
