"""The refresher against the real in-process sandbox: full fill, incremental refresh, idempotency, cancel."""

from __future__ import annotations

import sqlite3
from datetime import datetime, UTC
from pathlib import Path

import httpx

from nymble_desk.api.retry import RetryPolicy
from nymble_desk.index import SearchIndex
from nymble_desk.index.refresh import Refresher


def dump(path: Path) -> tuple[list, list, list]:
    con = sqlite3.connect(path)
    try:
        c = con.execute("SELECT * FROM idx_customers ORDER BY number").fetchall()
        p = con.execute("SELECT * FROM idx_products ORDER BY sku").fetchall()
        po = con.execute("SELECT * FROM idx_customer_pos ORDER BY po_key, customer_number").fetchall()
        for table in ("idx_customers_fts", "idx_products_fts"):
            con.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        return c, p, po
    finally:
        con.close()


async def totals(client) -> tuple[int, int]:
    customers = await client.customers.search(page_size=1)
    products = await client.products.search(page_size=1)
    return customers.total, products.total


async def test_full_fill_then_search_locally(index: SearchIndex, make_client) -> None:
    async with make_client() as client:
        n_customers, n_products = await totals(client)
        progress: list[tuple[str, int, int]] = []
        report = await Refresher(index, client, page_size=20, on_progress=lambda *a: progress.append(a)).run()
    assert [k.full for k in report.kinds] == [True, True] and all(k.completed for k in report.kinds)
    assert report.kinds[0].pages == -(-n_customers // 20) and report.kinds[1].pages == -(-n_products // 20)
    fresh = index.freshness()
    assert fresh.ready and (fresh.customers.count, fresh.products.count) == (n_customers, n_products)
    assert progress[-1] == ("products", n_products, n_products)
    hit = index.search_customers("brightf")[0]
    assert (hit.number, hit.name, hit.price_tier) == ("CUST-1042", "Brightfield Supply Co.", "Wholesale")
    assert index.search_customers("CUST-0055") == []  # REP-003's customer: the rep's token does not see it
    assert index.get_product("012345678905").sku == "WDG-BLU-L"
    assert index.search_customers("PO-2024-77001")[0].number == "CUST-1042"  # recent orders' PO numbers
    assert index.po_used_before("CUST-1042", "PO-2024-77001")


async def test_refresh_is_idempotent(index: SearchIndex, index_path: Path, make_client) -> None:
    async with make_client() as client:
        await Refresher(index, client, page_size=25).run()
        first = dump(index_path)
        report = await Refresher(index, client, page_size=25).run()
        assert dump(index_path) == first
        report_full = await Refresher(index, client, page_size=7).run(full=True)
        assert dump(index_path) == first
    assert not any(k.full for k in report.kinds)
    assert all(k.full and k.completed for k in report_full.kinds)


async def test_incremental_refresh_brings_changed_customers_only(index: SearchIndex, make_client) -> None:
    async with make_client() as rep, make_client("demo-admin", "demo-admin-secret") as admin:
        await Refresher(index, rep, page_size=50).run()
        before = index.freshness()
        await admin.customers.upsert({"customerNumber": "CUST-0082", "companyName": "Keystone Goods Renamed",
                                      "repNumber": "REP-007", "pricing": "Wholesale"})
        report = await Refresher(index, rep, page_size=50).run(po_pages=0)
    customers, products = report.kinds
    assert not customers.full and customers.completed
    assert customers.rows < before.customers.count  # only what changed, not the whole list
    assert [h.number for h in index.search_customers("keystone goods ren")] == ["CUST-0082"]
    assert index.search_customers("cornerstone") == []
    assert index.freshness().customers.count == before.customers.count
    assert products.completed and (products.unfiltered or products.rows < before.products.count)
    assert index.freshness().customers.refreshed_at > before.customers.refreshed_at


async def test_cancel_stops_between_pages_and_the_next_run_fills_again(index: SearchIndex, make_client) -> None:
    async with make_client("demo-admin", "demo-admin-secret") as client:  # 56 customers: several pages
        refresher = Refresher(index, client, page_size=10)
        refresher.on_progress = lambda kind, done, total: refresher.cancel() if done >= 20 else None
        report = await refresher.run()
        assert report.cancelled and not report.kinds[0].completed and report.kinds[0].pages == 2
        fresh = index.freshness()
        assert not fresh.customers.ready and not fresh.customers.filling
        assert fresh.customers.count == 20  # what was written stays searchable
        assert fresh.describe(datetime.now(UTC)).startswith("index filling")
        again = await Refresher(index, client, page_size=10).run()
    assert again.kinds[0].full and all(k.completed for k in again.kinds)
    assert index.freshness().ready


async def test_an_api_failure_mid_fill_leaves_the_index_usable_and_not_ready(index: SearchIndex, sandbox_app,
                                                                            make_client) -> None:
    inner = httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)

    class DropsThirdPage(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/customers" and request.url.params.get("pageNumber") == "3":
                raise httpx.ConnectError("injected", request=request)
            return await inner.handle_async_request(request)

    async def no_sleep(_: float) -> None:
        return None

    retry = RetryPolicy(sleep=no_sleep)
    async with make_client("demo-admin", "demo-admin-secret", transport=DropsThirdPage(), retry=retry) as client:
        try:
            await Refresher(index, client, page_size=10).run()
        except Exception as exc:  # the API layer's Unreachable
            assert type(exc).__name__ == "Unreachable"
        else:
            raise AssertionError("the refresh should have failed")
    fresh = index.freshness()
    assert not fresh.customers.ready and not fresh.customers.filling and fresh.customers.count == 20


async def test_the_next_page_is_asked_for_while_the_previous_one_is_still_being_written(
        index: SearchIndex, sandbox_app, make_client) -> None:
    """The server prepares page n+1 while page n-1 is still written: the write of page 1 waits here until the
    request for page 3 arrived (a fill that asks only after each write would never send it)."""
    import asyncio
    import threading

    inner = httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)
    asked: list[str] = []
    third = threading.Event()

    class Watches(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/customers":
                asked.append(request.url.params.get("pageNumber", "1"))
                if asked[-1] == "3":
                    third.set()
            return await inner.handle_async_request(request)

    written: list[int] = []
    upsert = index.upsert_customers

    def slow_first_write(rows) -> int:  # runs in the refresher's writer thread
        if not written:
            assert third.wait(10), f"page 3 was not asked for while page 1 was written: {asked}"
        written.append(len(rows))
        return upsert(rows)

    index.upsert_customers = slow_first_write  # type: ignore[method-assign]
    async with make_client("demo-admin", "demo-admin-secret", transport=Watches()) as client:
        report = await asyncio.wait_for(Refresher(index, client, page_size=10).run(("customers",), po_pages=0), 30)
    assert report.kinds[0].completed and sum(written) == index.freshness().customers.count
    assert asked == [str(n) for n in range(1, len(asked) + 1)]  # each page once, in order
