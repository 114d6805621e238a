"""File modes of the sandbox's data: the database holds the JWT signing secret.

A data dir the sandbox creates is 0700 (each missing parent too); an existing
one is tightened to 0700 only when it is the caller's and holds nothing but the
sandbox's own files (``serve --data-dir /tmp`` must never chmod /tmp).  The
database file is created 0600 before SQLite opens it, and an existing one (and
its ``-wal``/``-shm``, which SQLite creates with the database file's mode) is
set to 0600.  No process-wide umask is touched (the sandbox may run in a thread
of the TUI).
"""

from __future__ import annotations

import os
from pathlib import Path
import contextlib

DIR_MODE = 0o700
FILE_MODE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


def _ours(path: Path) -> bool:
    return not hasattr(os, "getuid") or path.stat().st_uid == os.getuid()


def private_dir(path: Path, db_name: str) -> Path:
    """Make ``path`` (and missing parents) 0700; tighten an existing one that only holds ``db_name*``."""
    missing = []
    here = path
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for step in reversed(missing):
        step.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(step, DIR_MODE)
    if not missing and _ours(path) and all(p.name.startswith(db_name) for p in path.iterdir()):
        os.chmod(path, DIR_MODE)
    return path


def private_db_file(path: Path) -> None:
    """Create the database file 0600 if it is missing; set it and its side files to 0600."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        if candidate.exists() and _ours(candidate):
            os.chmod(candidate, FILE_MODE)
