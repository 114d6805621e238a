"""While the API is unreachable and changes are queued, the app must not spin on sync.

Before the back-off, a finished sync that left work queued started the next one at
once: 45 syncs in 3 s were counted offline. Now an automatic sync that moved nothing
waits for the status tick, doubling up to 30 s; F5 still syncs at once.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.retry import RetryPolicy
from nymble_desk.sync.desk import Desk
from test_order_support import Keys, add_entry, open_customer, until


class Refusing(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.offline = inner, False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.offline:
            raise httpx.ConnectError("connection refused (test)", request=request)
        return await self.inner.handle_async_request(request)


class CountingDesk(Desk):
    syncs = 0

    async def sync_now(self) -> Any:
        self.syncs += 1
        return await super().sync_now()


async def test_offline_with_queued_changes_does_not_spin(make_app: Any, sandbox_app: Any, draft_store: Any) -> None:
    edge = Refusing(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))
    fast = RetryPolicy(max_attempts=1, base_delay=0.01, max_delay=0.01, deadline=0.5)
    client = NymbleClient(
        "http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"), transport=edge, retry=fast
    )
    desk = CountingDesk(client, draft_store)
    app = make_app(desk=desk)
    async with app.run_test(size=(100, 30)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app, "CUST-1042")
        await add_entry(keys, app, "WDG-BLU-L*24", expect_sku="WDG-BLU-L", qty=24)
        edge.offline = True
        await add_entry(keys, app, "WDG-BLU-L*24", expect_sku="WDG-BLU-L", qty=48)
        await until(pilot, lambda: desk.status.queued > 0 and not desk.status.online, timeout=20)
        desk.syncs = 0
        await asyncio.sleep(4.0)
        # the status tick is 2 s: a handful of syncs at most, never dozens
        assert desk.syncs <= 3, f"{desk.syncs} automatic syncs in 4 s while offline"
        before = desk.syncs
        await keys.press("f5")  # the rep asks: it goes at once
        await until(pilot, lambda: desk.syncs > before, timeout=5)
