"""Every write is authorised by the caller's role and scope exactly as reads are (issue 12, item 1).

A table: every write endpoint x every role (Admin, SalesRep REP-007, Customer CUST-1042) x a target that is
the caller's own customer (CUST-1042), another customer of the organisation (CUST-0055, REP-003's) or a
customer of another organisation (CUST-OTHERONLY, made in OTHER).  Each target has a pending cart, a checked
out order with an Issued invoice, and a direct order (own externalId and order number) with a paid invoice.

A write the caller may not make changes nothing in the database, and answers exactly as the same request
aimed at ids that do not exist (so it cannot tell "not yours" from "not there"); an upsert that matches an
order the caller cannot read answers the 404 a read of it gets.  Each case runs on its own copy of the
sandbox; tokens are minted once (the copies share the token secret).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sandbox_copy import copy_sandbox

from nymble_desk.sandbox import create_app

from .conftest import BASE, CREDS, SIZES

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SHIP_TO = {"address1": "500 Commerce Drive", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
           "country": "US"}
ROLES = {"Admin": "admin", "SalesRep": "rep", "Customer": "customer"}
TARGETS = ("own", "other customer", "other org")


@dataclass(frozen=True)
class Target:
    """Ids of one customer's resources."""

    customer: str
    cart: str = ""  # PENDING, WDG-BLU-L x 2, shipping set
    order: str = ""  # the direct order: id
    order_number: str = ""
    external_id: str = ""
    invoice: str = ""  # the checked-out order's Issued invoice, no payments
    paid_invoice: str = ""  # the direct order's invoice, with one payment
    payment: str = ""
    draft_invoice: str = ""  # the direct order's Draft invoice (WDG-RED-M x 6 of 12)
    pending_payment: str = ""  # a Pending payment on paid_invoice
    org_admin: str = "admin"


GHOST = Target(customer="CUST-GHOST", cart="cart_ghost000", order="00000000-0000-4000-8000-000000000000",
               order_number="ORD-GHOST", external_id="EXT-GHOST", invoice="00000000-0000-4000-8000-000000000001",
               paid_invoice="00000000-0000-4000-8000-000000000002", payment="00000000-0000-4000-8000-000000000003",
               draft_invoice="00000000-0000-4000-8000-000000000004",
               pending_payment="00000000-0000-4000-8000-000000000005")


def _ok(r: Any) -> Any:
    assert r.status_code in (200, 201), f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json()


def _order_body(customer: str, **extra: Any) -> dict[str, Any]:
    return {"customer": {"customerNumber": customer}, "orderType": "Direct", "poNumber": "PO-SCOPE",
            "priceTier": "Wholesale", "currencyCode": "USD", "primarySalesRep": {"repNumber": "REP-007"},
            "items": [{"sku": "WDG-BLU-L", "quantity": 24}, {"sku": "WDG-RED-M", "quantity": 12}], **extra}


def _build_target(c: TestClient, h: dict[str, str], customer: str, tag: str, org_admin: str) -> Target:
    done = _ok(c.post(f"/api/carts/{customer}", headers=h, json={"sku": "WDG-RED-M", "quantity": 3}))
    _ok(c.put(f"/api/carts/{customer}/{done['shoppingCartId']}/shipping", headers=h, json={"shippingAddress": SHIP_TO}))
    out = _ok(c.post(f"/api/carts/{customer}/{done['shoppingCartId']}/complete-checkout", headers=h,
                     json={"channel": "Phone"}))
    invoice = _ok(c.get("/api/invoices", headers=h, params={"orderId": out["orderId"]}))["data"][0]
    cart = _ok(c.post(f"/api/carts/{customer}", headers=h, json={"sku": "WDG-BLU-L", "quantity": 2}))
    _ok(c.put(f"/api/carts/{customer}/{cart['shoppingCartId']}/shipping", headers=h, json={"shippingAddress": SHIP_TO}))
    ext, number = f"EXT-{tag}", f"ORD-{tag.upper()}"
    order = _ok(c.post("/api/orders", headers=h, json=_order_body(customer, externalId=ext, orderNumber=number)))
    paid = _ok(c.post(f"/api/orders/{order['data']['id']}/invoices", headers=h,
                      json={"status": "Issued", "items": [{"sku": "WDG-BLU-L", "quantity": 24}]}))
    paid = _ok(c.post(f"/api/invoices/{paid['id']}/payments", headers=h, json={"amount": 100, "method": "Check"}))
    draft = _ok(c.post(f"/api/orders/{order['data']['id']}/invoices", headers=h,
                       json={"status": "Draft", "items": [{"sku": "WDG-RED-M", "quantity": 6}]}))
    pending = _ok(c.post(f"/api/invoices/{paid['id']}/payments", headers=h,
                         json={"amount": 10, "method": "Check", "status": "Pending"}))
    pending_id = next(p["id"] for p in pending["payments"] if p.get("status") == "Pending")
    return Target(customer=customer, cart=cart["shoppingCartId"], order=order["data"]["id"], order_number=number,
                  external_id=ext, invoice=invoice["id"], paid_invoice=paid["id"], payment=paid["payments"][0]["id"],
                  draft_invoice=draft["id"], pending_payment=pending_id, org_admin=org_admin)


def _login(c: TestClient, who: str) -> dict[str, str]:
    org, client_id, secret = CREDS[who]
    r = c.post("/api/auth/login", json={"OrgCode": org, "ClientId": client_id, "ClientSecret": secret})
    return {"Authorization": f"Bearer {_ok(r)['AccessToken']}"}


@dataclass(frozen=True)
class World:
    root: Path
    targets: dict[str, Target]
    tokens: dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def world(sandbox_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = copy_sandbox(sandbox_template, tmp_path_factory.mktemp("scope") / "world")
    app = create_app(root, **SIZES)
    with TestClient(app, base_url=BASE) as c:
        tokens = {who: _login(c, who) for who in CREDS}
        other = tokens["other"]
        _ok(
            c.put(
                "/api/customers",
                headers=other,
                json={
                    "customerNumber": "CUST-OTHERONLY",
                    "companyName": "Elsewhere Ltd",
                    "repNumber": "REP-007",
                    "pricing": "Wholesale",
                },
            )
        )
        targets = {
            "own": _build_target(c, tokens["admin"], "CUST-1042", "own", "admin"),
            "other customer": _build_target(c, tokens["admin"], "CUST-0055", "othercust", "admin"),
            "other org": _build_target(c, other, "CUST-OTHERONLY", "otherorg", "other"),
        }
    app.state.db.close()
    yield World(root, targets, tokens)
    shutil.rmtree(root, ignore_errors=True)


Send = Callable[[TestClient, dict[str, str], Target, Target], Any]


@dataclass(frozen=True)
class Case:
    """One write.  ``send(client, headers, target, mine)``; ``ok`` = status when allowed."""

    name: str
    send: Send
    ok: int
    staff_only: bool = False
    refused: int = 404
    field: str | None = None  # the field a 400 refusal names
    # what another organisation's target gets, when its ids simply do not exist here and the
    # request then makes something new in the caller's own organisation (None: refused like the rest)
    other_org: int | None = None
    prep: Send | None = None  # run first as the target org's admin
    # an upsert: a refused one answers the 404 a read of this path gets (a ghost id would create instead)
    read: Callable[[Target], str] | None = None
    moves_mine: bool = False  # the write is aimed at the caller's own order (moving it to the target)


def _bulk(c: TestClient, h: dict[str, str], order: dict[str, Any]) -> Any:
    """POST /api/orders/bulk with one order; returns its entry as (status, problem-or-data)."""
    r = c.post("/api/orders/bulk", headers=h, json={"orders": [order]})
    assert r.status_code == 201, r.text
    entry = r.json()[0]
    if entry["error"] is not None:
        return entry["error"]["status"], entry["error"]
    return (201 if entry["data"]["created"] else 200), entry["data"]


def _create(c: TestClient, h: dict[str, str], order: dict[str, Any]) -> Any:
    """POST /api/orders; a success as (201 made / 200 updated, data), as data.created says."""
    r = c.post("/api/orders", headers=h, json=order)
    if r.status_code != 201:
        return r
    return (201 if r.json()["data"]["created"] else 200), r.json()["data"]


def _checkout_pending(c: TestClient, h: dict[str, str], t: Target, mine: Target) -> Any:
    return c.post(f"/api/carts/{t.customer}/{t.cart}/complete-checkout", headers=h, json={"channel": "Phone"})


def _by_ext(t: Target) -> str:
    """Where a read of the order with this externalId would go (no such route: it answers 404 like the rest)."""
    return f"/api/orders/{t.external_id}"


def _cart(t: Target, tail: str = "") -> str:
    return f"/api/carts/{t.customer}/{t.cart}{tail}"


CASES = [
    Case(
        "cart: create",
        lambda c, h, t, m: c.post(f"/api/carts/{t.customer}", headers=h, json={"sku": "WDG-RED-M"}),
        201,
        prep=_checkout_pending,
    ),
    Case(
        "cart: add line",
        lambda c, h, t, m: c.post(_cart(t, "/items"), headers=h, json={"sku": "WDG-RED-M", "quantity": 1}),
        200,
    ),
    Case(
        "cart: change line",
        lambda c, h, t, m: c.put(_cart(t, "/items/WDG-BLU-L"), headers=h, json={"quantity": 4}),
        200,
    ),
    Case("cart: delete line", lambda c, h, t, m: c.delete(_cart(t, "/items/WDG-BLU-L"), headers=h), 204),
    Case(
        "cart: shipping",
        lambda c, h, t, m: c.put(_cart(t, "/shipping"), headers=h, json={"shippingAddress": SHIP_TO}),
        200,
    ),
    Case(
        "cart: PO number", lambda c, h, t, m: c.put(_cart(t, "/po-number"), headers=h, json={"poNumber": "PO-X"}), 200
    ),
    Case(
        "cart: checkout",
        lambda c, h, t, m: c.post(_cart(t, "/complete-checkout"), headers=h, json={"channel": "Phone"}),
        200,
    ),
    Case(
        "cart: checkout by id",
        lambda c, h, t, m: c.post(f"/api/carts/{t.cart}/checkout", headers=h, json={"channel": "Phone"}),
        200,
    ),
    Case(
        "order: create for the customer",
        lambda c, h, t, m: c.post("/api/orders", headers=h, json=_order_body(t.customer)),
        201,
        refused=400,
        field="Customer.CustomerNumber",
    ),
    Case(
        "order: upsert by externalId",
        lambda c, h, t, m: _create(
            c,
            h,
            _order_body(
                m.customer, externalId=t.external_id, items=[{"sku": "WDG-BLU-L", "quantity": 1, "price": "0.01"}]
            ),
        ),
        200,
        other_org=201,
        read=_by_ext,
    ),
    Case(
        "bulk: upsert by orderNumber",
        lambda c, h, t, m: _bulk(
            c,
            h,
            _order_body(
                m.customer, orderNumber=t.order_number, items=[{"sku": "WDG-BLU-L", "quantity": 1, "price": "0.01"}]
            ),
        ),
        200,
        other_org=201,
        read=lambda t: f"/api/orders/{t.order_number}",
    ),
    Case(
        "bulk: upsert by externalId",
        lambda c, h, t, m: _bulk(c, h, _order_body(m.customer, externalId=t.external_id)),
        200,
        other_org=201,
        read=_by_ext,
    ),
    Case(
        "bulk: move my order to the customer",
        lambda c, h, t, m: _bulk(c, h, _order_body(t.customer, orderNumber=m.order_number)),
        200,
        refused=400,
        field="Orders[0].Customer.CustomerNumber",
        moves_mine=True,
    ),
    Case(
        "order: move my order to the customer",
        lambda c, h, t, m: c.put(
            f"/api/orders/{m.order}/customer", headers=h, json={"customerNumber": t.customer, "companyName": "Moved"}
        ),
        200,
        refused=400,
        field="CustomerNumber",
        moves_mine=True,
    ),
    Case(
        "order: move the customer's order to me",
        lambda c, h, t, m: c.put(
            f"/api/orders/{t.order}/customer", headers=h, json={"customerNumber": m.customer, "companyName": "Taken"}
        ),
        200,
    ),
    Case(
        "order: shipping",
        lambda c, h, t, m: c.put(f"/api/orders/{t.order}/shipping", headers=h, json={"method": "UPS", "total": 5}),
        200,
    ),
    Case(
        "order: email",
        lambda c, h, t, m: c.post(
            f"/api/orders/{t.order_number}/email", headers=h, json={"emailAddresses": ["buyer@example.com"]}
        ),
        200,
    ),
    Case(
        "invoice: create",
        lambda c, h, t, m: c.post(f"/api/orders/{t.order}/invoices", headers=h, json={"status": "Issued"}),
        201,
        staff_only=True,
    ),
    Case(
        "invoice: payment",
        lambda c, h, t, m: c.post(
            f"/api/invoices/{t.invoice}/payments", headers=h, json={"amount": 1, "method": "Check"}
        ),
        201,
        staff_only=True,
    ),
    Case(
        "invoice: refund",
        lambda c, h, t, m: c.post(
            f"/api/invoices/{t.paid_invoice}/payments", headers=h, json={"amount": -10, "originalPaymentId": t.payment}
        ),
        201,
        staff_only=True,
    ),
    Case(
        "invoice: issue",
        lambda c, h, t, m: c.post(f"/api/invoices/{t.draft_invoice}/issue", headers=h),
        200,
        staff_only=True,
    ),
    Case(
        "invoice: discount",
        lambda c, h, t, m: c.put(
            f"/api/invoices/{t.draft_invoice}/discount",
            headers=h,
            json={"discount": {"type": "Percentage", "value": 10}},
        ),
        200,
        staff_only=True,
    ),
    Case(
        "invoice: complete a pending payment",
        lambda c, h, t, m: c.post(f"/api/invoices/{t.paid_invoice}/payments/{t.pending_payment}/complete", headers=h),
        200,
        staff_only=True,
    ),
    Case(
        "invoice: void",
        lambda c, h, t, m: c.post(f"/api/invoices/{t.invoice}/void", headers=h, json={}),
        200,
        staff_only=True,
    ),
    Case(
        "invoice: cancel",
        lambda c, h, t, m: c.post(f"/api/invoices/{t.invoice}/cancel", headers=h, json={}),
        200,
        staff_only=True,
    ),
    Case(
        "customer: update",
        lambda c, h, t, m: c.put(
            "/api/customers",
            headers=h,
            json={"customerNumber": t.customer, "companyName": "Renamed Inc", "pricing": "Wholesale"},
        ),
        200,
        staff_only=True,
        other_org=201,
        read=lambda t: f"/api/customers/{t.customer}",
    ),
]


def allowed(role: str, target: str) -> bool:
    return target == "own" or (role == "Admin" and target == "other customer")


def _state(path: Path) -> list[str]:
    """Every row of the database, as text (a refused write must leave all of it as it was)."""
    con = sqlite3.connect(path / "sandbox.sqlite3")
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _org_state(path: Path, org_code: str) -> list[tuple[Any, ...]]:
    """The rows of one organisation (and of its carts, orders and invoices)."""
    con = sqlite3.connect(path / "sandbox.sqlite3")
    try:
        org = con.execute("SELECT id FROM orgs WHERE code = ?", (org_code,)).fetchone()[0]
        rows: list[tuple[Any, ...]] = []
        for table in ("customers", "addresses", "carts", "orders", "invoices", "emails"):
            rows += [
                (table, *r) for r in con.execute(f"SELECT * FROM {table} WHERE org_id = ? ORDER BY 1, 2, 3", (org,))
            ]
        for table, parent, key in (("cart_items", "carts", "cart_id"), ("order_items", "orders", "order_id"),
                                   ("payments", "invoices", "invoice_id")):
            rows += [
                (table, *r)
                for r in con.execute(
                    f"SELECT * FROM {table} WHERE {key} IN (SELECT id FROM {parent} WHERE org_id = ?) ORDER BY 1, 2, 3",
                    (org,),
                )
            ]
        return rows
    finally:
        con.close()


def _answer(result: Any) -> tuple[int, Any]:
    if isinstance(result, tuple):
        return result
    return result.status_code, (result.json() if result.content else None)


def _normalise(body: Any, *pairs: tuple[Target, str]) -> str:
    text = json.dumps(body, sort_keys=True)
    for target, label in pairs:
        for name in ("customer", "cart", "order", "order_number", "external_id", "invoice", "paid_invoice", "payment",
                     "draft_invoice", "pending_payment"):
            value = getattr(target, name)
            if value:
                text = text.replace(value, f"<{label}.{name}>")
    return text


PARAMS = [pytest.param(case, role, target, id=f"{case.name} | {role} | {target}")
          for case in CASES for role in ROLES for target in TARGETS]


@pytest.fixture(scope="module")
def live(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, TestClient]]:
    """One sandbox app for the table; each case puts the world back first (SQLite backup: milliseconds)."""
    root = copy_sandbox(world.root, tmp_path_factory.mktemp("scope-live") / "sandbox")
    app = create_app(root, **SIZES)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        yield root, c
    app.state.db.close()


def _restore(world: World, client: TestClient) -> None:
    src = sqlite3.connect(world.root / "sandbox.sqlite3")
    try:
        with client.app.state.db.connection() as con:  # type: ignore[attr-defined]
            src.backup(con)
    finally:
        src.close()


@pytest.mark.parametrize(("case", "role", "target"), PARAMS)
def test_write_is_scoped_like_a_read(case: Case, role: str, target: str, world: World,
                                     live: tuple[Path, TestClient]) -> None:
    root, c = live
    _restore(world, c)
    t, mine = world.targets[target], world.targets["own"]
    h = world.tokens[ROLES[role]]
    if case.prep is not None:
        assert _answer(case.prep(c, world.tokens[t.org_admin], t, mine))[0] in (200, 201)
    before, other_before = _state(root), _org_state(root, "OTHER")
    status, body = _answer(case.send(c, h, t, mine))
    if case.staff_only and role == "Customer":
        assert status == 403, body
        assert _state(root) == before
        return
    if allowed(role, target):
        assert status == case.ok, body
        return
    if target == "other org" and case.other_org is not None:
        # the other organisation's ids mean nothing here: made anew in the caller's own org
        assert status == case.other_org, body
        assert _org_state(root, "OTHER") == other_before
        return
    assert status == case.refused, body
    assert _state(root) == before, "a refused write changed the database"
    assert other_before == _org_state(root, "OTHER")
    if case.refused == 400:
        assert case.field in body["errors"], body
    if case.read is not None:
        # the same 404 a read gets, and nothing about what it matched
        read = c.get(case.read(t), headers=h)
        assert read.status_code == 404
        assert {k: v for k, v in body.items() if v is not None} == read.json()
        text = json.dumps(body)
        assert t.order not in text and (t.customer not in text or "customers" in case.read(t))
        if case.read is _by_ext:
            assert t.order_number not in text
        return
    # indistinguishable from the same request aimed at ids that do not exist
    ghost = replace(GHOST, order=mine.order if case.moves_mine else GHOST.order,
                    order_number=mine.order_number if case.moves_mine else GHOST.order_number)
    g_status, g_body = _answer(case.send(c, h, ghost, mine))
    assert (status, _normalise(body, (t, "t"))) == (g_status, _normalise(g_body, (ghost, "t"))), \
        "a refused write answers differently from a write to something that does not exist"


def test_the_issue_attacks_are_refused(world: World, tmp_path: Path) -> None:
    """The exact attacks of issue 12.

    ORD-00001 via bulk as demo-customer; ORD-00002 moved by a rep; externalId takeover."""
    root = copy_sandbox(world.root, tmp_path / "sandbox")
    app = create_app(root, **SIZES)
    admin, rep, customer = (world.tokens[w] for w in ("admin", "rep", "customer"))
    try:
        with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
            first = _ok(c.get("/api/orders/ORD-00001", headers=admin))
            second = _ok(c.get("/api/orders/ORD-00002", headers=admin))
            assert first["customer"]["customerNumber"] != "CUST-1042"
            rep_customers = {x["customerNumber"] for x in _ok(c.get("/api/customers", headers=rep,
                                                                    params={"pageSize": 1000}))["data"]}
            assert second["customer"]["customerNumber"] not in rep_customers and "CUST-0013" in rep_customers
            penny = [{"sku": "WDG-BLU-L", "quantity": 1, "price": "0.01"}]
            status, error = _bulk(c, customer, _order_body("CUST-1042", orderNumber="ORD-00001", items=penny))
            assert status == 404 and "id" not in error, error
            status, error = _bulk(c, rep, _order_body("CUST-0013", orderNumber="ORD-00002", items=penny))
            assert status == 404, error
            assert _ok(c.get("/api/orders/ORD-00001", headers=admin)) == first
            assert _ok(c.get("/api/orders/ORD-00002", headers=admin)) == second
            # an admin's order with an externalId, then a customer token tries to take it over
            made = _ok(c.post("/api/orders", headers=admin, json=_order_body("CUST-0082", externalId="ADMIN-EXT-1")))
            r = c.post(
                "/api/orders", headers=customer, json=_order_body("CUST-1042", externalId="ADMIN-EXT-1", items=penny)
            )
            assert r.status_code == 404 and made["data"]["id"] not in r.text, r.text
            taken = _ok(c.get(f"/api/orders/{made['data']['id']}", headers=admin))
            assert taken["customer"]["customerNumber"] == "CUST-0082" and taken["orderTotal"] > 100
            assert c.get(f"/api/orders/{made['data']['id']}", headers=customer).status_code == 404
    finally:
        app.state.db.close()
