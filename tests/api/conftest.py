"""Fixtures for the API client tests: the real in-process sandbox behind a fault-injecting transport.

The sandbox database is seeded once per session (customers=50, products=100)
and copied per test.  `Faults` sits at the network edge: it can refuse a
connection, time out before sending, pass the request to the sandbox and then
lose the reply, or answer a status itself.  Time is fake (`FakeTime`), so
backoff and Retry-After are asserted, not waited for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from api_faults import Faults, FakeTime

from nymble_desk.api import Credentials, NymbleClient, RetryPolicy

SIZES = {"customers": 50, "products": 100}
BASE_URL = "http://sandbox.test"
USERS = {
    "rep": Credentials("DEMO", "demo-rep", "demo-rep-secret"),
    "admin": Credentials("DEMO", "demo-admin", "demo-admin-secret"),
    "customer": Credentials("DEMO", "demo-customer", "demo-customer-secret"),
    "other": Credentials("OTHER", "other-admin", "other-admin-secret"),
}


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def policy(fake_time: FakeTime) -> RetryPolicy:
    """Four sends, 0.25 s doubling backoff, a fixed mid jitter, a 30 s deadline: all on fake time."""
    return RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock, jitter=lambda: 0.5)


@pytest.fixture
def faults(sandbox_app: Any) -> Faults:
    return Faults(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))


@pytest.fixture
async def make_client(faults: Faults, policy: RetryPolicy) -> AsyncIterator[Callable[..., NymbleClient]]:
    made: list[NymbleClient] = []

    def factory(user: str | Credentials | None = "rep", *, token: str | None = None, retry: RetryPolicy | None = None,
                transport: httpx.AsyncBaseTransport | None = None) -> NymbleClient:
        credentials = USERS[user] if isinstance(user, str) else user
        client = NymbleClient(BASE_URL, credentials, token=token,
                              transport=transport or faults, retry=retry or policy)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


@pytest.fixture
async def rep(make_client: Callable[..., NymbleClient]) -> NymbleClient:
    client = make_client("rep")
    await client.login()
    return client


@pytest.fixture
async def admin(make_client: Callable[..., NymbleClient]) -> NymbleClient:
    client = make_client("admin")
    await client.login()
    return client
