"""run_import tells created from updated with a few searches per import, not one per order:
requests counted at the transport in front of the real in-process sandbox."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
from lookup_edges import Counting, orders_csv

from nymble_desk.api.paging import Filter
from nymble_desk.importer import parse_csv
from nymble_desk.importer.run import Progress, run_import


async def stored(client: Any, prefix: str) -> Counter[str]:
    """externalId -> how many orders carry it, for every order under ``prefix``."""
    counts: Counter[str] = Counter()
    async for order in client.orders.iter_all([Filter("externalId", "startswith", prefix)], page_size=1000):
        counts[order.external_id] += 1
    return counts


async def test_a_500_order_import_in_5_batches_looks_up_with_a_few_searches(make_client, transport):
    text = orders_csv([""] * 500)  # derived IMP- ids
    edge = Counting(transport)
    async with make_client(via=edge) as client:
        await client.login()
        first = await run_import(client, parse_csv(text), batch_size=100)
        assert first.complete and first.report.counts == {"created": 500, "updated": 0, "rejected": 0, "skipped": 0}
        assert edge.bulk == 5
        assert edge.lookups <= 5, edge.operators
        assert edge.operators["equals"] == 0 and edge.operators["unfiltered"] == 0

        edge.reset()
        again = await run_import(client, parse_csv(text), batch_size=100, fresh=True)
        assert again.report.counts == {"created": 0, "updated": 500, "rejected": 0, "skipped": 0}
        assert {o.order_number for o in again.report.outcomes} == {o.order_number for o in first.report.outcomes}
        assert edge.bulk == 5 and edge.lookups <= 5, edge.operators
        assert edge.operators["equals"] == 0

        counts = await stored(client, "IMP-")
        assert len(counts) == 500 and set(counts.values()) == {1}, "an order was doubled"


async def test_per_order_lookup_is_still_there_and_costs_one_search_an_order(make_client, transport, tmp_path):
    text = orders_csv([f"PER-{n:03d}" for n in range(40)])
    edge = Counting(transport)
    async with make_client(via=edge) as client:
        await client.login()
        await run_import(client, parse_csv(text), batch_size=20)
        edge.reset()
        # another checkpoint dir: this run does not know what the first one sent, so it asks
        again = await run_import(client, parse_csv(text), batch_size=20, lookup="per-order",
                                 checkpoint_dir=tmp_path / "elsewhere")
        assert again.report.counts == {"created": 0, "updated": 40, "rejected": 0, "skipped": 0}
        assert edge.operators["equals"] == 40 and edge.lookups == 40


class KilledAfterBulk(httpx.AsyncBaseTransport):
    """The bulk call number ``n`` reaches the server, then its reply and everything after are lost
    (the process died mid-batch, as far as the API can tell)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, n: int) -> None:
        self.inner, self.n, self.bulk, self.dead = inner, n, 0, False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.dead:
            raise httpx.ConnectError("injected: process gone", request=request)
        if request.method == "POST" and request.url.path == "/api/orders/bulk":
            self.bulk += 1
            if self.bulk == self.n:
                await self.inner.handle_async_request(request)
                self.dead = True
                raise httpx.ReadTimeout("injected: reply lost", request=request)
        return await self.inner.handle_async_request(request)


async def test_a_rerun_after_dying_mid_batch_says_updated_for_that_batch_only(make_client, transport):
    ids = [f"KILL-{n:04d}" for n in range(500)]
    text = orders_csv(ids)
    async with make_client(via=KilledAfterBulk(transport, 3)) as client:
        await client.login()
        # one bulk call at a time, so "batch 3 died" leaves exactly batches 1-3 stored
        stopped = await run_import(client, parse_csv(text), batch_size=100, in_flight=1)
    assert not stopped.complete and "batch 3 of 5" in (stopped.stopped_by or "")
    assert stopped.report.counts["created"] == 200  # batches 1 and 2 acknowledged, batch 3 stored unacknowledged

    async with make_client() as client:
        await client.login()
        before = await stored(client, "KILL-")
    assert set(before) == set(ids[:300])

    edge = Counting(transport)
    seen: list[Progress] = []
    async with make_client(via=edge) as client:
        await client.login()
        rerun = await run_import(client, parse_csv(text), batch_size=100, progress=seen.append)
        assert rerun.complete and [p.skipped for p in seen] == [True, True, False, False, False]
        status = {o.external_id: (o.status, o.previous_run) for o in rerun.report.outcomes}
        assert all(status[e] == ("created", True) for e in ids[:200])
        assert all(status[e] == ("updated", False) for e in ids[200:300]), "batch 3 was stored before the kill"
        truth = {e: ("updated" if e in before else "created", False) for e in ids[300:]}
        assert {e: status[e] for e in ids[300:]} == truth
        assert edge.bulk == 3 and edge.lookups <= 6, edge.operators
        counts = await stored(client, "KILL-")
    assert set(counts) == set(ids) and set(counts.values()) == {1}, "an order was doubled"


async def test_file_ids_among_many_other_orders_under_the_same_prefix(make_client, transport):
    """The server holds 2,000 ERP- orders of other files; this file has 20 of them and 20 new ones:
    too many to read them all for 40 ids, so the prefix is split and the parts counted."""
    others = [f"ERP-{n:05d}" for n in range(2000)]
    mine = others[100:120] + [f"ERP-{n:05d}" for n in range(2900, 2920)]
    edge = Counting(transport)
    async with make_client(via=edge) as client:
        await client.login()
        await run_import(client, parse_csv(orders_csv(others)), batch_size=500)
        edge.reset()
        result = await run_import(client, parse_csv(orders_csv(mine, start=100)), batch_size=10)
        status = {o.external_id: o.status for o in result.report.outcomes}
        assert [status[e] for e in mine] == ["updated"] * 20 + ["created"] * 20
        assert edge.bulk == 4 and edge.lookups <= 8, edge.operators
        assert edge.operators["unfiltered"] == 0
