"""Fixtures for the sync tests: the real in-process sandbox (small), a real DraftStore, real clients.

The sandbox is seeded once per session (per xdist worker) and copied per test.
``Faults`` is the network edge: an httpx transport in front of the sandbox that
can refuse a call, lose the reply after the server acted, time out, or answer 500/429.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from collections.abc import Callable

import httpx
import pytest

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.retry import RetryPolicy
from nymble_desk.drafts.store import DraftStore

SIZES = {"customers": 50, "products": 100}
BASE = "http://sandbox"


async def no_sleep(_: float) -> None:
    return None


FAST_RETRY = RetryPolicy(sleep=no_sleep, jitter=lambda: 0.0)


@pytest.fixture
def asgi(sandbox_app: Any) -> httpx.AsyncBaseTransport:
    return httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    s = DraftStore(tmp_path / "drafts.sqlite3")
    yield s
    s.close()


@pytest.fixture
def make_client(asgi: httpx.AsyncBaseTransport) -> Callable[..., NymbleClient]:
    def factory(transport: httpx.AsyncBaseTransport | None = None, client_id: str = "demo-rep",
                secret: str = "demo-rep-secret") -> NymbleClient:
        return NymbleClient(BASE, Credentials("DEMO", client_id, secret), transport=transport or asgi,
                            retry=FAST_RETRY, timeout=5.0)

    return factory


@pytest.fixture
async def desk(asgi: httpx.AsyncBaseTransport, store: DraftStore, make_client: Callable[..., NymbleClient]) -> Any:
    """A signed-in Desk whose requests pass through ``desk.faults`` (a :class:`Faults` edge)."""
    from nymble_desk.sync.desk import Desk
    from sync_faults import Faults

    faults = Faults(asgi)
    d = Desk(make_client(transport=faults), store)
    d.faults = faults  # type: ignore[attr-defined]
    await d.sign_in()
    return d
