"""The local Nymble Commerce API sandbox (FastAPI + SQLite).

Importing this package is cheap: ``create_app`` loads FastAPI on first call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(data_dir: Path | str, *, customers: int = 2000, products: int = 5000) -> "FastAPI":
    """Build the sandbox app over ``data_dir/sandbox.sqlite3`` (see ``app.create_app``)."""
    from nymble_desk.sandbox.app import create_app as _create_app

    return _create_app(data_dir, customers=customers, products=products)
