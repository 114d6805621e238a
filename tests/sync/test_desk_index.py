"""The Desk answers look-ups from the local search index once it is filled, and from the API before.

Requests are counted at an httpx transport in front of the real in-process sandbox;
the index is the real SQLite file beside the drafts.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from nymble_desk.drafts.store import DraftStore
from nymble_desk.index import CustomerHit, ProductHit
from nymble_desk.sync.desk import Desk


class Counting(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[f"{request.method} {request.url.path}"] += 1
        return await self.inner.handle_async_request(request)

    def total(self) -> int:
        return sum(self.calls.values())


async def signed_in_desk(make_client: Any, asgi: Any, store: DraftStore) -> tuple[Desk, Counting]:
    counting = Counting(asgi)
    desk = Desk(make_client(transport=counting), store)
    await desk.sign_in()
    return desk, counting


async def test_searches_are_served_from_the_filled_index_without_api_calls(make_client, asgi, store) -> None:
    desk, counting = await signed_in_desk(make_client, asgi, store)
    assert desk.index is not None and desk.index.db_path == store.path  # beside the drafts
    report = await desk.refresh_index()
    assert report.kinds and all(k.completed and k.full for k in report.kinds)
    assert desk.index_freshness().ready
    counting.calls.clear()

    customers = await desk.search_customers("CUST-1042")
    assert isinstance(customers[0], CustomerHit) and customers[0].customer_number == "CUST-1042"
    assert [c.customer_number for c in await desk.search_customers("Brightfield")] == ["CUST-1042"]
    products = await desk.search_products("WDG-BLU")
    assert "WDG-BLU-L" in [p.sku for p in products] and all(isinstance(p, ProductHit) for p in products)
    scanned = await desk.find_product("012345678905")  # the UPC of WDG-BLU-L
    assert isinstance(scanned, ProductHit) and scanned.sku == "WDG-BLU-L"
    assert await desk.po_used_before("CUST-1042", "po-2024-77001")  # remembered from the latest orders
    assert counting.total() == 0, counting.calls

    # An index hit prices the line as an API product would: the Wholesale break at 48.
    draft = desk.open_draft(customers[0])
    line = desk.add_line(draft.id, scanned, 48).line("WDG-BLU-L")
    assert (line.quantity, line.unit_price) == (48, Decimal("11.75"))
    assert counting.total() == 0


async def test_before_the_index_is_filled_the_api_answers(make_client, asgi, store) -> None:
    desk, counting = await signed_in_desk(make_client, asgi, store)
    assert desk.index_freshness() is not None and not desk.index_freshness().ready
    counting.calls.clear()
    customers = await desk.search_customers("Brightfield")
    assert [c.customer_number for c in customers] == ["CUST-1042"]
    assert not isinstance(customers[0], CustomerHit)  # the API's model
    assert counting.calls["GET /api/customers"] == 1
    product = await desk.find_product("WDG-BLU-L")
    assert product is not None and not isinstance(product, ProductHit)
    assert counting.calls["GET /api/products/WDG-BLU-L"] == 1
    assert [p.sku for p in await desk.search_products("WDG-BLU-L")] == ["WDG-BLU-L"]
    assert counting.calls["GET /api/products"] == 1


async def test_what_the_filled_index_lacks_is_asked_of_the_api(make_client, asgi, store) -> None:
    desk, counting = await signed_in_desk(make_client, asgi, store)
    await desk.refresh_index()
    counting.calls.clear()
    assert await desk.find_product("NO-SUCH-SKU") is None
    assert counting.calls["GET /api/products/NO-SUCH-SKU"] == 1
    assert not await desk.po_used_before("CUST-1042", "PO-NEVER-USED")  # the index does not know: ask
    assert counting.calls["GET /api/orders"] == 1
    assert await desk.search_customers("   ") is not None  # empty text: the API's first page, as before
    assert counting.calls["GET /api/customers"] == 1


async def test_a_desk_that_never_signed_in_uses_the_api(make_client, store) -> None:
    desk = Desk(make_client(), store)
    assert desk.index is None and desk.index_freshness() is None
    assert await desk.refresh_index() is None
    assert next(c.customer_number for c in await desk.search_customers("CUST-1042")) == "CUST-1042"
    assert (await desk.find_product("WDG-BLU-L")).sku == "WDG-BLU-L"


async def test_an_incremental_refresh_picks_up_a_changed_product(make_client, asgi, store, tmp_path: Path) -> None:
    desk, counting = await signed_in_desk(make_client, asgi, store)
    await desk.refresh_index()
    before = desk.index.get_product("WDG-BLU-L")
    assert before is not None and before.name == "Widget Blue Large"

    # The product changes on the server (a new name and list price, a newer updatedAt).
    con = sqlite3.connect(tmp_path / "sandbox" / "sandbox.sqlite3")
    with con:
        con.execute("UPDATE products SET name = 'Widget Blue Large v2', price = 1399,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE sku = 'WDG-BLU-L'")
    con.close()

    counting.calls.clear()
    report = await desk.refresh_index()
    products = next(k for k in report.kinds if k.kind == "products")
    assert not products.full and products.completed and products.rows == 1  # only what changed
    after = await desk.find_product("WDG-BLU-L")
    assert isinstance(after, ProductHit) and (after.name, after.price) == ("Widget Blue Large v2", Decimal("13.99"))
    assert [p.name for p in await desk.search_products("v2")] == ["Widget Blue Large v2"]
    assert counting.calls["GET /api/products/WDG-BLU-L"] == 0


async def test_another_sign_in_scope_starts_an_empty_index(make_client, asgi, store) -> None:
    desk, _ = await signed_in_desk(make_client, asgi, store)
    await desk.refresh_index()
    assert desk.index_freshness().customers.count > 0
    admin = Desk(make_client(client_id="demo-admin", secret="demo-admin-secret"), store)
    await admin.sign_in()  # another user's index: the rep's customers are not shown to them
    assert admin.index_freshness().customers.count == 0 and not admin.index_freshness().ready


async def test_search_now_answers_from_the_index_in_the_callers_thread_or_says_none(make_client, asgi, store) -> None:
    desk, counting = await signed_in_desk(make_client, asgi, store)
    # before a full fill (and for empty text) the UI must await the async search instead
    assert desk.search_now("customers", "Brightfield", 20) is None
    await desk.refresh_index()
    counting.calls.clear()
    hits = desk.search_now("customers", "Brightfield", 20)
    assert hits is not None and [h.customer_number for h in hits] == ["CUST-1042"]
    products = desk.search_now("products", "WDG-BLU", 5)
    assert products is not None and "WDG-BLU-L" in [p.sku for p in products]
    assert desk.search_now("customers", "  ", 20) is None
    assert counting.total() == 0
    # a query the index cannot finish within the budget gives None (then the UI searches in a
    # thread), and the connection is left without the budget for the next search
    assert desk.lookups.search_now("products", "widget", 5, budget_s=0.0) is None
    assert desk.search_now("products", "widget", 5)


async def test_a_desk_that_never_signed_in_has_no_search_now(make_client, store) -> None:
    desk = Desk(make_client(), store)
    assert desk.search_now("customers", "Brightfield", 20) is None
