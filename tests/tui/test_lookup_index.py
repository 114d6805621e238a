"""Customer lookup over the local search index: the real app, Desk, sandbox and index file.

Requests are counted (and the index fill can be held) at an httpx transport in front
of the in-process sandbox, the network edge.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
from textual.widgets import Input

from nymble_desk.index import CustomerHit
from nymble_desk.sync.desk import Desk
from nymble_desk.tui.screens.customers import CustomerLookupScreen
from nymble_desk.tui.widgets.hit_table import HitTable

from test_shell_support import front, on_screen, status_text, until

FILL_PAGE = "pageSize=500"  # the refresher's page size: only the index fill asks for pages this big


class Edge(httpx.AsyncBaseTransport):
    """Counts requests; ``hold_fill`` keeps the index fill's pages waiting until ``release``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, hold_fill: bool = False) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()
        self.gate = asyncio.Event()
        if not hold_fill:
            self.gate.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[f"{request.method} {request.url.path}"] += 1
        if FILL_PAGE in str(request.url):
            await self.gate.wait()
        return await self.inner.handle_async_request(request)


def rows(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#results", HitTable)
    return [list(table.get_row(key)) for key in table.keys]



async def type_query(pilot: Any, text: str) -> None:
    app = pilot.app
    box = app.screen.query_one("#search", Input)
    box.focus()
    box.value = ""
    await pilot.press(*text)
    await until(pilot, lambda: app.screen.last_query == text, timeout=10)


def app_over(make_app: Any, make_client: Any, draft_store: Any, edge: Edge) -> Any:
    return make_app(desk=Desk(make_client(transport=edge), draft_store))


async def test_lookup_shows_index_results_without_asking_the_api(make_app, make_client, draft_store,
                                                                 sandbox_app) -> None:
    edge = Edge(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))
    app = app_over(make_app, make_client, draft_store, edge)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await until(pilot, lambda: app.index_keeper.describe() == "index up to date", timeout=15)
        assert app.index_status is None and "index" not in status_text(app)  # current: nothing to notice
        edge.calls.clear()

        await type_query(pilot, "Brightf")
        found = rows(app)
        assert [r[0] for r in found] == ["CUST-1042"] and "Brightfield" in found[0][1]
        assert isinstance(app.screen.hits["CUST-1042"], CustomerHit)
        await type_query(pilot, "555")  # phone digits, from the index too
        assert rows(app)
        assert edge.calls["GET /api/customers"] == 0, edge.calls

        await pilot.press("enter")  # an index hit opens the cart like an API customer
        await until(pilot, lambda: front(app) == "CartScreen", timeout=10)


async def test_first_screen_and_search_do_not_wait_for_the_index(make_app, make_client, draft_store,
                                                                 sandbox_app) -> None:
    edge = Edge(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False), hold_fill=True)
    app = app_over(make_app, make_client, draft_store, edge)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await until(pilot, lambda: edge.calls["GET /api/customers"] >= 2, timeout=10)  # the fill is held
        await type_query(pilot, "CUST-1042")  # answered by the API meanwhile
        assert [r[0] for r in rows(app)] == ["CUST-1042"]
        assert not isinstance(app.screen.hits["CUST-1042"], CustomerHit)
        assert "no index yet" in status_text(app) or "index filling" in status_text(app)

        edge.gate.set()
        await until(pilot, lambda: app.index_keeper.describe() == "index up to date", timeout=15)
        searched = edge.calls["GET /api/customers"]
        await type_query(pilot, "CUST-0082")
        assert [r[0] for r in rows(app)] == ["CUST-0082"]
        assert edge.calls["GET /api/customers"] == searched


def test_fill_progress_in_plain_words() -> None:
    from nymble_desk.tui.index_worker import IndexKeeper

    class App:
        index_status = None
        desk = None

    app = App()
    keeper = IndexKeeper(app)
    keeper._progress("customers", 40, 50)  # 80% of the customers: 40% of the fill
    assert app.index_status == keeper.describe() == "index filling 40%"
    keeper._progress("products", 50, 100)
    assert app.index_status == "index filling 70%"  # 75%, in 10% steps


def test_fill_progress_redraws_the_status_line_in_steps_not_once_a_page() -> None:
    """300 pages of progress (300k rows in 1000-row pages) change the status text at most 11 times."""
    from nymble_desk.tui.index_worker import IndexKeeper

    class App:
        desk = None

        def __init__(self) -> None:
            self.shown: list[str | None] = []

        @property
        def index_status(self) -> str | None:
            return self.shown[-1] if self.shown else None

        @index_status.setter
        def index_status(self, value: str | None) -> None:
            if value != self.index_status:  # a reactive redraws only on a change
                self.shown.append(value)

    app = App()
    keeper = IndexKeeper(app)
    for kind, total in (("customers", 100_000), ("products", 200_000)):
        for done in range(1000, total + 1, 1000):
            keeper._progress(kind, done, total)
    assert len(app.shown) <= 11 and app.shown[-1] == "index filling 100%"
    assert app.shown[0] == "index filling 0%"
