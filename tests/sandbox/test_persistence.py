"""Restart persistence, deterministic demo data, the OpenAPI document, unknown routes, and a real port."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from nymble_desk.sandbox import create_app

from .conftest import BASE, SIZES, assert_problem, token_for


async def test_a_new_app_on_the_same_dir_sees_the_data(sandbox_dir: Path) -> None:
    first = create_app(sandbox_dir, **SIZES)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url=BASE) as http:
        h = {"Authorization": f"Bearer {await token_for(http, 'admin')}"}
        cart = (await http.post("/api/carts/CUST-0082", headers=h, json={"sku": "WDG-RED-M", "quantity": 4})).json()
    first.state.db.close()

    second = create_app(sandbox_dir, customers=999, products=999)  # sizes are ignored for an existing file
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url=BASE) as http:
        # the old token still works: the signing secret lives in the data dir
        r = await http.get(f"/api/carts/{cart['shoppingCartId']}", headers=h)
        assert r.status_code == 200 and r.json()["items"][0]["quantity"] == 4
        total = (await http.get("/api/products", headers=h)).json()["totalRecords"]
        assert total == SIZES["products"] + 7


def _dump(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        out = []
        for table, key in (("customers", "org_id, customer_number"), ("products", "org_id, sku"),
                           ("tier_prices", "org_id, sku, tier, at_quantity"), ("addresses", "id"),
                           ("orders", "id"), ("order_items", "order_id, line"), ("invoices", "id"),
                           ("payments", "id"), ("salesreps", "org_id, rep_number")):
            out.append((table, con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()))
        return out
    finally:
        con.close()


def test_demo_data_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        create_app(tmp_path / name, customers=30, products=40).state.db.close()
    a, b = _dump(tmp_path / "a" / "sandbox.sqlite3"), _dump(tmp_path / "b" / "sandbox.sqlite3")
    assert a == b
    counts = {table: len(rows) for table, rows in a}
    assert counts["customers"] == 2 * (30 + 6) and counts["products"] == 2 * (40 + 7)
    assert counts["orders"] > 8 and counts["payments"] > 0
    # and other sizes give other data, while the fixed records stay
    create_app(tmp_path / "c", customers=31, products=40).state.db.close()
    assert _dump(tmp_path / "c" / "sandbox.sqlite3")[0] != a[0]


def test_openapi_describes_every_route(app) -> None:
    doc = app.openapi()
    paths = doc["paths"]
    expected = {
        ("post", "/api/auth/login"),
        ("post", "/api/carts/{customerNumber}"),
        ("get", "/api/carts"),
        ("post", "/api/carts/{customerNumber}/{shoppingCartId}/items"),
        ("put", "/api/carts/{customerNumber}/{shoppingCartId}/items/{sku}"),
        ("delete", "/api/carts/{customerNumber}/{shoppingCartId}/items/{sku}"),
        ("get", "/api/carts/{cartId}"),
        ("get", "/api/carts/customer/{customerNumber}"),
        ("put", "/api/carts/{customerNumber}/{shoppingCartId}/shipping"),
        ("put", "/api/carts/{customerNumber}/{shoppingCartId}/po-number"),
        ("post", "/api/carts/{customerNumber}/{shoppingCartId}/complete-checkout"),
        ("post", "/api/carts/{cartId}/checkout"),
        ("post", "/api/orders"),
        ("post", "/api/orders/bulk"),
        ("get", "/api/orders"),
        ("get", "/api/orders/{orderId}"),
        ("put", "/api/orders/{orderId}/shipping"),
        ("put", "/api/orders/{orderId}/customer"),
        ("post", "/api/orders/{orderId}/email"),
        ("post", "/api/orders/{orderId}/invoices"),
        ("get", "/api/customers"),
        ("get", "/api/customers/{customerNumber}"),
        ("put", "/api/customers"),
        ("get", "/api/products"),
        ("get", "/api/products/{sku}"),
        ("get", "/api/salesreps"),
        ("get", "/api/salesreps/{repNumber}"),
        ("get", "/api/invoices"),
        ("get", "/api/invoices/{invoiceId}"),
        ("post", "/api/invoices/{invoiceId}/payments"),
        ("post", "/api/invoices/{invoiceId}/void"),
        ("post", "/api/invoices/{invoiceId}/cancel"),
        ("post", "/api/invoices/{invoiceId}/issue"),
        ("put", "/api/invoices/{invoiceId}/discount"),
        ("post", "/api/invoices/{invoiceId}/payments/{paymentId}/complete"),
    }
    found = {(m, p) for p, ops in paths.items() for m in ops}
    assert expected <= found, expected - found
    for path, ops in paths.items():
        for method, op in ops.items():
            ok = [c for c in op["responses"] if c.startswith("2")]
            assert ok, (method, path)
            if ok[0] != "204":
                assert "schema" in op["responses"][ok[0]]["content"]["application/json"], (method, path)
            if method in ("post", "put") and path not in (
                    "/api/invoices/{invoiceId}/void", "/api/invoices/{invoiceId}/cancel",
                    "/api/invoices/{invoiceId}/issue", "/api/invoices/{invoiceId}/payments/{paymentId}/complete"):
                assert "requestBody" in op, (method, path)
    bulk_schema = paths["/api/orders/bulk"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert bulk_schema


async def test_unknown_route_and_method_are_problem_details(http: httpx.AsyncClient) -> None:
    assert_problem(await http.get("/api/nothing-here"), 404)
    assert_problem(await http.patch("/api/orders"), 405)


def test_start_in_thread_serves_on_a_loopback_port(tmp_path: Path) -> None:
    from nymble_desk.sandbox.server import start_in_thread

    server = start_in_thread(tmp_path / "srv", customers=5, products=5)
    try:
        assert server.base_url.startswith("http://127.0.0.1:")
        r = httpx.post(f"{server.base_url}/api/auth/login",
                       json={"OrgCode": "DEMO", "ClientId": "demo-admin", "ClientSecret": "demo-admin-secret"})
        assert r.status_code == 200
        token = r.json()["AccessToken"]
        r = httpx.get(f"{server.base_url}/api/products/WDG-BLU-L", headers={"Authorization": f"Bearer {token}"})
        assert r.json()["upc"] == "012345678905"
    finally:
        server.stop()
    try:
        httpx.get(f"{server.base_url}/api/products", timeout=1)
        raise AssertionError("the server still answers after stop()")
    except httpx.TransportError:
        pass


def test_serve_command_prints_url_and_credentials(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "nymble_desk", "serve", "--port", str(port), "--data-dir", str(tmp_path / "srv"),
         "--customers", "5", "--products", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.post(f"http://127.0.0.1:{port}/api/auth/login", timeout=1,
                               json={"OrgCode": "DEMO", "ClientId": "demo-rep", "ClientSecret": "demo-rep-secret"})
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert r.status_code == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}" in out and "demo-rep-secret" in out and "REP-007" in out


def test_concurrent_requests_on_a_real_port(tmp_path: Path) -> None:
    """The thread pool serves parallel writes and reads without 'database is locked' or lost updates."""
    from concurrent.futures import ThreadPoolExecutor

    from nymble_desk.sandbox.server import start_in_thread

    with start_in_thread(tmp_path / "srv", customers=5, products=5) as server:
        with httpx.Client(base_url=server.base_url) as http:
            token = http.post("/api/auth/login", json={"OrgCode": "DEMO", "ClientId": "demo-admin",
                                                       "ClientSecret": "demo-admin-secret"}).json()["AccessToken"]
            h = {"Authorization": f"Bearer {token}"}
            cart = http.post("/api/carts/CUST-1042", headers=h, json={"sku": "WDG-BLU-L", "quantity": 1}).json()
            add = f"/api/carts/CUST-1042/{cart['shoppingCartId']}/items"

            def work(i: int) -> int:
                with httpx.Client(base_url=server.base_url, timeout=30) as c:
                    if i % 2:
                        return c.get("/api/orders?pageSize=10", headers=h).status_code
                    return c.post(add, headers=h, json={"sku": "WDG-RED-M", "quantity": 1}).status_code

            with ThreadPoolExecutor(max_workers=8) as pool:
                codes = list(pool.map(work, range(24)))
            assert set(codes) == {200}
            final = http.get(f"/api/carts/{cart['shoppingCartId']}", headers=h).json()
            assert {i["sku"]: i["quantity"] for i in final["items"]} == {"WDG-BLU-L": 1, "WDG-RED-M": 12}


async def test_an_older_file_gains_new_columns(sandbox_dir: Path) -> None:
    con = sqlite3.connect(sandbox_dir / "sandbox.sqlite3")
    con.execute("ALTER TABLE products DROP COLUMN updated_at")  # as version 1 wrote it
    con.execute("ALTER TABLE invoices DROP COLUMN own_discount")  # as version 2 wrote it
    con.execute("ALTER TABLE invoices DROP COLUMN own_discount_spec")
    con.execute("DROP TABLE price_tiers")  # before 3, every organisation had the same fixed tiers
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    app = create_app(sandbox_dir, **SIZES)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
        h = {"Authorization": f"Bearer {await token_for(http, 'admin')}"}
        r = await http.get("/api/products/WDG-BLU-L", headers=h)
        assert r.status_code == 200 and r.json()["updatedAt"] is None
        # old invoices read as before (no invoice-level discount), and the old tiers stay valid
        r = await http.get("/api/invoices", headers=h, params={"customerNumber": "CUST-1042"})
        assert r.status_code == 200 and all(i["invoiceTotal"] > 0 for i in r.json()["data"])
        for tier in ("Wholesale", "Retail", "Distributor"):
            r = await http.put("/api/customers", headers=h, json={"customerNumber": f"CUST-T-{tier}",
                                                                 "companyName": tier, "pricing": tier})
            assert r.status_code == 201, r.text
    assert app.state.db.meta("schema_version") == "3"
