"""An order queued offline that a sync places shows its number on the status line, for a while.

The network edge is the offline test's switch; the sandbox, client, draft cache, Desk and app are real.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.retry import RetryPolicy
from nymble_desk.sync.desk import CheckoutInput, Desk
from test_order_offline import Switch
from test_shell_support import status_text
from test_order_support import until

ADDRESS = {"address1": "500 Commerce Drive", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
           "country": "US"}


async def test_a_landed_order_shows_on_the_status_line_then_goes(
    make_app: Any, sandbox_app: Any, draft_store: Any
) -> None:
    switch = Switch(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))
    fast = RetryPolicy(max_attempts=2, base_delay=0.1, max_delay=0.1, deadline=1.0)
    client = NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"), transport=switch,
                          retry=fast)
    desk = Desk(client, draft_store)
    [customer] = [c for c in await desk.search_customers("CUST-1042", limit=5) if c.customer_number == "CUST-1042"]
    draft = desk.open_draft(customer)
    draft_store.set_line(draft.id, "WDG-BLU-L", 48, name="Widget Blue Large", unit_price=Decimal("11.75"))
    draft_store.set_ship_to(draft.id, ADDRESS)
    switch.offline = True
    outcome = await desk.checkout(draft.id, CheckoutInput(use_terms=True))
    assert outcome.state == "queued"

    switch.offline = False
    app = make_app(desk=desk)
    app.LANDED_NOTE_S = 1.0  # the real note stays two minutes
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"), timeout=10)
        await pilot.press("f5")
        await until(pilot, lambda: desk.get_draft(draft.id).state == "submitted", timeout=30)
        number = desk.get_draft(draft.id).order_number
        assert number
        # whole, at 80 columns, right after the connection state
        await until(pilot, lambda: f"placed {number} (CUST-1042)" in status_text(app), timeout=10)
        assert status_text(app).startswith("ONLINE · placed")
        await until(pilot, lambda: number not in status_text(app), timeout=10)  # then it goes
