"""Conflicts with the server cart, settled from the cart screen: the real app over the real sandbox.

"Elsewhere" is the same rep's client on another device changing the server cart
directly. A sync (F5) that finds the change puts it to the rep; so does F8 (checkout)
while it is unsettled; the rep keeps the draft's or takes the server's.
"""

from __future__ import annotations

from typing import Any

from nymble_desk.drafts.models import DraftState
from nymble_desk.sync.desk import CheckoutInput
from nymble_desk.tui.screens.conflicts import ConflictsScreen
from nymble_desk.tui.widgets.line_table import LineTable
from test_order_entry import open_cart
from test_order_support import screen_name, until

SHIP = {"address1": "500 Commerce Drive", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
        "country": "US"}
DOCK = {"address1": "9 Harbour Road", "city": "Portland", "stateProvince": "OR", "postalCode": "97201",
        "country": "US"}


async def synced_cart(pilot: Any, app: Any) -> tuple[Any, str]:
    """The cart of CUST-1042 with WDG-BLU-L x12 and a ship-to, synced; (draft, server cart id)."""
    await open_cart(pilot, app)
    desk = app.desk
    draft_id = app.screen.draft_id
    desk.add_line(draft_id, await desk.find_product("WDG-BLU-L"), 12)
    desk.set_ship_to(draft_id, SHIP)
    await desk.sync_now()
    draft = desk.get_draft(draft_id)
    assert draft.state == DraftState.SYNCED and draft.remote_cart_id
    app.screen.show(draft)
    return draft, draft.remote_cart_id


async def conflicts_shown(pilot: Any, app: Any) -> str:
    """Wait for the conflicts modal; its list of conflicts."""
    await until(pilot, lambda: isinstance(app.screen, ConflictsScreen) and bool(app.screen.query("#conflicts-list")),
                timeout=10)
    return str(app.screen.query_one("#conflicts-list").render())


async def test_a_sync_that_finds_a_change_elsewhere_asks_and_taking_the_servers_settles_it(
        make_app: Any, make_client: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        draft, cart_id = await synced_cart(pilot, app)
        await make_client().carts.update_item("CUST-1042", cart_id, "WDG-BLU-L", 30)
        app.desk.set_quantity(draft.id, "WDG-BLU-L", 20)
        await pilot.press("f5")
        assert "WDG-BLU-L: changed elsewhere to 30 on the server cart (was 12); this draft wants 20" \
            in await conflicts_shown(pilot, app)
        await pilot.press("t")
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        table = app.screen.query_one(LineTable)
        await until(pilot, lambda: str(table.get_row("WDG-BLU-L")[2]) == "30")
        await until(pilot, lambda: app.desk.get_draft(draft.id).state == DraftState.SYNCED, timeout=10)
        assert (await make_client().carts.get(cart_id)).quantity_of("WDG-BLU-L") == 30


async def test_checkout_puts_an_unsettled_ship_to_conflict_first_and_keeping_the_drafts_sends_it(
        make_app: Any, make_client: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        draft, cart_id = await synced_cart(pilot, app)
        other = make_client()
        await other.carts.set_shipping("CUST-1042", cart_id, DOCK)
        outcome = await app.desk.checkout(draft.id, CheckoutInput("Phone", None, None, use_terms=True))
        assert outcome.state == "failed" and "ship-to" in (outcome.message or "")
        app.screen.show(app.desk.get_draft(draft.id))  # as the cart does when the checkout screen closes
        assert "ship-to: the server cart ships to 9 Harbour Road, Portland, OR 97201" in await conflicts_shown(
            pilot, app
        )
        await pilot.press("escape")  # later: back to the cart, nothing sent
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        assert "Conflicts with the server cart wait for you" in str(app.screen.query_one("#entry-message").render())
        await pilot.press("f8")  # checkout: the conflict comes first again
        await conflicts_shown(pilot, app)
        await pilot.press("m")
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        await until(pilot, lambda: app.desk.get_draft(draft.id).state == DraftState.SYNCED, timeout=10)
        cart = await other.carts.get(cart_id)
        assert cart.shipping_address.address1 == "500 Commerce Drive"
        await pilot.press("f8")  # settled: now the checkout screen opens
        await until(pilot, lambda: screen_name(app) == "CheckoutScreen")
