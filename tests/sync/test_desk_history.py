"""The Desk reads a customer's last orders into the index with its summary (one read) and answers the guide, last prices
and stock from it; offline the stored history stays; a Desk never signed in keeps it for the session.
Real in-process sandbox (its seeded repeat orders), real SQLite file; requests counted at the transport."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from nymble_desk.drafts.store import DraftStore
from nymble_desk.sync.desk import Desk
from test_desk_index import signed_in_desk


async def test_one_call_reads_the_history_then_everything_answers_locally(make_client: Any, asgi: Any,
                                                                          store: DraftStore) -> None:
    desk, counting = await signed_in_desk(make_client, asgi, store)
    # the cart's panel and its history ask at once: one summary read (customer, invoices, last orders)
    summary, read = await asyncio.gather(desk.customer_summary("CUST-1042"), desk.refresh_history("CUST-1042"))
    assert read and counting.calls["GET /api/orders"] == 1 and len(summary.recent_orders) == 5
    before = counting.total()
    assert await desk.refresh_history("CUST-1042")  # within the minute a summary is reused: no call
    assert counting.total() == before
    guide = desk.order_guide("CUST-1042")
    assert [i.sku for i in guide.items][:3] == ["WDG-BLU-L", "PART-A1", "WDG-RED-M"] and guide.orders == 7
    assert desk.last_bought("CUST-1042").item("WDG-BLU-L").last_price == Decimal("11.75")  # type: ignore[union-attr]
    assert desk.order_guide("CUST-1042", last_n=1).orders == 1
    calls = counting.total()
    await desk.refresh_index()  # the products (and their stock) come with the index fill
    stock = desk.stock(["WDG-RED-M", "PART-B3", "NOPE"])
    assert {sku: s.on_hand for sku, s in stock.items()} == {"WDG-RED-M": 20, "PART-B3": 0}
    assert stock["PART-B3"].short_of(1) and not stock["WDG-RED-M"].short_of(20)
    assert stock["WDG-RED-M"].as_of is not None
    assert counting.total() > calls  # (the fill itself asked the API; the reads above did not)


async def test_offline_the_stored_history_stays(desk: Any) -> None:
    assert await desk.refresh_history("CUST-0042")
    desk.faults.down = True  # the API unreachable
    assert await desk.refresh_history("CUST-0042")  # the summary read a moment ago serves
    assert not await desk.refresh_history("CUST-0042", max_age=0)  # a new read: the API is unreachable
    # the seed's repeat orders, then the credit seed's one large WDG-RED-M order (seed.CREDIT_ORDERS)
    assert [i.sku for i in desk.order_guide("CUST-0042").items] == ["WDG-100-BLU", "PART-B3", "WIDGET-RED-M",
                                                                     "WDG-RED-M"]


async def test_a_desk_without_an_index_keeps_the_history_for_the_session(make_client: Any,
                                                                         store: DraftStore) -> None:
    desk = Desk(make_client(), store)  # never signed in: no index
    assert desk.order_guide("CUST-1042").items == () and desk.stock(["WDG-RED-M"]) == {}
    assert await desk.refresh_history("CUST-1042")
    assert desk.order_guide("CUST-1042").items[0].sku == "WDG-BLU-L"
    assert desk.order_guide("CUST-1042", last_n=2).orders == 2
    assert desk.last_bought("CUST-1042").item("PART-B3") is not None
