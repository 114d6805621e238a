"""SQLite connections for the draft cache.

One connection per thread (sqlite3 connections must not be shared across
threads without care), each opened with WAL journaling, ``synchronous=FULL`` so
that a committed change survives a power cut, foreign keys on, and a
``busy_timeout`` so that two threads or processes wait for each other instead
of failing.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


def connect(path: Path) -> sqlite3.Connection:
    """Open one connection to ``path`` with the cache's pragmas applied."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
    con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=True)
    con.row_factory = sqlite3.Row
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network file system
        raise sqlite3.OperationalError(f"could not switch {path} to WAL journaling (got {mode})")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    try:
        os.chmod(path, 0o600)
    except OSError:  # pragma: no cover - e.g. Windows
        pass
    return con


class ConnectionPool:
    """Hands each thread its own connection to one database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []

    def get(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = connect(self.path)
            self._local.con = con
            with self._lock:
                self._all.append(con)
        return con

    def close(self) -> None:
        """Close every connection this pool opened (call from the owning thread at exit)."""
        with self._lock:
            cons, self._all = self._all, []
        for con in cons:
            try:
                con.close()
            except sqlite3.ProgrammingError:  # opened in another thread
                pass
        self._local = threading.local()
