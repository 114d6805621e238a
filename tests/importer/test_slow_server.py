"""Issue #12 item 6: look-ups of existing orders are paged, bounded and have their own
timeout; a read timeout is reported as a slow server (naming the timeout and the flag to
raise it), never as "unreachable".  Faults are injected at the transport only."""

from __future__ import annotations

import asyncio

import httpx
from lookup_edges import orders_csv

from nymble_desk.importer import parse_csv
from nymble_desk.importer.run import run_import


class Slow(httpx.AsyncBaseTransport):
    """Records each request's timeout and page size; GET /api/orders (look-ups) or bulk
    calls can time out reading the answer, as a slow server does."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, slow_lookups: bool = False, slow_bulk: bool = False) -> None:
        self.inner, self.slow_lookups, self.slow_bulk = inner, slow_lookups, slow_bulk
        self.timeouts: dict[str, set[float]] = {"lookup": set(), "bulk": set()}
        self.page_sizes: set[int] = set()
        self.in_flight = self.most_in_flight = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        read = request.extensions.get("timeout", {}).get("read")
        if request.method == "GET" and request.url.path == "/api/orders":
            self.timeouts["lookup"].add(read)
            self.page_sizes.add(int(request.url.params.get("pageSize", "0")))
            if self.slow_lookups:
                raise httpx.ReadTimeout("injected: no answer in time", request=request)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                await asyncio.sleep(0)  # let the other look-ups of the batch start
                return await self.inner.handle_async_request(request)
            finally:
                self.in_flight -= 1
        if request.url.path == "/api/orders/bulk":
            self.timeouts["bulk"].add(read)
            if self.slow_bulk:
                raise httpx.ReadTimeout("injected: no answer in time", request=request)
        return await self.inner.handle_async_request(request)


async def test_a_slow_look_up_is_reported_as_slow_with_the_flag_to_raise_it(make_client, transport):
    edge = Slow(transport, slow_lookups=True)
    async with make_client(via=edge) as client:
        await client.login()
        result = await run_import(client, parse_csv(orders_csv([f"SLOW-{n}" for n in range(5)])), lookup_timeout=45)
    assert not result.complete
    reason = result.stopped_by or ""
    assert "unreachable" in reason and "slow, not unreachable" in reason
    assert "45 s look-up timeout" in reason and "--lookup-timeout 180" in reason
    assert edge.timeouts["lookup"] == {45}  # the look-up's own timeout, not the client's 10 s


async def test_a_slow_bulk_call_names_the_request_timeout_and_how_to_raise_it(make_client, transport):
    edge = Slow(transport, slow_bulk=True)
    async with make_client(via=edge) as client:
        await client.login()
        result = await run_import(client, parse_csv(orders_csv([f"SLOWB-{n}" for n in range(5)])))
    reason = result.stopped_by or ""
    assert not result.complete and "slow, not unreachable" in reason
    assert "10 s request timeout" in reason and "--timeout 40" in reason and "NYMBLE_DESK_API__TIMEOUT" in reason
    assert edge.timeouts["bulk"] == {10}


async def test_look_ups_are_paged_and_bounded(make_client, transport, tmp_path):
    ids = [f"PAGED-{n:04d}" for n in range(1500)]
    text = orders_csv(ids)
    async with make_client() as client:
        await client.login()
        assert (await run_import(client, parse_csv(text), batch_size=500)).complete
    edge = Slow(transport)
    async with make_client(via=edge) as client:
        await client.login()
        # another checkpoint: this run must ask the server which of the 1,500 orders exist
        again = await run_import(client, parse_csv(text), batch_size=500, checkpoint_dir=tmp_path / "other")
    assert again.complete and again.report.counts["updated"] == 1500
    assert max(edge.page_sizes) <= 500 and 1 < edge.most_in_flight <= 4, (edge.page_sizes, edge.most_in_flight)
