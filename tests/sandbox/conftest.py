"""Fixtures for the sandbox tests: a fresh small sandbox per test, in-process over ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

SIZES = {"customers": 50, "products": 100}
BASE = "http://sandbox"
CREDS = {
    "admin": ("DEMO", "demo-admin", "demo-admin-secret"),
    "rep": ("DEMO", "demo-rep", "demo-rep-secret"),
    "customer": ("DEMO", "demo-customer", "demo-customer-secret"),
    "other": ("OTHER", "other-admin", "other-admin-secret"),
}


@pytest.fixture
def app(sandbox_app: Any) -> Any:
    """The sandbox under test (the shared per-test copy, tests/conftest.py)."""
    return sandbox_app


@pytest.fixture
async def http(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


async def token_for(http: httpx.AsyncClient, who: str) -> str:
    org, client_id, secret = CREDS[who]
    r = await http.post("/api/auth/login", json={"OrgCode": org, "ClientId": client_id, "ClientSecret": secret})
    assert r.status_code == 200, r.text
    return r.json()["AccessToken"]


@pytest.fixture
async def headers(http: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    """Authorization headers per demo identity: admin, rep, customer, other (org OTHER)."""
    return {who: {"Authorization": f"Bearer {await token_for(http, who)}"} for who in CREDS}


def assert_problem(r: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["title"] and "type" in body
    if field is not None:
        assert field in body.get("errors", {}), body
    return body
