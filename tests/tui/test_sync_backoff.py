"""While the API is unreachable and changes are queued, the app must not spin on sync.

Before the back-off, a finished sync that left work queued started the next one at
once: 45 syncs in 3 s were counted offline. Now an automatic sync that moved nothing
waits for the status tick, doubling up to 30 s; F5 still syncs at once.
"""

from __future__ import annotations

from typing import Any

import httpx
from test_order_support import Keys, add_entry, open_customer, until

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.retry import RetryPolicy
from nymble_desk.sync.desk import Desk
from nymble_desk.tui.app import STATUS_EVERY


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
        # no fixed wait: two automatic syncs fail, and each failure doubles the wait before the next one,
        # so the third waits longer than a status tick (2 s): offline never spins
        await until(pilot, lambda: desk.syncs >= 2 and app.syncing is False, timeout=30)
        assert app._sync_backoff >= 2 * STATUS_EVERY, f"backoff {app._sync_backoff} s after {desk.syncs} failed syncs"
        before = desk.syncs
        await keys.press("f5")  # the rep asks: it goes at once
        await until(pilot, lambda: desk.syncs > before, timeout=5)
