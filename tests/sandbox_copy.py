"""Per-test copies of a sandbox data dir seeded once per session (no tests here).

Seeding takes a second or two; copying the SQLite file with the backup API (consistent
even with WAL files beside it) takes milliseconds, so each test gets its own data.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

DB = "sandbox.sqlite3"


def copy_sandbox(template: Path, target: Path) -> Path:
    """Copy the seeded data dir ``template`` to the new dir ``target`` and return it."""
    target.mkdir()
    src, dst = sqlite3.connect(template / DB), sqlite3.connect(target / DB)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    for extra in template.iterdir():
        if extra.is_file() and not extra.name.startswith(DB):
            shutil.copy2(extra, target / extra.name)
    return target
