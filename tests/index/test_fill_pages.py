"""The child's fill loop (``index.fill.fill_kind`` over ``api_pages.PageReader``) against the real sandbox on a
loopback port: searchable while it fills, the customers' deferred indexes made at its end (or when it is cut
short), a refresh by ``updatedAt``, and the reader's retries against a server that drops or refuses."""

from __future__ import annotations

import asyncio
import http.server
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.errors import ApiError, Unauthorized, Unreachable
from nymble_desk.index import SearchIndex
from nymble_desk.index.api_pages import PageReader, page_target
from nymble_desk.index.fill import fill_in_child, fill_kind
from nymble_desk.index.schema import DEFERRABLE_INDEXES
from nymble_desk.sandbox.server import start_in_thread

SCOPE = "DEMO/admin@test"
DEFERRED = {name for name, _ in DEFERRABLE_INDEXES["customers"]}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with start_in_thread(tmp_path_factory.mktemp("sandbox") / "sandbox", customers=120, products=150) as server:
        yield server


@pytest.fixture(scope="module")
def token(running) -> str:
    with httpx.Client(base_url=running.base_url) as http:
        answer = http.post("/api/auth/login", json={"OrgCode": "DEMO", "ClientId": "demo-admin",
                                                    "ClientSecret": "demo-admin-secret"})
        return str(answer.json()["AccessToken"])


def indexes(db: Path) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'")}
    finally:
        con.close()


def test_a_first_fill_is_searchable_as_it_fills_and_makes_the_deferred_indexes_after_its_last_page(
        running, token: str, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite3"
    index = SearchIndex(db, scope=SCOPE)
    watcher = SearchIndex(db)  # the UI's side: its own connection to the same file
    seen: list[tuple[int, set[str], list[str], list[str]]] = []

    def progress(kind: str, rows: int, expected: int) -> None:
        if rows == 40:  # two pages written, more to come
            con = sqlite3.connect(db)
            number, name = con.execute("SELECT number, name FROM idx_customers ORDER BY id LIMIT 1").fetchone()
            con.close()
            by_number = [h.number for h in watcher.search_customers(number)]
            by_word = [h.number for h in watcher.search_customers(name.split()[-1], limit=100)]
            seen.append((rows, indexes(db), by_number, by_word))
            assert number in by_number and number in by_word

    reader = PageReader(running.base_url, token)
    try:
        report = fill_kind(index, reader, "customers", page_size=20, on_progress=progress)
    finally:
        reader.close()
    assert report.full and report.completed and report.pages >= 3
    assert seen and not (seen[0][1] & DEFERRED)  # dropped while the first fill wrote into an empty table
    assert indexes(db) >= DEFERRED and index.is_ready("customers")
    assert not index.freshness().customers.filling
    assert [h.number for h in index.search_customers("Brightfield")][:1] == ["CUST-1042"]
    watcher.close()
    index.close()


def test_a_fill_cut_short_keeps_its_rows_searchable_with_every_index_and_the_next_one_finishes(
        running, token: str, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite3"
    index = SearchIndex(db, scope=SCOPE)

    class DropsThirdPage(PageReader):  # fault injection at the network's edge
        answers = 0

        def receive(self) -> bytes:
            self.answers += 1
            if self.answers == 3:
                super().receive()
                raise Unreachable("injected")
            return super().receive()

    reader = DropsThirdPage(running.base_url, token)
    with pytest.raises(Unreachable):
        fill_kind(index, reader, "customers", page_size=20)
    fresh = index.freshness().customers
    assert fresh.count == 40 and not fresh.ready and not fresh.filling
    assert indexes(db) >= DEFERRED
    assert index.search_customers("CUST-0")  # what was written answers a search
    again = fill_kind(index, reader, "customers", page_size=20)
    reader.close()
    assert again.full and again.completed and index.is_ready("customers")
    assert indexes(db) >= DEFERRED
    index.close()


async def test_the_child_refreshes_by_updated_at(running, token: str, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite3"
    SearchIndex(db, scope=SCOPE).close()
    first = await fill_in_child(base_url=running.base_url, token=token, db_path=str(db), scope=SCOPE,
                                kinds=("customers",), page_size=50)
    assert [(r.full, r.completed) for r in first] == [(True, True)]
    async with NymbleClient(running.base_url, Credentials("DEMO", "demo-admin", "demo-admin-secret")) as admin:
        await admin.customers.upsert({"customerNumber": "CUST-0082", "companyName": "Keystone Goods Renamed",
                                      "repNumber": "REP-007", "pricing": "Wholesale"})
    again = await fill_in_child(base_url=running.base_url, token=token, db_path=str(db), scope=SCOPE,
                                kinds=("customers",), page_size=50)
    assert [(r.full, r.completed, r.rows) for r in again] == [(False, True, 1)]
    index = SearchIndex(db, scope=SCOPE)
    try:
        assert [h.number for h in index.search_customers("keystone goods ren")] == ["CUST-0082"]
    finally:
        index.close()


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Drops the first connection unanswered, then says 429 once, then answers a page."""

    protocol_version = "HTTP/1.1"
    calls: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.calls.append(self.path)
        if len(self.calls) == 1:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if len(self.calls) == 2:
            self._answer(429, b'{"title": "Too many requests"}', {"Retry-After": "0"})
            return
        if "pageNumber=9" in self.path:
            self._answer(401, b'{"title": "Unauthorized", "detail": "token expired"}', {})
            return
        self._answer(200, b'{"data": [], "totalRecords": 0, "currentPage": 1, "totalPages": 1}', {})

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in {**headers, "Content-Type": "application/json", "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


def test_the_reader_asks_again_after_a_dropped_connection_and_a_429_and_types_a_refusal() -> None:
    _Flaky.calls = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    reader = PageReader(f"http://127.0.0.1:{server.server_address[1]}", "t0k", timeout=10)
    try:
        reader.send(page_target("customers", 1, 1000))
        assert reader.receive().startswith(b'{"data": []')
        assert len(_Flaky.calls) == 3 and len(set(_Flaky.calls)) == 1
        reader.send(page_target("customers", 9, 1000))
        with pytest.raises(Unauthorized) as refused:
            reader.receive()
        assert isinstance(refused.value, ApiError) and refused.value.status == 401
        assert "token expired" in str(refused.value)
    finally:
        reader.close()
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_the_wire_encoding_of_a_refresh_by_updated_at() -> None:
    target = page_target("products", 2, 500, "2026-01-01T00:00:00+00:00")
    assert target.startswith("/api/products?pageNumber=2&pageSize=500&sortOn=sku&sortDirection=asc&filters=")
    assert "updatedAt%3Agt%3A2026-01-01T00%3A00%3A00%2B00%3A00" in target



async def test_a_cancelled_child_fill_leaves_a_whole_index_that_is_not_filling(running, token: str,
                                                                               tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite3"
    SearchIndex(db, scope=SCOPE).close()
    written = asyncio.Event()

    def progress(kind: str, rows: int, expected: int) -> None:
        if rows >= 40:
            written.set()

    fill = asyncio.ensure_future(fill_in_child(base_url=running.base_url, token=token, db_path=str(db),
                                               scope=SCOPE, kinds=("customers", "products"), page_size=20,
                                               on_progress=progress))
    await asyncio.wait_for(written.wait(), 30)
    fill.cancel()
    with pytest.raises(asyncio.CancelledError):
        await fill
    index = SearchIndex(db, scope=SCOPE)
    try:
        fresh = index.freshness()
        assert fresh.customers.count >= 40 and not fresh.customers.filling and not fresh.products.filling
        assert indexes(db) >= DEFERRED  # made by the child on its way out
        assert index.search_customers("CUST-0")
    finally:
        index.close()


def test_the_next_page_is_asked_for_before_this_one_is_written_and_an_unneeded_one_is_dropped(
        running, token: str, tmp_path: Path) -> None:
    """Page n+1 is asked for before page n is parsed and written (the server prepares it meanwhile); when
    page 2 says it is the last (the list shrank meanwhile), the page 3 already asked for is dropped, and the
    next kind reads on the same reader."""
    import json

    events: list[str] = []

    class Watches(PageReader):  # at the network's edge: page 2's answer says there are 2 pages
        answers = 0

        def send(self, target: str) -> None:
            events.append("ask " + target.split("pageNumber=")[1].split("&")[0])
            super().send(target)

        def receive(self) -> bytes:
            body = super().receive()
            self.answers += 1
            if self.answers == 2:
                page = json.loads(body)
                body = json.dumps({**page, "totalPages": 2}).encode()
            return body

    db = tmp_path / "index.sqlite3"
    index = SearchIndex(db, scope=SCOPE)
    upsert = index.upsert_customers

    def write(rows) -> int:
        events.append(f"write {len(rows)}")
        return upsert(rows)

    index.upsert_customers = write  # type: ignore[method-assign]
    reader = Watches(running.base_url, token)
    try:
        customers = fill_kind(index, reader, "customers", page_size=20)
        products = fill_kind(index, reader, "products", page_size=50)
    finally:
        reader.close()
    assert events[:6] == ["ask 1", "ask 2", "write 20", "ask 3", "write 20", "ask 1"]
    assert (customers.pages, customers.rows, customers.completed) == (2, 40, True)
    assert products.completed and products.rows == index.freshness().products.count > 50
    index.close()
