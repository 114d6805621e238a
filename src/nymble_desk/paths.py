"""Where nymble-desk keeps its files.

Each directory can be moved with an environment variable (tests point them all
at a temporary directory).  Nothing here creates a directory on read: callers
that write call :func:`ensure` first.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_log_path

APP_NAME = "nymble-desk"


def config_dir() -> Path:
    return Path(os.environ.get("NYMBLE_DESK_CONFIG_DIR") or user_config_path(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(os.environ.get("NYMBLE_DESK_DATA_DIR") or user_data_path(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(os.environ.get("NYMBLE_DESK_LOG_DIR") or user_log_path(APP_NAME, appauthor=False))


def drafts_db_path() -> Path:
    """The local draft cache, outbox and search index (one SQLite file)."""
    return data_dir() / "drafts.sqlite3"


def sandbox_dir() -> Path:
    """Default home of the embedded sandbox's database."""
    return data_dir() / "sandbox"


def ensure(path: Path, mode: int = 0o700) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=mode)
    return path
