"""Read what can be read from a drafts file that is damaged or cannot be opened in place.

Nothing here writes to the original: it is copied (with its -wal) into a
temporary directory and read from there, row by row where pages are damaged
(a range of rowids that fails is halved until the rows that cannot be read are
found and skipped, much as SQLite's ``.recover`` walks what it can). The rows
read go into a fresh drafts file of the current schema, which the ordinary
:class:`~nymble_desk.drafts.store.DraftStore` code then lists and exports.

The same copy-and-read path serves a drafts file in a read-only directory,
where SQLite cannot create the -shm file that WAL reading needs.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nymble_desk.drafts.health import DRAFT_TABLES as TABLES
from nymble_desk.drafts.health import MAGIC, is_damage, page_size
from nymble_desk.drafts.pagewalk import Value, walk

MAX_QUERIES = 20_000  # bounds the time spent on a badly damaged file (about 0.2 s)
PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)


@dataclass
class Salvage:
    """What was read: rows per table, and rows (or rowid ranges) that could not be read."""

    path: Path  # the fresh drafts file holding what was read
    read: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # tables that could not be read at all
    rebuilt: int = 0  # drafts whose own row was lost, put back together from their journal
    workdir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def complete(self) -> bool:
        return not any(self.lost.values()) and not self.unreadable

    def summary(self) -> str:
        drafts = self.read.get("drafts", 0)
        if self.complete:
            return f"{drafts} draft(s) read in full"
        gaps = sum(self.lost.values())
        parts = [f"{drafts} draft(s) could be read"]
        if self.rebuilt:
            parts.append(f"{self.rebuilt} of them rebuilt from the journal")
        if gaps:
            parts.append(f"{gaps} unreadable row(s) or range(s) skipped")
        if self.unreadable:
            parts.append("unreadable: " + ", ".join(self.unreadable))
        return "; ".join(parts)

    def cleanup(self) -> None:
        if self.workdir is not None:
            self.workdir.cleanup()
            self.workdir = None


def _copy(path: Path, into: Path) -> Path:
    copy = into / "original-copy.sqlite3"
    if path.exists():
        shutil.copyfile(path, copy)
    else:
        copy.touch()
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    _pad(copy)
    return copy


def _pad(copy: Path) -> None:
    """A file cut short: zero-fill the copy up to the size its header gives, so SQLite opens it and
    only the missing pages fail to read."""
    with copy.open("rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(MAGIC):
        return
    ps = page_size(head)
    pages = int.from_bytes(head[28:32], "big")
    size = copy.stat().st_size
    if head[24:28] == head[92:96] and pages * ps > size:
        os.truncate(copy, pages * ps)
    elif ps and size % ps:
        os.truncate(copy, size + ps - size % ps)


def _patch_header(copy: Path) -> list[int]:
    """Candidate page sizes to try when the header's first bytes are garbage (the rest may be fine)."""
    with copy.open("rb") as f:
        head = f.read(100)
    if head.startswith(MAGIC) or len(head) < 100:
        return []
    size = copy.stat().st_size
    return [ps for ps in PAGE_SIZES if size % ps == 0]


def _write_header(copy: Path, ps: int) -> None:
    with copy.open("r+b") as f:
        # magic, page size, rollback journal (1, 1: the -wal is not used), no reserved bytes
        f.write(MAGIC + (1 if ps == 65536 else ps).to_bytes(2, "big") + bytes([1, 1, 0]))


def _open(copy: Path) -> sqlite3.Connection | None:
    candidates = _patch_header(copy)
    for ps in [None, *candidates]:
        if ps is not None:
            _write_header(copy, ps)
        con = sqlite3.connect(str(copy), isolation_level=None)
        try:
            con.execute("SELECT name FROM sqlite_master").fetchall()
            return con
        except sqlite3.DatabaseError:
            con.close()
    return None


class _Reader:
    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.queries = 0

    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        self.queries += 1
        if self.queries > MAX_QUERIES:
            raise sqlite3.DatabaseError("database disk image is malformed (gave up: too many unreadable rows)")
        return self.con.execute(sql, args).fetchall()

    def rows(self, table: str, columns: list[str]) -> tuple[list[tuple[object, ...]], int]:
        """Every readable row of ``table`` (``columns`` only) and how many rowid ranges failed."""
        cols = ", ".join(f'"{c}"' for c in columns)
        try:
            return self._query(f'SELECT {cols} FROM "{table}"'), 0
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
        try:
            top = self._query(f'SELECT max(rowid) FROM "{table}"')[0][0]
        except sqlite3.DatabaseError:
            top = None
        hi = int(top) if isinstance(top, int) else 1 << 20
        out: list[tuple[object, ...]] = []
        lost = 0
        stack = [(1, hi)]
        while stack:
            lo, up = stack.pop()
            try:
                out.extend(self._query(f'SELECT {cols} FROM "{table}" WHERE rowid BETWEEN ? AND ?', (lo, up)))
            except sqlite3.DatabaseError as exc:
                if not is_damage(exc):
                    raise
                if lo == up or self.queries >= MAX_QUERIES:
                    lost += 1  # one row, or (after giving up) one unread range
                    continue
                mid = (lo + up) // 2
                stack.extend([(mid + 1, up), (lo, mid)])
        return out, lost

    def columns(self, table: str) -> list[str]:
        try:
            return [str(r[1]) for r in self._query(f'PRAGMA table_info("{table}")')]
        except sqlite3.DatabaseError:
            return []


def _insert(target: sqlite3.Connection, table: str, columns: list[str], rows: list[tuple[object, ...]]) -> int:
    """INSERT OR IGNORE each row (a row already read another way is kept once); returns rows refused.
    A row with fewer values than ``columns`` (written before a column was added) fills the first ones."""
    refused = 0
    for row in rows:
        names = ", ".join(f'"{c}"' for c in columns[: len(row)])
        marks = ", ".join("?" for _ in row)
        try:
            target.execute(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', row)
        except sqlite3.IntegrityError:  # a garbled row (e.g. a NULL where one is not allowed)
            refused += 1
    return refused


def _walked_rows(target: sqlite3.Connection, table: str, found: list[tuple[int, list[Value]]]) -> \
        tuple[list[str], list[tuple[object, ...]]]:
    """Rows read from the pages, as tuples for the target's columns (an INTEGER PRIMARY KEY is the rowid)."""
    info = list(target.execute(f'PRAGMA table_info("{table}")'))
    columns = [str(r[1]) for r in info]
    alias = next((i for i, r in enumerate(info) if r[5] == 1 and str(r[2]).upper() == "INTEGER"), None)
    rows: list[tuple[object, ...]] = []
    for rowid, values in found:
        kept: list[object] = list(values[: len(columns)])
        if alias is not None and alias < len(kept) and kept[alias] is None:
            kept[alias] = rowid
        rows.append(tuple(kept))
    return columns, rows


def salvage(path: Path) -> Salvage:
    """Copy ``path`` aside and read what can be read into a fresh drafts file (in a temp dir; call cleanup()).

    SQLite reads each table first (row ranges around bad pages are skipped); a table it cannot read
    in full is then also read page by page (:mod:`nymble_desk.drafts.pagewalk`), keeping both."""
    from nymble_desk.drafts.db import connect
    from nymble_desk.drafts.migrations import migrate

    workdir = tempfile.TemporaryDirectory(prefix="nymble-desk-salvage-")
    root = Path(workdir.name)
    result = Salvage(path=root / "drafts.sqlite3", workdir=workdir)
    target = connect(result.path)
    migrate(target)
    if not path.exists():  # nothing to read: an empty drafts file
        target.close()
        return result
    copy = _copy(path, root)
    source = _open(copy)
    walked: dict[str, tuple[list[tuple[int, list[Value]]], int]] | None = None
    try:
        reader = _Reader(source) if source is not None else None
        target.execute("PRAGMA foreign_keys = OFF")
        target.execute("BEGIN")
        for table in TABLES:
            lost, whole = 0, False
            if reader is not None:
                wanted = set(_target_columns(target, table))
                columns = [c for c in reader.columns(table) if c in wanted]
                if columns:
                    try:
                        rows, lost = reader.rows(table, columns)
                        lost += _insert(target, table, columns, rows)
                        whole = lost == 0
                    except sqlite3.DatabaseError:
                        pass
            if not whole:
                if walked is None:
                    walked = {name: (rows, bad) for name, rows, bad in walk(copy.read_bytes())}
                if table in walked:
                    found, lost = walked[table]
                    columns, rows = _walked_rows(target, table, found)
                    lost += _insert(target, table, columns, rows)
                    whole = True if not lost else whole
                elif reader is None or not lost:
                    result.unreadable.append(table)
            result.read[table] = int(target.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            result.lost[table] = lost
        result.rebuilt = _rebuild_lost_drafts(target)
        result.read["drafts"] = result.read.get("drafts", 0) + result.rebuilt
        target.execute("COMMIT")
    finally:
        if source is not None:
            source.close()
        target.close()
    return result


REBUILT_NOTE = "rebuilt from the journal: this draft's own row could not be read"


def _rebuild_lost_drafts(target: sqlite3.Connection) -> int:
    """Lines or journal rows whose draft row was lost: put the draft back together from its journal
    (``create`` holds the customer and currency, ``set_po`` and ``set_ship_to`` the rest), marked as
    rebuilt, so the lines can still be exported. Returns how many were rebuilt."""
    lost = [r[0] for r in target.execute(
        "SELECT draft_id FROM draft_lines WHERE draft_id NOT IN (SELECT id FROM drafts) "
        "UNION SELECT draft_id FROM journal WHERE draft_id NOT IN (SELECT id FROM drafts)")]
    for draft_id in lost:
        fields: dict[str, object] = {"customer_number": "(unknown)", "currency": "USD", "po_number": None,
                                     "ship_to": None}
        times: list[str] = []
        for at, action, detail in target.execute(
                "SELECT at, action, detail FROM journal WHERE draft_id = ? ORDER BY id", (draft_id,)):
            times.append(str(at))
            try:
                data = json.loads(detail)
            except (TypeError, ValueError):
                continue
            if not isinstance(data, dict):
                continue
            if action == "create":
                fields["customer_number"] = str(data.get("customer_number") or "(unknown)")
                fields["currency"] = str(data.get("currency") or "USD")
            elif action == "set_po":
                fields["po_number"] = data.get("po")
            elif action == "set_ship_to" and isinstance(data.get("address"), dict):
                fields["ship_to"] = json.dumps(data["address"])
        first = times[0] if times else "1970-01-01T00:00:00+00:00"
        target.execute(
            "INSERT INTO drafts(id, customer_number, customer_name, currency, ship_to, po_number, state, "
            "external_id, last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'local', '', ?, ?, ?)",
            (draft_id, fields["customer_number"], "(name lost)", fields["currency"], fields["ship_to"],
             fields["po_number"], REBUILT_NOTE, first, times[-1] if times else first))
    return len(lost)


def _target_columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in con.execute(f'PRAGMA table_info("{table}")')]
