"""Is the drafts file usable? Checks that never write to it, and the one-line message when it is not.

A damaged drafts file is never modified: nymble-desk says so, ``drafts export``
saves what can be read (see :mod:`nymble_desk.drafts.salvage`) and ``drafts
move-aside`` renames it so that the next start begins with an empty one.

A 0-byte drafts file counts as damaged: nymble-desk never leaves one (a new file
is built under a temporary name and renamed into place), so an empty file means
something outside cut it short, and the drafts it held are gone. Saying so, and
moving it aside on request, beats silently starting over.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, UTC
from pathlib import Path

from nymble_desk.local_problem import LocalProblem

MAGIC = b"SQLite format 3\x00"
SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR = 11, 26, 8, 14, 10
SIDE_FILES = ("-wal", "-shm")


class DraftsDamaged(LocalProblem):
    """The drafts file cannot be read as a whole; ``reason`` says how."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path, self.reason = Path(path), reason
        super().__init__(f"drafts file {path}", f"{reason}; it was not changed",
                         "save what can be read with `nymble-desk drafts export -o FILE`, then start fresh with "
                         "`nymble-desk drafts move-aside`")


def page_size(header: bytes) -> int:
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def probe(path: Path) -> str | None:
    """Why ``path`` is not a usable SQLite file, judged from its size and header alone; None if it looks fine
    (or does not exist). Reads 100 bytes; opens nothing in SQLite."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    if size == 0:
        return "is empty (0 bytes): something outside nymble-desk cut it short, and the drafts in it are lost"
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(MAGIC):
        return "is not an SQLite database (its first bytes are not an SQLite header)"
    ps = page_size(header)
    if ps < 512 or ps & (ps - 1):
        return f"has a damaged header (page size {ps})"
    if size % ps:
        return f"is cut short ({size} bytes is not a whole number of {ps}-byte pages)"
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] == header[92:96] and pages and size < pages * ps:  # the in-header size is valid
        return f"is cut short ({size} bytes; its header says {pages * ps})"
    return None


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(exc)
    return "malformed" in text or "not a database" in text


DRAFT_TABLES = ("drafts", "draft_lines", "journal", "outbox", "meta")  # the search index is rebuilt from the API


def quick_check(con: sqlite3.Connection, tables: tuple[str, ...] = DRAFT_TABLES) -> str | None:
    """SQLite's quick_check of ``tables`` (every page of them and their indexes; the large search index is
    left out, so a check takes milliseconds): None when fine, else the first complaint. Writes nothing."""
    try:
        present = {str(r[0]) for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in tables:
            if table not in present:
                continue
            rows = con.execute(f'PRAGMA quick_check("{table}")').fetchall()
            first = str(rows[0][0]) if rows else "ok"
            if first != "ok":
                return f"is damaged ({first})"
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return f"is damaged ({exc})"
        raise
    return None


def damaged_problem(exc: sqlite3.DatabaseError, path: Path | None = None) -> LocalProblem | None:
    """A damaged or unwritable drafts file as a LocalProblem; None for anything else (e.g. a busy database)."""
    from nymble_desk import paths

    path = path or paths.drafts_db_path()
    if is_damage(exc):
        return DraftsDamaged(path, f"is damaged ({exc})")
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR):
        return LocalProblem(f"data dir {path.parent} (set NYMBLE_DESK_DATA_DIR to move it)",
                            f"the drafts file {path.name} cannot be written ({exc})",
                            "make the directory writable; `nymble-desk drafts list` and `drafts export` still read it")
    return None


def move_aside(path: Path, *, now: datetime | None = None) -> Path:
    """Rename the drafts file (and its -wal/-shm) to ``drafts.sqlite3.damaged-<UTC time>``; returns the new name.

    Renaming keeps every byte; the next start creates an empty drafts file."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in SIDE_FILES:  # the side files first: a WAL left beside a new file would be replayed into it
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target
