"""SQLite connections for the draft cache.

One connection per thread (sqlite3 connections must not be shared across
threads without care), each opened with WAL journaling, ``synchronous=FULL`` so
that a committed change survives a power cut, foreign keys on, and a
``busy_timeout`` so that two threads or processes wait for each other instead
of failing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

from nymble_desk.drafts.health import DraftsDamaged, is_damage, probe
from nymble_desk.drafts.migrations import migrate

BUSY_TIMEOUT_MS = 5000


def connect(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """Open one connection to ``path`` with the cache's pragmas applied."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
    con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                          check_same_thread=check_same_thread)
    con.row_factory = sqlite3.Row
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network file system
        raise sqlite3.OperationalError(f"could not switch {path} to WAL journaling (got {mode})")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    with contextlib.suppress(OSError):  # pragma: no cover - e.g. Windows
        os.chmod(path, 0o600)
    return con


class ConnectionPool:
    """Hands each thread its own connection to one database file.

    Connections of threads that have ended (Textual thread workers come and
    go) are closed the next time a new thread asks for one, so a long session
    does not pile up open files.  A connection is only ever used by its own
    thread; it is closed by another one only after its thread is gone.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._by_thread: dict[int, tuple[threading.Thread, sqlite3.Connection]] = {}

    def get(self) -> sqlite3.Connection:
        me = threading.current_thread()
        entry = self._by_thread.get(me.ident or 0)
        if entry is not None and entry[0] is me:
            return entry[1]
        con = connect(self.path, check_same_thread=False)
        with self._lock:
            for ident, (thread, old) in list(self._by_thread.items()):
                if not thread.is_alive() or ident == me.ident:
                    del self._by_thread[ident]
                    old.close()
            self._by_thread[me.ident or 0] = (me, con)
        return con

    def close(self) -> None:
        """Close every connection (call when no other thread uses the store any more)."""
        with self._lock:
            entries, self._by_thread = list(self._by_thread.values()), {}
        for _, con in entries:
            con.close()


def create_fresh(path: Path) -> None:
    """Make an empty drafts file of the current schema under a temporary name, then link it into place.

    So a crash never leaves a 0-byte ``drafts.sqlite3`` behind (an empty file is
    therefore always damage, see :mod:`nymble_desk.drafts.health`), and of two
    processes starting at once the second keeps the first one's file.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f"{path.name}.new-{os.getpid()}-{threading.get_ident()}")
    con = connect(tmp)
    try:
        migrate(con)
    finally:
        con.close()
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    except OSError:  # no hard links here (e.g. some network or FAT file systems)
        if not path.exists():
            os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def open_checked(path: Path, pool: ConnectionPool) -> None:
    """Open the drafts file through ``pool`` and bring its schema up to date; a damaged file is not
    touched but raised as :class:`DraftsDamaged` (its header and size are checked before SQLite opens it)."""
    reason = probe(path)
    if reason is not None:
        raise DraftsDamaged(path, reason)
    if not path.exists():
        create_fresh(path)
    try:
        migrate(pool.get())
    except sqlite3.DatabaseError as exc:
        pool.close()
        if is_damage(exc):
            raise DraftsDamaged(path, f"is damaged ({exc})") from exc
        raise
