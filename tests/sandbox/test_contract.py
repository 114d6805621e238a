"""Contract loose ends (issue 12, item 8): the OpenAPI document states the rules the server enforces,
405 answers carry the right ``Allow``, unknown currencies are refused, bodies over the limit get 413
before they are read, and upserts say truthfully whether they created or updated.
"""

from __future__ import annotations

import copy
import select
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest

from nymble_desk.sandbox.server import start_in_thread

from .conftest import assert_problem

ORDER = {
    "customer": {"customerNumber": "CUST-1042"},
    "orderType": "Direct",
    "poNumber": "PO-C-1",
    "priceTier": "Wholesale",
    "currencyCode": "USD",
    "primarySalesRep": {"repNumber": "REP-007"},
    "items": [{"sku": "WDG-BLU-L", "quantity": 24}],
}


async def test_an_unknown_currency_is_refused_naming_the_field(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    body = assert_problem(
        await http.post("/api/orders", headers=h, json={**ORDER, "currencyCode": "ZZZ"}), 400, "CurrencyCode"
    )
    assert "ZZZ" in body["errors"]["CurrencyCode"][0] and "Value error" not in body["errors"]["CurrencyCode"][0]
    r = await http.post("/api/orders/bulk", headers=h, json={"orders": [{**ORDER, "currencyCode": "ZZZ"}]})
    assert r.json()[0]["error"]["errors"].keys() == {"Orders[0].CurrencyCode"}
    customer = {"customerNumber": "CUST-9100", "companyName": "Zed Co", "repNumber": "REP-007", "currencyCode": "ZZZ"}
    assert_problem(await http.put("/api/customers", headers=h, json=customer), 400, "CurrencyCode")
    made = await http.post("/api/orders", headers=h, json={**ORDER, "currencyCode": "cad"})
    assert made.status_code == 201, made.text
    order = (await http.get(f"/api/orders/{made.json()['data']['id']}", headers=h)).json()
    assert order["currencyCode"] == "CAD"


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("DELETE", "/api/carts/CUST-1042", "GET, POST"),  # GET /api/carts/{cartId} and POST /api/carts/{customerNumber}
    ("PUT", "/api/carts/cart_x", "GET, POST"),
    ("POST", "/api/carts/CUST-1042/cart_x/items/WDG-BLU-L", "PUT, DELETE"),
    ("DELETE", "/api/orders", "GET, POST"),
    ("PUT", "/api/orders/ORD-00001", "GET"),
    ("GET", "/api/auth/login", "POST"),
    ("GET", "/api/invoices/x/void", "POST"),
])
async def test_405_lists_every_method_served_at_the_path(http: httpx.AsyncClient, headers: dict, method: str, path: str,
                                                         allow: str) -> None:
    r = await http.request(method, path, headers=headers["admin"])
    body = assert_problem(r, 405)
    assert set(r.headers["allow"].split(", ")) == set(allow.split(", ")), r.headers["allow"]
    assert method in body["detail"]


async def test_upserts_say_created_then_updated(http: httpx.AsyncClient, headers: dict) -> None:
    """A rerun of the same bulk (or create) reports the orders it updates as updated, not created."""
    h = headers["admin"]
    orders = [{**ORDER, "externalId": f"RERUN-{n}", "poNumber": f"PO-R-{n}"} for n in range(3)]
    first = (await http.post("/api/orders/bulk", headers=h, json={"orders": orders[:2]})).json()
    assert [e["data"]["created"] for e in first] == [True, True]
    again = (await http.post("/api/orders/bulk", headers=h, json={"orders": orders})).json()
    assert [e["data"]["created"] for e in again] == [False, False, True]
    assert [e["data"]["id"] for e in again[:2]] == [e["data"]["id"] for e in first]
    one = {**ORDER, "externalId": "RERUN-SINGLE"}
    made = await http.post("/api/orders", headers=h, json=one)
    remade = await http.post("/api/orders", headers=h, json=one)
    assert (made.status_code, remade.status_code) == (201, 201)  # as the Orders page says, either way
    assert made.json()["data"]["created"] is True and remade.json()["data"]["created"] is False
    assert made.json()["data"]["id"] == remade.json()["data"]["id"]


# --- the OpenAPI document states the rules -------------------------------------------------------


@pytest.fixture
async def spec(http: httpx.AsyncClient) -> dict[str, Any]:
    return (await http.get("/openapi.json")).json()


def _param(spec: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    return next(p["schema"] for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name)


def _valid(schema: dict[str, Any], value: Any) -> bool:
    return jsonschema_rs.validator_for(schema).is_valid(value)


@pytest.mark.parametrize("path", ["/api/orders", "/api/customers", "/api/products", "/api/salesreps", "/api/invoices",
                                  "/api/carts"])
async def test_list_filters_and_sort_fields_are_stated(http: httpx.AsyncClient, headers: dict, spec: dict[str, Any],
                                                       path: str) -> None:
    """What the schema calls valid the server takes, and what it calls invalid the server refuses (400 Filters)."""
    filters = next(s for s in _param(spec, path, "filters")["anyOf"] if s.get("type") == "array")
    assert filters["maxItems"] == 20
    item = filters["items"]
    sort = _param(spec, path, "sortOn")
    field = {"/api/orders": "orderNumber", "/api/customers": "companyName", "/api/products": "sku",
             "/api/salesreps": "lastName", "/api/invoices": "invoiceNumber", "/api/carts": "status"}[path]
    numeric = {"/api/orders": "orderTotal:gte:10.5", "/api/products": "price:lt:100", "/api/invoices": "balance:gt:0",
               "/api/customers": "creditLimit:gte:0", "/api/carts": "createdAt:gte:2024-01-01",
               "/api/salesreps": "active:equals:TRUE"}[path]
    for good in (f"{field}:contains:a", f"{field.upper()}:EQUALS:", numeric, f"{field}:startswith:x:y:z"):
        assert _valid(item, good), good
        r = await http.get(path, headers=headers["admin"], params={"filters": good})
        assert r.status_code == 200, (good, r.text)
    for bad in (
        "",
        "nofield:equals:x",
        f"{field}:gt:5",
        f"{field}",
        f"{field}:contains",
        numeric.replace(":gt", ":contains")
        .replace(":gte", ":contains")
        .replace(":lt", ":contains")
        .replace(":equals", ":contains"),
    ):
        assert not _valid(item, bad), bad
        r = await http.get(path, headers=headers["admin"], params={"filters": bad})
        assert_problem(r, 400, "Filters")
    assert _valid(sort, "") and _valid(sort, field.lower()) and not _valid(sort, "nope")
    assert (await http.get(path, headers=headers["admin"], params={"sortOn": ""})).status_code == 200
    assert_problem(await http.get(path, headers=headers["admin"], params={"sortOn": "nope"}), 400, "SortOn")


async def test_bodies_state_their_rules(http: httpx.AsyncClient, headers: dict, spec: dict[str, Any]) -> None:
    components = spec["components"]["schemas"]
    # the cart bodies' copies of the path ids: read-only, and a different value is refused
    for name in ("CartCreateIn", "CartItemIn", "CartItemUpdateIn", "CartShippingIn", "CartPoIn", "CheckoutIn"):
        props = components[name]["properties"]
        assert props["customerNumber"]["readOnly"] is True, name
        assert "path" in props["customerNumber"]["description"]
        if name != "CartCreateIn":
            assert props["shoppingCartId"]["readOnly"] is True, name
    r = await http.post(
        "/api/carts/CUST-1042", headers=headers["admin"], json={"customerNumber": "CUST-0082", "sku": "WDG-BLU-L"}
    )
    assert_problem(r, 400, "CustomerNumber")
    # bulk: 1..500 orders
    bulk = next(v for k, v in components.items() if k.startswith("BulkIn"))["properties"]["orders"]
    assert (bulk["minItems"], bulk["maxItems"]) == (1, 500)
    assert_problem(await http.post("/api/orders/bulk", headers=headers["admin"], json={"orders": []}), 400, "Orders")
    # currencies
    currency = components["OrderCreateIn"]["properties"]["currencyCode"]
    assert "USD" in currency["enum"] and "ZZZ" not in currency["enum"]
    # amounts: numbers within bounds, or plain decimal strings; a payment is never zero once rounded
    total = components["OrderShippingIn"]["properties"]["total"]
    assert _valid(total, 12.5) and _valid(total, "12.50") and not _valid(total, "") and not _valid(total, "1e3")
    amount = components["PaymentRecordIn"]["properties"]["amount"]
    for good in (5, -0.01, "0.005", "-12.50"):
        assert _valid(amount, good), good
    for bad in (0, 0.001, "0", "-0.00", "0.004", "", "1e2"):
        assert not _valid(amount, bad), bad


# --- 413 before the body is read ---------------------------------------------------------------


@pytest.fixture
def server(sandbox_dir: Path) -> Any:
    running = start_in_thread(sandbox_dir, customers=50, products=100)
    try:
        yield running
    finally:
        running.stop()


def _connect(server: Any) -> socket.socket:
    host, port = server.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _status(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]), data


def test_a_declared_length_over_the_limit_is_refused_unread(server: Any) -> None:
    """Content-Length says 100 MB; the 413 comes back after the headers and 1 KB, the rest never sent."""
    sock = _connect(server)
    try:
        sock.sendall(b"POST /api/orders/bulk HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 104857600\r\n\r\n" + b"{" + b" " * 1023)
        status, head = _status(sock)
        assert status == 413, head
        assert b"application/problem+json" in head
    finally:
        sock.close()


def test_a_streamed_body_is_cut_off_at_the_limit(server: Any) -> None:
    """Chunked, no length: the server answers 413 once it has read just past the limit, not 100 MB later."""
    sock = _connect(server)
    sent = 0
    chunk = b"x" * 65536
    status = 0
    try:
        sock.sendall(b"POST /api/orders/bulk HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        deadline = time.monotonic() + 60
        data = b""
        while sent < 100 * 1024 * 1024 and time.monotonic() < deadline:
            if select.select([sock], [], [], 0)[0]:  # an answer is waiting
                data += sock.recv(65536)
            if b"\r\n\r\n" in data:
                status = int(data.split(b" ", 2)[1])
                break
            try:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                sock.settimeout(5)
                data += sock.recv(65536)
                status = int(data.split(b" ", 2)[1])
                break
    finally:
        sock.close()
    assert status == 413
    from nymble_desk.sandbox.limits import MAX_BODY_BYTES

    # socket buffers hold a few MB in flight; the point is the 413 came long before 100 MB
    assert sent < 2 * MAX_BODY_BYTES, f"{sent:,} bytes went out before the 413"


async def test_a_body_under_the_limit_still_works_chunked(http: httpx.AsyncClient, headers: dict) -> None:
    import json

    payload = json.dumps({"orders": [copy.deepcopy(ORDER)]}).encode()

    async def stream() -> Any:  # no Content-Length: sent chunked
        for i in range(0, len(payload), 7):
            yield payload[i:i + 7]

    r = await http.post("/api/orders/bulk", headers={**headers["admin"], "Content-Type": "application/json"},
                        content=stream())
    assert r.status_code == 201 and r.json()[0]["data"]["created"] is True, r.text
