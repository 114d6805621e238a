"""The index fills in a child process over the API's JSON, with the same rows as the in-process fill."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

import httpx
import pytest

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.index import SearchIndex
from nymble_desk.index import rows as rowmod
from nymble_desk.index.fill import fill_in_child
from nymble_desk.index.refresh import Refresher
from nymble_desk.sandbox.server import start_in_thread

SCOPE = "DEMO/admin@test"


@pytest.fixture
def running(tmp_path: Path):
    with start_in_thread(tmp_path / "sandbox", customers=120, products=150) as server:
        yield server


def table(db: Path, name: str) -> list[tuple]:
    """The rows, ``updated_at`` (last) as a time: the wire says "...Z", a parsed model "+00:00"."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()
    finally:
        con.close()
    return [(*r[:-1], datetime.fromisoformat(r[-1].replace("Z", "+00:00"))) for r in rows]


async def test_child_fill_writes_what_the_in_process_fill_writes(running, tmp_path: Path) -> None:
    async with NymbleClient(running.base_url, Credentials("DEMO", "demo-admin", "demo-admin-secret")) as client:
        token = (await client.login()).access_token
        in_process = tmp_path / "in-process.sqlite3"
        index = SearchIndex(in_process, scope=SCOPE)
        await Refresher(index, client).run(po_pages=0)
        index.close()
    child_db = tmp_path / "child.sqlite3"
    SearchIndex(child_db, scope=SCOPE).close()
    progress: list[tuple[str, int, int]] = []
    reports = await fill_in_child(base_url=running.base_url, token=token, db_path=str(child_db), scope=SCOPE,
                                  kinds=("customers", "products"), page_size=50,
                                  on_progress=lambda *p: progress.append(p))
    assert [(r.kind, r.full, r.completed) for r in reports] == [("customers", True, True), ("products", True, True)]
    assert progress[-1][0] == "products" and progress[-1][1] == progress[-1][2] == reports[1].rows
    for name in ("idx_customers", "idx_products"):
        assert table(child_db, name) == table(in_process, name) and table(child_db, name)
    child = SearchIndex(child_db, scope=SCOPE)
    try:
        assert child.is_ready("customers") and child.is_ready("products")
        assert [h.number for h in child.search_customers("Brightfield")][:1] == ["CUST-1042"]
    finally:
        child.close()
    again = await fill_in_child(base_url=running.base_url, token=token, db_path=str(child_db), scope=SCOPE,
                                kinds=("customers",))
    assert [(r.full, r.rows) for r in again] == [(False, 0)]  # by updatedAt: nothing changed


async def test_a_refused_token_is_reported_not_hidden(running, tmp_path: Path) -> None:
    from nymble_desk.index.fill import ChildFillFailed

    db = tmp_path / "index.sqlite3"
    SearchIndex(db, scope=SCOPE).close()
    with pytest.raises(ChildFillFailed) as caught:
        await fill_in_child(base_url=running.base_url, token="not-a-token", db_path=str(db), scope=SCOPE,
                            kinds=("customers",))
    assert caught.value.status == 401


def test_wire_rows_match_the_generic_reader(running) -> None:
    with httpx.Client(base_url=running.base_url) as http:
        token = http.post("/api/auth/login", json={"OrgCode": "DEMO", "ClientId": "demo-admin",
                                                   "ClientSecret": "demo-admin-secret"}).json()["AccessToken"]
        http.headers["Authorization"] = f"Bearer {token}"
        customers = http.get("/api/customers", params={"pageSize": 200}).json()["data"]
        products = http.get("/api/products", params={"pageSize": 200}).json()["data"]
    assert customers and products
    for c in customers:  # a read-only mapping takes the generic path (pick over camelCase and snake_case)
        assert rowmod.customer_row_wire(c) == rowmod.customer_row(MappingProxyType(c))
    for p in products:
        assert rowmod.product_row_wire(p) == rowmod.product_row(MappingProxyType(p))
    assert rowmod.customer_row({**customers[0], "companyPhone": None, "addresses": []})[6] == ""


def test_the_child_tells_progress_a_few_times_a_second_and_always_a_kinds_last_page(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line a page woke the UI's event loop ~45 times a second while it filled (the status line moves in
    5% steps); the last page of a kind is always told, so the parent sees each kind end."""
    import json

    from nymble_desk.index import fill

    clock = iter([0.0, 0.1, 0.2, 0.3, 0.31, 0.32, 0.33])
    monkeypatch.setattr(fill.time, "monotonic", lambda: next(clock))
    progress = fill._Progress()
    for rows in (1000, 2000, 3000, 4000, 5000, 6000):
        progress("customers", rows, 10_000)
    progress("customers", 10_000, 10_000)
    told = [json.loads(line)["rows"] for line in capsys.readouterr().out.splitlines()]
    assert told == [1000, 4000, 10_000]
