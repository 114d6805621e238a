"""ExistingIds against the real in-process sandbox: the right answer whichever way it gets
there (one page, many pages, split prefixes, probes), and the same answer from a server that
ignores filters, refuses startswith, moves orders between pages or gives no count."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from lookup_edges import Counting, Rewriting, orders_csv

from nymble_desk.importer import parse_csv
from nymble_desk.importer.existing import ExistingIds
from nymble_desk.importer.run import run_import

STORED = [f"ERP-{n:04d}" for n in range(60)] + ["ERP-99", "AB-1", "ab-2", "erp-é1", "X"]
ABSENT = ["ERP-0060", "ERP-0100", "ERP-9", "ERP-990", "AB-10", "AB-2", "erp-é2", "Y", "IMP-0000", "ERP-", "A"]
CONFIGS = [dict(), dict(page_size=7), dict(page_size=7, rows_per_id=2), dict(page_size=3, rows_per_id=1),
           dict(page_size=5, rows_per_id=1, max_counts=2)]


@pytest.fixture
async def seeded(make_client: Any) -> dict[str, str]:
    """STORED imported, plus 30 derived IMP- ids; returns every stored externalId -> order number."""
    async with make_client() as client:
        await client.login()
        result = await run_import(client, parse_csv(orders_csv(STORED + [""] * 30)), batch_size=500)
    assert result.report.counts["created"] == len(STORED) + 30
    return {o.external_id: o.order_number or "" for o in result.report.outcomes}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "default")
async def test_the_answer_is_exact_whichever_way_it_is_found(seeded, make_client, transport, config):
    imp = sorted(e for e in seeded if e.startswith("IMP-"))
    asks = [STORED + ABSENT, STORED[3:9] + ABSENT[:2], ["ERP-0007", "ERP-0041", "ERP-0060"], imp[:3] + ABSENT[-3:],
            ["ab-2", "AB-2", "erp-é1", "erp-é2"], random.Random(7).sample(STORED + ABSENT + imp, 25)]
    edge = Counting(transport)
    async with make_client(via=edge) as client:
        await client.login()
        for wanted in asks:
            lookup = ExistingIds(client, **config)
            assert await lookup.load(wanted) == set(wanted) & set(seeded), wanted
            assert lookup.found == set(wanted) & set(seeded)
    assert edge.operators["unfiltered"] == 0  # never fell back to reading every order


async def test_one_search_answers_a_group_that_fits_a_page(seeded, make_client, transport):
    edge = Counting(transport)
    async with make_client(via=edge) as client:
        await client.login()
        lookup = ExistingIds(client)
        assert await lookup.load([f"ERP-{n:04d}" for n in range(50, 70)]) == {f"ERP-{n:04d}" for n in range(50, 60)}
    assert edge.lookups == lookup.requests == 1 and edge.operators == {"startswith": 1}


async def test_a_group_too_big_for_a_page_is_read_page_by_page(seeded, make_client, transport):
    edge = Counting(transport)
    async with make_client(via=edge) as client:
        await client.login()
        lookup = ExistingIds(client, page_size=7)
        assert await lookup.load([f"ERP-{n:04d}" for n in range(0, 80, 2)]) == {f"ERP-{n:04d}" for n in range(0, 60, 2)}
    assert edge.lookups == 9  # "ERP-00" holds ERP-0000..ERP-0059: 60 orders in pages of 7


async def test_a_crowded_prefix_is_split_and_sparse_parts_are_probed(seeded, make_client, transport):
    edge = Counting(transport)
    async with make_client(via=edge) as client:
        await client.login()
        lookup = ExistingIds(client, rows_per_id=2)
        # "ERP-" holds 62 orders, too many to read for 6 ids; "ERP-000" holds 10, few enough for 5
        wanted = ["ERP-0001", "ERP-0003", "ERP-0004", "ERP-0008", "ERP-0009", "ERP-9"]
        assert await lookup.load(wanted) == set(wanted) - {"ERP-9"}
    # ERP- (a page of 12), ERP-000 counted, then read; ERP-9 alone is probed
    assert edge.operators == {"startswith": 3, "equals": 1}, edge.operators


async def test_sent_orders_count_as_existing_without_asking(make_client, transport):
    edge = Counting(transport)
    async with make_client(via=edge) as client:
        await client.login()
        lookup = ExistingIds(client)
        lookup.note(["NEW-1"])
        assert "NEW-1" in lookup and "NEW-2" not in lookup
        assert await lookup.load(["NEW-1"]) == set() and edge.lookups == 0


@pytest.mark.parametrize("how", ["ignore_filters", "refuse_startswith", "drop_first_of_page", "no_total",
                                 "cap_page_size"])
async def test_an_odd_server_still_gets_the_exact_answer(seeded, make_client, transport, how):
    options: dict[str, Any] = {"drop_first_of_page": 2, "cap_page_size": 4}.get(how, True)  # type: ignore[assignment]
    options = {how: options}
    edge = Rewriting(transport, **options)
    wanted = STORED + ABSENT  # page 2's first order (ERP-0007) is wanted
    async with make_client(via=edge) as client:
        await client.login()
        every_order = (await client.orders.search(page_size=1)).total
        edge.reset()
        lookup = ExistingIds(client, page_size=7)
        assert await lookup.load(wanted) == set(wanted) & set(seeded)
        if how == "ignore_filters":  # told by the first answers (a few go at once); then all read in pages of 200
            assert edge.operators["unfiltered"] <= 5 + math.ceil(every_order / 200), (edge.operators, every_order)
        if how == "cap_page_size":  # read in pages of 4, not probed id by id
            assert not [e for e in edge.probed if e.startswith("ERP-0")], edge.probed
        assert (await ExistingIds(client, page_size=7).load_one_by_one(wanted)) == set(wanted) & set(seeded)


async def test_a_run_on_a_server_ignoring_filters_still_says_created_and_updated(seeded, make_client, transport):
    text = orders_csv(["ERP-0001", "ERP-0002", "NEW-0001"])
    async with make_client(via=Rewriting(transport, ignore_filters=True)) as client:
        await client.login()
        result = await run_import(client, parse_csv(text))
    assert {o.external_id: o.status for o in result.report.outcomes} == {
        "ERP-0001": "updated", "ERP-0002": "updated", "NEW-0001": "created"}
