"""Fixtures for the TUI tests: the real app over the real in-process sandbox.

``make_app(...)`` builds a :class:`NymbleApp` wired to a fresh copy of a small
sandbox (customers=50, products=100) through ``httpx.ASGITransport``, a real
``DraftStore`` in the test's tmp dir and a real ``Desk``. The sandbox database
is generated once per session and copied per test, so each test starts from the
same deterministic data without paying for the seeding again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from collections.abc import Callable

import pytest

from test_shell_support import BASE_URL, DEMO_ORG, DEMO_REP, DEMO_REP_SECRET, until

__all__ = ["until"]

DEFAULT: Any = object()  # make_app(settings=None) means "let the app load them after its first frame"


@pytest.fixture
def until_fn() -> Callable[..., Any]:
    """The ``until(pilot, cond, timeout)`` helper, for tests that prefer a fixture."""
    return until


@pytest.fixture(autouse=True)
def no_system_keyring() -> Any:
    """Never touch the real keyring: secrets saved by the sign-in screen go to the 0600 file."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def make_client(sandbox_app: Any) -> Callable[..., Any]:
    """Build a NymbleClient over the in-process sandbox."""
    import httpx

    from nymble_desk.api import Credentials, NymbleClient

    def factory(
        org_code: str = DEMO_ORG,
        client_id: str = DEMO_REP,
        client_secret: str = DEMO_REP_SECRET,
        base_url: str = BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> Any:
        transport = transport or httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)
        return NymbleClient(base_url, Credentials(org_code, client_id, client_secret), transport=transport)

    return factory


@pytest.fixture
def draft_store(tmp_path: Path) -> Any:
    from nymble_desk.drafts.store import DraftStore

    return DraftStore(tmp_path / "drafts.sqlite3")


@pytest.fixture
def make_desk(make_client: Callable[..., Any], draft_store: Any) -> Callable[..., Any]:
    from nymble_desk.sync.desk import Desk

    def factory(**client_kwargs: Any) -> Any:
        return Desk(make_client(**client_kwargs), draft_store)

    return factory


@pytest.fixture
def make_app(make_desk: Callable[..., Any], make_client: Callable[..., Any], draft_store: Any) -> Callable[..., Any]:
    """``make_app(signed_in=True, settings=None, desk=None, **app_kwargs) -> NymbleApp``.

    ``signed_in=True`` (the default) starts signed in as demo-rep; ``signed_in=False``
    starts at the sign-in screen, whose submitted credentials reach the same
    in-process sandbox (whatever base URL is typed), so good and bad secrets can be tried.
    """
    from nymble_desk.config import Settings
    from nymble_desk.sync.desk import Desk
    from nymble_desk.tui.app import NymbleApp

    def connect(base_url: str, org_code: str, client_id: str, client_secret: str) -> Any:
        client = make_client(org_code=org_code, client_id=client_id, client_secret=client_secret)
        return Desk(client, draft_store)

    def factory(*, signed_in: bool = True, settings: Any = DEFAULT, desk: Any = None, **app_kwargs: Any) -> Any:
        app_kwargs.setdefault("animation", "none")
        app_kwargs.setdefault("cursor_blink", False)
        if desk is None and signed_in:
            desk = make_desk()
        app_kwargs.setdefault("connect", connect)
        if settings is DEFAULT:
            settings = Settings()
        return NymbleApp(desk=desk, settings=settings, signed_in=signed_in, **app_kwargs)

    return factory
