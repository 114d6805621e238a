"""Go offline halfway through an order, keep working, reconnect, finish: exactly one order.

The network edge is a transport that refuses connections while switched off;
everything behind it (sandbox, client, drafts, Desk, app) is real.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.paging import Filter
from nymble_desk.api.retry import RetryPolicy
from nymble_desk.sync.desk import Desk
from nymble_desk.tui.widgets.line_table import LineTable
from test_order_support import Keys, add_entry, open_customer, screen_name, until
from test_shell_support import status_text


class Switch(httpx.AsyncBaseTransport):
    """Passes requests to the sandbox, or refuses the connection while ``offline``."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.offline = False
        self.refused = 0
        self.paths: dict[str, int] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.offline:
            self.refused += 1
            self.paths[request.method + " " + request.url.path] = (
                self.paths.get(request.method + " " + request.url.path, 0) + 1
            )
            raise httpx.ConnectError("connection refused (test switch)", request=request)
        return await self.inner.handle_async_request(request)



async def test_offline_halfway_then_reconnect_gives_one_order(
    make_app: Any, make_client: Any, sandbox_app: Any, draft_store: Any
) -> None:
    switch = Switch(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))
    # quick retries: the refused calls fail over in milliseconds, not the default backoff's seconds
    fast = RetryPolicy(max_attempts=2, base_delay=0.2, max_delay=0.2, deadline=2.0)
    client = NymbleClient(
        "http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"), transport=switch, retry=fast
    )
    desk = Desk(client, draft_store)
    app = make_app(desk=desk)
    async with app.run_test(size=(100, 30)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app, "CUST-1042")
        draft_id = app.screen.draft_id
        table = app.screen.query_one(LineTable)
        await add_entry(keys, app, "WDG-BLU-L*24", expect_sku="WDG-BLU-L", qty=24)
        await add_entry(keys, app, "WDG-RED-M*12", expect_sku="WDG-RED-M", qty=12)

        # the local index fills in the background after sign-in; offline, it is what knows the catalogue
        await until(pilot, lambda: desk.index is not None and desk.index.is_ready("products"), timeout=30)
        switch.offline = True
        # keep working: quantities change, a SKU never looked up comes from the index, ship-to is typed
        await add_entry(keys, app, "WDG-BLU-L*24", expect_sku="WDG-BLU-L", qty=48)
        assert str(table.get_cell("WDG-BLU-L", "unit")) == "$11.75"
        await add_entry(keys, app, "PART-A1*20", expect_sku="PART-A1", qty=20)
        await add_entry(keys, app, "NOPE-404*2")  # in no index and no API: said plainly, the text stays
        await until(pilot, lambda: "offline" in str(app.screen.query_one("#entry-message").render()))
        assert app.screen.query_one("#entry").value == "NOPE-404*2"
        await keys.press("ctrl+u")
        await keys.press("f5")  # sync now: it fails, and the status line says so
        await until(pilot, lambda: "OFFLINE" in status_text(app) and "queued" in status_text(app))
        assert desk.status.queued >= 1
        await until(pilot, lambda: f"{desk.status.queued} queued" in status_text(app))

        await keys.press("f6")
        await until(pilot, lambda: screen_name(app) == "ShippingScreen")
        # the customer's addresses were read with the cart's panel: offline, they are still offered
        await until(pilot, lambda: app.screen.query_one("#addresses").option_count > 0)
        assert "Commerce" in str(app.screen.query_one("#addresses").get_option_at_index(0).prompt)
        await keys.press("tab")  # from the address list to the form
        for value in ("1200 Industrial Pkwy", "", "Salem", "OR", "97301", "US"):
            await keys.type(value)
            await keys.press("enter")  # next field; in Country it saves
        await until(pilot, lambda: "Salem" in str(app.screen.query_one("#ship-current").render()))
        await keys.type("PO-OFFLINE-3")
        await keys.press("enter")
        await until(pilot, lambda: "could not check" in str(app.screen.query_one("#po-message").render()))
        await keys.press("f8")
        await until(pilot, lambda: screen_name(app) == "CheckoutScreen")
        await keys.press("f9")  # the last look, then the order
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        await keys.press("f9")
        # queued: the confirmation says so, and has no number yet
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen")
        assert "QUEUED" in str(app.screen.query_one("#conf-title").render())
        assert desk.get_draft(draft_id).state != "submitted"
        await until(pilot, lambda: "OFFLINE" in status_text(app))

        switch.offline = False  # reconnect: the queued changes and the checkout replay in order
        await keys.press("f5")
        await until(pilot, lambda: desk.get_draft(draft_id).state == "submitted", timeout=30)
        await until(pilot, lambda: "ONLINE" in status_text(app) and "nothing queued" in status_text(app))
        order_number = desk.get_draft(draft_id).order_number
        # the confirmation in front turned into the placed order, number and all
        await until(pilot, lambda: app.screen.order_number == order_number)
        assert "ORDER PLACED" in str(app.screen.query_one("#conf-title").render())
        print(switch.paths)
        print(f"\noffline order: {keys.count} keystrokes, {switch.refused} refused connections, order {order_number}")

    async with make_client() as client:
        await client.login()
        same_po = await client.orders.search([Filter("poNumber", "equals", "PO-OFFLINE-3")])
        order = await client.orders.get(order_number)
    assert len(same_po.items) == 1
    assert {i.sku: (i.quantity, Decimal(i.price)) for i in order.items} == {
        "WDG-BLU-L": (48, Decimal("11.75")),
        "WDG-RED-M": (12, Decimal("11.00")),
        "PART-A1": (20, Decimal("4.25")),  # added while offline, from the local index
    }
    assert order.po_number == "PO-OFFLINE-3"
