"""run_import against the real in-process sandbox (faults injected only at the transport)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from importer_files import HEADER, csv_line, order_lines

from nymble_desk.api.paging import Filter
from nymble_desk.importer import parse_csv
from nymble_desk.importer.run import Progress, run_import

GOOD = "\n".join([
    HEADER,
    *order_lines("ERP-1", customer="CUST-0055", po="PO-55001", items=(("PART-A1", "100", "4.25"),)),
    *order_lines("ERP-2", customer="CUST-0082", po="PO-82001", items=(("PART-B3", "50", "9.99"),
                                                                       ("WDG-RED-M", "12", "11.00"))),
    *order_lines("ERP-3", customer="CUST-1042", po="PO-88412", items=(("WDG-BLU-L", "24", "12.50"),)),
])


async def orders_with(client: Any, external_id: str) -> list[Any]:
    page = await client.orders.search([Filter("externalId", "equals", external_id)], page_size=10)
    return [o for o in page.items if o.external_id == external_id]


class Edge(httpx.AsyncBaseTransport):
    """The network edge: counts bulk calls; can refuse every call after `down_after` bulk calls,
    or pass the first bulk call through and lose its reply."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, down_after: int | None = None,
                 lose_first_reply: bool = False) -> None:
        self.inner, self.down_after, self.lose_first_reply = inner, down_after, lose_first_reply
        self.bulk_calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        is_bulk = request.method == "POST" and request.url.path == "/api/orders/bulk"
        if self.down_after is not None and self.bulk_calls >= self.down_after and request.url.path != "/api/auth/login":
            raise httpx.ConnectError("injected: network down", request=request)
        if is_bulk:
            self.bulk_calls += 1
            if self.lose_first_reply and self.bulk_calls == 1:
                await self.inner.handle_async_request(request)
                raise httpx.ReadTimeout("injected: reply lost", request=request)
        return await self.inner.handle_async_request(request)


class FirstBulk(httpx.AsyncBaseTransport):
    """The network edge: notes how many orders of the file had been read when the first bulk call left."""

    def __init__(self, inner: httpx.AsyncBaseTransport, read: Any) -> None:
        self.inner, self.read = inner, read
        self.read_at_first_bulk: int | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/orders/bulk" and self.read_at_first_bulk is None:
            self.read_at_first_bulk = self.read()
        return await self.inner.handle_async_request(request)


async def test_the_first_bulk_call_leaves_before_the_rest_of_the_file_is_read(make_client, transport):
    six = "\n".join([HEADER, *(line for i in range(6) for line in order_lines(
        f"EARLY-{i}", customer="CUST-0082", po=f"PO-E{i}", items=(("PART-B3", "25", "9.99"),)))])
    parsed = parse_csv(six)
    edge = FirstBulk(transport, lambda: parsed.spool.count)  # orders checked so far (the file's second pass)
    async with make_client(via=edge) as client:
        await client.login()
        done = await run_import(client, parsed, batch_size=1)
    assert done.complete and done.report.counts["created"] == 6
    assert edge.read_at_first_bulk == 1  # not after the look-ahead's batches (4 of them) were read


async def test_import_creates_then_a_rerun_skips_and_a_fresh_rerun_updates(make_client):
    parsed = parse_csv(GOOD, "orders.csv")
    seen: list[Progress] = []
    async with make_client() as client:
        await client.login()
        result = await run_import(client, parsed, batch_size=2, progress=seen.append)
        assert result.complete and result.report.counts == {"created": 3, "updated": 0, "rejected": 0, "skipped": 0}
        assert seen == [Progress(1, 2, 2, 3, False), Progress(2, 2, 3, 3, False)]
        numbers = {o.external_id: o.order_number for o in result.report.outcomes}
        assert all(n and n.startswith("ORD") for n in numbers.values()), numbers

        order = await client.orders.get(numbers["ERP-2"])
        assert order.external_id == "ERP-2" and order.po_number == "PO-82001"
        assert [(i.sku, i.quantity, i.price) for i in order.items] == [("PART-B3", 50, Decimal("9.99")),
                                                                       ("WDG-RED-M", 12, Decimal("11"))]

        seen.clear()
        again = await run_import(client, parse_csv(GOOD, "orders.csv"), batch_size=2, progress=seen.append)
        assert [p.skipped for p in seen] == [True, True]
        assert all(o.previous_run for o in again.report.outcomes)
        assert {o.external_id: o.order_number for o in again.report.outcomes} == numbers
        assert "3 already imported by an earlier run" in again.report.summary()

        fresh = await run_import(client, parse_csv(GOOD, "orders.csv"), batch_size=2, fresh=True)
        assert fresh.report.counts == {"created": 0, "updated": 3, "rejected": 0, "skipped": 0}
        for ext, number in numbers.items():
            assert [o.order_number for o in await orders_with(client, ext)] == [number]


async def test_derived_external_ids_make_a_rerun_an_update(make_client):
    text = "\n".join([HEADER, *order_lines("", customer="CUST-0082", po="PO-X1", items=(("PART-B3", "25", "9.99"),))])
    async with make_client() as client:
        await client.login()
        first = await run_import(client, parse_csv(text), fresh=True)
        second = await run_import(client, parse_csv(text), fresh=True)
        (a,), (b,) = first.report.outcomes, second.report.outcomes
        assert a.external_id == b.external_id and a.external_id.startswith("IMP-")
        assert (a.status, b.status) == ("created", "updated") and a.order_number == b.order_number
        assert len(await orders_with(client, a.external_id)) == 1


async def test_refused_and_invalid_orders_are_reported_and_the_rest_imported(make_client):
    text = "\n".join([
        HEADER,
        *order_lines("OK-1", customer="CUST-0055", items=(("PART-A1", "10", "4.25"),)),
        *order_lines("BAD-SKU", customer="CUST-0055", items=(("PART-A1", "10", "4.25"), ("NO-SUCH-SKU", "1", "1.00"))),
        *order_lines("BAD-CUST", customer="CUST-9999"),
        csv_line(externalId="BAD-ROW", customerNumber="CUST-0055", poNumber="P", priceTier="Wholesale",
                 currencyCode="USD", repNumber="REP-003", sku="PART-A1", quantity="ten", price="4.25"),
        *order_lines("OK-2", customer="CUST-0082", items=(("PART-B3", "25", "9.99"),)),
    ])
    async with make_client() as client:
        await client.login()
        result = await run_import(client, parse_csv(text, "orders.csv"))
        report = result.report
        assert result.complete
        assert report.counts == {"created": 2, "updated": 0, "rejected": 3, "skipped": 0}
        reasons = {o.external_id: o.reasons for o in report.rejected}
        assert reasons["BAD-ROW"] == (
            "orders.csv line 6: quantity: must be a whole number from 1 to 99,999, not 'ten'",
        )
        (sku_reason,) = reasons["BAD-SKU"]
        assert sku_reason.startswith("orders.csv line 4: ") and "NO-SUCH-SKU" in sku_reason, sku_reason
        (cust_reason,) = reasons["BAD-CUST"]
        assert cust_reason.startswith("orders.csv line 5: ") and "CUST-9999" in cust_reason, cust_reason
        assert await orders_with(client, "BAD-SKU") == [] and await orders_with(client, "BAD-CUST") == []
        assert len(await orders_with(client, "OK-2")) == 1
        # Refused orders are not marked acknowledged: a rerun retries them (and skips nothing else).
        assert not result.report.ok
        again = await run_import(client, parse_csv(text, "orders.csv"))
        assert again.report.counts == {"created": 0, "updated": 2, "rejected": 3, "skipped": 0}


async def test_a_dropped_connection_stops_the_run_and_a_rerun_finishes_without_duplicates(make_client, transport):
    five = "\n".join([HEADER, *(line for i in range(5) for line in order_lines(
        f"NET-{i}", customer="CUST-0082", po=f"PO-N{i}", items=(("PART-B3", "25", "9.99"),)))])
    edge = Edge(transport, down_after=1)
    async with make_client(via=edge) as client:
        await client.login()
        stopped = await run_import(client, parse_csv(five), batch_size=2)
    assert not stopped.complete and "batch 2 of 3" in (stopped.stopped_by or "")
    assert stopped.report.counts == {"created": 2, "updated": 0, "rejected": 0, "skipped": 0}

    seen: list[Progress] = []
    async with make_client() as client:
        await client.login()
        done = await run_import(client, parse_csv(five), batch_size=2, progress=seen.append)
        assert done.complete and [p.skipped for p in seen] == [True, False, False]
        # the first batch was imported by the first run: skipped, not called "created" again (#12 item 8)
        assert done.report.counts == {"created": 3, "updated": 0, "rejected": 0, "skipped": 2}
        for i in range(5):
            assert len(await orders_with(client, f"NET-{i}")) == 1


async def test_a_lost_bulk_reply_is_resent_safely(make_client, transport):
    edge = Edge(transport, lose_first_reply=True)
    async with make_client(via=edge) as client:
        await client.login()
        result = await run_import(client, parse_csv(GOOD))
        assert edge.bulk_calls >= 2
        assert result.complete and result.report.counts == {"created": 3, "updated": 0, "rejected": 0, "skipped": 0}
        for ext in ("ERP-1", "ERP-2", "ERP-3"):
            assert len(await orders_with(client, ext)) == 1


async def test_a_sales_rep_imports_for_own_customers_only(make_client):
    text = "\n".join([HEADER, *order_lines("REP-OWN", customer="CUST-1042"),
                      *order_lines("REP-OTHER", customer="CUST-0055", items=(("PART-A1", "10", "4.25"),))])
    async with make_client("demo-rep") as client:
        await client.login()
        result = await run_import(client, parse_csv(text))
    assert result.report.counts == {"created": 1, "updated": 0, "rejected": 1, "skipped": 0}
    assert "CUST-0055" in result.report.rejected[0].reasons[0]
