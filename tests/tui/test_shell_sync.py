"""The app's sync loop and offline behaviour: queued changes go out on their own; no network is a state."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from textual.widgets import Static

from nymble_desk.tui.screens.customers import CustomerLookupScreen
from nymble_desk.tui.screens.drafts import DraftsScreen
from test_shell_support import on_screen, status_text, until


class Refuse(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)



async def test_queued_changes_are_sent_by_the_background_sync(make_app: Any, draft_store: Any) -> None:
    draft = draft_store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD",
                               price_tier="Wholesale", terms="Net30")
    draft_store.set_line(draft.id, "WDG-BLU-L", 12, name="Widget Blue Large", unit_price=Decimal("12.50"))
    assert draft_store.queued_count() > 0
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, DraftsScreen))
        # no key pressed: the status tick sees the queue and syncs in the "sync" worker group
        await until(pilot, lambda: app.syncs_done >= 1 and not app.syncing, timeout=15)
        await until(pilot, lambda: draft_store.queued_count() == 0, timeout=15)
        assert draft_store.get(draft.id).remote_cart_id
        await until(pilot, lambda: "nothing queued" in status_text(app))
        assert "synced" in " ".join(str(c) for c in app.screen.query_one("#drafts").get_row(draft.id))


async def test_f5_syncs_now(make_app: Any, draft_store: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await pilot.press("f5")
        await until(pilot, lambda: app.syncs_done == 1 and not app.syncing, timeout=10)
        assert "ONLINE" in status_text(app)


async def test_offline_is_a_state_not_a_crash(make_app: Any, make_client: Any, draft_store: Any) -> None:
    from nymble_desk.sync.desk import Desk

    draft = draft_store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD",
                               price_tier="Wholesale")
    draft_store.set_line(draft.id, "WDG-BLU-L", 2, name="Widget Blue Large", unit_price=Decimal("12.50"))
    desk = Desk(make_client(transport=Refuse()), draft_store)
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, DraftsScreen))
        await until(pilot, lambda: "OFFLINE" in status_text(app), timeout=15)
        assert "queued" in status_text(app) and "nothing queued" not in status_text(app)
        await pilot.press("f2")
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await until(pilot, lambda: "Search failed" in str(app.screen.query_one("#message", Static).render()),
                    timeout=15)
        await pilot.press("f3")
        await until(pilot, on_screen(app, DraftsScreen))
        assert app.is_running and draft_store.get(draft.id).lines  # the local draft is intact
