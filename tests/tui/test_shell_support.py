"""Helpers shared by the shell, lookup and drafts tests (no tests here).

tests/ has no __init__.py files, so helpers cannot be imported from conftest.py;
this module is importable by name because pytest puts tests/tui on sys.path.
"""

from __future__ import annotations

import time
from typing import Any
from collections.abc import Callable

BASE_URL = "http://sandbox"
DEMO_ORG, DEMO_REP, DEMO_REP_SECRET = "DEMO", "demo-rep", "demo-rep-secret"
SANDBOX_SIZES = {"customers": 50, "products": 100}


async def until(pilot: Any, cond: Callable[[], object], timeout: float = 5.0) -> None:
    """Let the app run until ``cond()`` is true; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "condition not met before the timeout"
        await pilot.pause(0.02)


def front(app: Any) -> str:
    """The screen in front, by class name, once it is mounted. A pushed screen is ``app.screen``
    before its composed widgets are mounted, so waiting on the name alone raced the queries that
    follow it (``NoMatches '#conf-title'`` on a confirmation still mounting, under load)."""
    screen = app.screen
    name = type(screen).__name__
    return name if screen.is_mounted else f"{name} (mounting)"


def on_screen(app: Any, screen_type: type) -> Callable[[], bool]:
    """A condition: ``screen_type`` is in front and mounted (its widgets composed)."""
    return lambda: isinstance(app.screen, screen_type) and app.screen.is_mounted


def status_text(app: Any) -> str:
    """The status line of the screen in front, as plain text."""
    return str(app.screen.query_one("StatusLine").render())
