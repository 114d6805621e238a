"""Shared fixtures for the sandbox robustness tests (fuzzing and malformed input).

Imported explicitly by ``test_fuzz_openapi.py`` and ``test_malformed_input.py``;
builds on ``conftest.py``'s ``app`` fixture (a fresh copy of a small seeded
sandbox per test).  The clients here are synchronous (Starlette's TestClient
over the ASGI app, in-process), because schemathesis' pytest integration runs
plain sync tests; server exceptions come back as responses, never raised.

``World`` holds real ids to aim requests at: a PENDING cart of CUST-1042 with a
line, an order made by checking out a cart of CUST-0082 on terms, that order's
``Issued`` invoice, and a direct order of CUST-1042 not yet invoiced.  Helpers:
``snapshot`` (what the API shows of all that), ``sent_emails`` (read from the SQLite
file), ``problem_failure`` (why an answer is not a problem naming a field) and ``send``.
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette nags about httpx vs httpx2; the client works the same
    from starlette.testclient import TestClient

from .conftest import BASE, CREDS

CARD = "4111111111111111"  # a test card: never echoed back by the sandbox
SHIP_TO = {"address1": "500 Commerce Drive", "address2": "Suite 200", "city": "Austin",
           "stateProvince": "TX", "postalCode": "78701", "country": "US"}


@dataclass(frozen=True)
class World:
    """Real ids in a fresh sandbox, for requests that should get past the 404s."""

    customer: str  # CUST-1042, REP-007's, with a pending cart
    cart_id: str  # that cart, PENDING, holding WDG-BLU-L x 2, shipping set (ready to check out)
    sku: str  # WDG-BLU-L
    order_customer: str  # CUST-0082, REP-007's
    order_id: str
    order_number: str
    invoice_id: str  # the order's Issued invoice (terms checkout)
    open_order_id: str  # a direct order (POST /api/orders) of CUST-1042 with nothing invoiced yet


def login(client: TestClient, who: str) -> dict[str, str]:
    org, client_id, secret = CREDS[who]
    r = client.post("/api/auth/login", json={"OrgCode": org, "ClientId": client_id, "ClientSecret": secret})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['AccessToken']}"}


def _ok(r: Any, *codes: int) -> dict[str, Any]:
    assert r.status_code in (codes or (200, 201)), f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json() if r.content else {}


def pending_cart(client: TestClient, headers: dict[str, str], customer: str, sku: str, quantity: int) -> str:
    """The customer's PENDING cart (made when it has none) holding at least ``sku``."""
    for cart in _ok(client.get(f"/api/carts/customer/{customer}", headers=headers)):
        if cart["status"] == "PENDING":
            if not any(i["sku"] == sku for i in cart["items"]):
                _ok(client.post(f"/api/carts/{customer}/{cart['shoppingCartId']}/items", headers=headers,
                                json={"sku": sku, "quantity": quantity}))
            return str(cart["shoppingCartId"])
    created = _ok(client.post(f"/api/carts/{customer}", headers=headers, json={"sku": sku, "quantity": quantity}))
    return str(created["shoppingCartId"])


def build_world(client: TestClient, headers: dict[str, str]) -> World:
    sku = "WDG-BLU-L"
    other = pending_cart(client, headers, "CUST-0082", "WDG-RED-M", 3)
    _ok(client.put(f"/api/carts/CUST-0082/{other}/shipping", headers=headers, json={"shippingAddress": SHIP_TO}))
    done = _ok(
        client.post(f"/api/carts/CUST-0082/{other}/complete-checkout", headers=headers, json={"channel": "Phone"})
    )
    order = _ok(client.get(f"/api/orders/{done['orderNumber']}", headers=headers))
    invoices = _ok(client.get("/api/invoices", headers=headers, params={"orderNumber": done["orderNumber"]}))["data"]
    assert len(invoices) == 1 and invoices[0]["status"] == "Issued", invoices
    cart_id = pending_cart(client, headers, "CUST-1042", sku, 2)
    _ok(client.put(f"/api/carts/CUST-1042/{cart_id}/shipping", headers=headers, json={"shippingAddress": SHIP_TO}))
    direct = _ok(client.post("/api/orders", headers=headers, json={
        "customer": {"customerNumber": "CUST-1042"}, "orderType": "Direct", "poNumber": "PO-WORLD-1",
        "priceTier": "Wholesale", "currencyCode": "USD", "primarySalesRep": {"repNumber": "REP-007"},
        "items": [{"sku": sku, "quantity": 24}, {"sku": "WDG-RED-M", "quantity": 12}], "externalId": "WORLD-1"}))
    return World(customer="CUST-1042", cart_id=cart_id, sku=sku, order_customer="CUST-0082", order_id=order["id"],
                 order_number=order["orderNumber"], invoice_id=invoices[0]["id"], open_order_id=direct["data"]["id"])


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    """A sync in-process client over this test's fresh sandbox; 500s come back as responses."""
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def auth(client: TestClient) -> dict[str, dict[str, str]]:
    """Authorization headers for admin and rep (REP-007)."""
    return {who: login(client, who) for who in ("admin", "rep")}


@pytest.fixture
def world(client: TestClient, auth: dict[str, dict[str, str]]) -> World:
    return build_world(client, auth["rep"])


def snapshot(client: Any, h: dict[str, str], admin: dict[str, str], w: World) -> dict[str, Any]:
    """What the API shows of everything these endpoints could touch."""
    def get(path: str, **params: Any) -> Any:
        r = client.get(path, headers=admin if path == "/api/carts" else h, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    return {
        "carts": [get(f"/api/carts/customer/{c}") for c in (w.customer, "CUST-0042", w.order_customer)],
        "cart count": get("/api/carts", pageSize=1)["totalCount"],
        "order count": get("/api/orders", pageSize=1)["totalCount"],
        "orders last updated": get("/api/orders", pageSize=3, sortOn="updatedAt", sortDirection="desc")["items"],
        "order": get(f"/api/orders/{w.order_id}"),
        "invoice count": get("/api/invoices", pageSize=1)["totalRecords"],
        "invoice": get(f"/api/invoices/{w.invoice_id}"),
        "customer count": get("/api/customers", pageSize=1)["totalRecords"],
        "customer": [get(f"/api/customers/{c}") for c in (w.customer, w.order_customer)],
    }


def sent_emails(app: Any) -> int:
    """Confirmation emails recorded in the sandbox's SQLite file (the API shows them nowhere)."""
    con = sqlite3.connect(Path(app.state.data_dir) / "sandbox.sqlite3")
    try:
        return int(con.execute("SELECT count(*) FROM emails").fetchone()[0])
    finally:
        con.close()


def problem_failure(r: Any, field: str) -> str | None:
    """Why this answer is not a proper problem naming the field (None when it is)."""
    if r.status_code not in (400, 422):
        return f"status {r.status_code}: {r.text[:300]}"
    if not r.headers.get("content-type", "").startswith("application/problem+json"):
        return f"content-type {r.headers.get('content-type')}"
    body = r.json()
    missing = [k for k in ("type", "title", "status", "errors") if k not in body]
    if missing or body["status"] != r.status_code:
        return f"problem body lacks {missing} or has a wrong status: {r.text[:300]}"
    want = field.lower()
    keys = [k.lower() for k in body["errors"]]
    if not any(k == want or k.startswith((want + ".", want + "[")) for k in keys):
        return f"errors {list(body['errors'])} do not name {field}"
    if CARD[:12] in r.text or "4111111111111112" in r.text:
        return "the answer echoes the card number"
    return None


def send(client: Any, method: str, path: str, headers: dict[str, str], body: Any) -> Any:
    if isinstance(body, bytes):
        return client.request(method, path, headers={**headers, "Content-Type": "application/json"}, content=body)
    return client.request(method, path, headers=headers, json=body)
