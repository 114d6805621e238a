"""A private, temporary SQLite file that holds a file's orders while they are read and sent.

An import must not hold a whole file in memory (a 1,000,000-row CSV would take gigabytes
as Python objects).  Parsing writes each CSV record here as it is read (a run of one order's
consecutive records as one row), then groups the records of one order (rows of an order may
be anywhere in the file) with one sorted scan -- a plain scan when each order's rows are
together, as they usually are -- and writes each finished :class:`ImportRow` back; the run reads them a batch at a time.
The database is SQLite's anonymous temporary file (``sqlite3.connect("")``): private to
this process, on disk once it outgrows a small cache, and deleted when closed.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from collections.abc import Iterator

from nymble_desk.importer.rows import ImportRow

Record = tuple[int, list[str], str | None]  # a CSV record: (line, cells, what is wrong with its cells)

CACHE_KIB = 8192  # SQLite page cache of the spool; the rest stays on disk


class Spool:
    def __init__(self) -> None:
        self.con = sqlite3.connect("", check_same_thread=False)
        self.con.executescript(f"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -{CACHE_KIB};
            CREATE TABLE recs (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, run BLOB NOT NULL);
            CREATE TABLE keys (key TEXT PRIMARY KEY, first INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE ids (ext TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE orders (seq INTEGER PRIMARY KEY, ok INTEGER NOT NULL, row BLOB NOT NULL);
        """)
        self.count = 0
        self.valid_count = 0
        self.id_prefix: str | None = None  # shared by every row's externalId (None: no rows yet)
        self.keep = True  # store finished rows for reading again (a run that reads once does not)
        self._scattered = False  # some order's records are not all next to each other in the file

    # -- CSV records ---------------------------------------------------------------------------

    def add_runs(self, runs: list[tuple[str, list[Record]]]) -> None:
        """Runs of consecutive CSV records, each with the key of the order its records belong to,
        in file order (a record is ``(line, cells, problem)``).  Each run is one row: one pickle, one
        insert."""
        con = self.con
        new = [(key, run[0][0]) for key, run in runs]
        before = con.total_changes
        con.executemany("INSERT OR IGNORE INTO keys (key, first) VALUES (?, ?)", new)
        if con.total_changes - before < len(new):
            self._scattered = True  # a key came back after another order's lines: group by key
        con.executemany("INSERT INTO recs (key, run) VALUES (?, ?)",
                        [(key, pickle.dumps(run, protocol=pickle.HIGHEST_PROTOCOL)) for key, run in runs])

    def grouped_records(self) -> Iterator[list[Record]]:
        """The records of each order, orders in the order of their first line, records in file order."""
        if self._scattered:
            cur = self.con.execute("SELECT r.key, r.run FROM recs r JOIN keys k ON k.key = r.key "
                                   "ORDER BY k.first, r.seq")
        else:  # every order's lines are together: file order is the order of their first lines
            cur = self.con.execute("SELECT key, run FROM recs ORDER BY seq")
        group: list[Record] = []
        current: str | None = None
        for key, run in cur:
            if key != current and group:
                yield group
                group = []
            current = key
            group.extend(pickle.loads(run))  # our own records, in our own temp file
        if group:
            yield group

    def order_keys(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM keys").fetchone()[0])

    def drop_records(self) -> None:
        self.con.executescript("DELETE FROM recs; DELETE FROM keys;")

    # -- orders --------------------------------------------------------------------------------

    def first_line_of(self, external_id: str, line: int) -> int | None:
        """None when ``external_id`` is new to this file (and remember it at ``line``), else the
        line of the order that had it first."""
        try:
            self.con.execute("INSERT INTO ids (ext, line) VALUES (?, ?)", (external_id, line))
        except sqlite3.IntegrityError:
            row = self.con.execute("SELECT line FROM ids WHERE ext = ?", (external_id,)).fetchone()
            return int(row[0])
        return None

    def add_row(self, row: ImportRow) -> None:
        if self.keep:
            self.con.execute("INSERT INTO orders (ok, row) VALUES (?, ?)",
                             (int(row.ok), pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)))
        self.count += 1
        self.valid_count += int(row.ok)
        prefix = self.id_prefix
        if prefix is None:
            self.id_prefix = row.external_id
        elif prefix and not row.external_id.startswith(prefix):
            self.id_prefix = os.path.commonprefix([prefix, row.external_id])

    def rows(self, *, ok: bool | None = None, chunk: int = 500) -> Iterator[ImportRow]:
        """The orders in file order (only the valid or invalid ones when ``ok`` says so),
        read ``chunk`` at a time so a long run holds only a batch in memory."""
        last = 0
        where = "" if ok is None else f" AND ok = {int(ok)}"
        while True:
            got = self.con.execute(f"SELECT seq, row FROM orders WHERE seq > ?{where} ORDER BY seq LIMIT ?",
                                   (last, chunk)).fetchall()
            if not got:
                return
            for seq, blob in got:
                last = seq
                yield pickle.loads(blob)  # our own rows, in our own private temp file

    def close(self) -> None:
        self.con.close()
