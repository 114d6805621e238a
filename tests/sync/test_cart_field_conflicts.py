"""The server cart's ship-to and PO changed elsewhere: reported, never overwritten, never ordered unseen.

The Desk against the real in-process sandbox; "elsewhere" is the same rep's client on
another device changing the server cart directly. Faults sit at the network edge.
"""

from __future__ import annotations

from nymble_desk.drafts.models import DraftState
from nymble_desk.sync.cart_fields import address_text
from nymble_desk.sync.desk import CheckoutInput, Desk
from nymble_desk.sync.reconcile import address_holds

SHIP = {"address1": "500 Commerce Drive", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
        "country": "US"}
DOCK = {"address1": "9 Harbour Road", "city": "Portland", "stateProvince": "OR", "postalCode": "97201",
        "country": "US"}
YARD = {"address1": "1 Yard Lane", "city": "Dallas", "stateProvince": "TX", "postalCode": "75201", "country": "US"}
TERMS = CheckoutInput("Phone", None, None, use_terms=True)


async def synced_draft(desk: Desk, *, po: str | None = None):
    c = (await desk.customer_summary("CUST-1042")).customer
    draft = desk.open_draft(c)
    desk.add_line(draft.id, await desk.find_product("WDG-BLU-L"), 12)
    desk.set_ship_to(draft.id, SHIP)
    if po:
        desk.set_po(draft.id, po)
    await desk.sync_now()
    draft = desk.store.get(draft.id)
    assert draft.state == DraftState.SYNCED and draft.remote_cart_id
    return draft


async def server_ship_to(other, cart_id: str) -> dict:
    cart = await other.carts.get(cart_id)
    return cart.shipping_address.to_wire() if cart.shipping_address is not None else {}


def test_address_holds_ignores_fields_the_server_adds_and_case() -> None:
    assert address_holds({**SHIP, "addressType": "Shipping", "city": "AUSTIN"}, SHIP)
    assert not address_holds(DOCK, SHIP) and not address_holds(None, SHIP) and not address_holds(SHIP, {})
    assert address_text(SHIP) == "500 Commerce Drive, Austin, TX 78701"


async def test_a_ship_to_changed_elsewhere_is_a_conflict_then_the_reps_choice_is_sent(desk, make_client) -> None:
    draft = await synced_draft(desk)
    other = make_client()
    await other.carts.set_shipping("CUST-1042", draft.remote_cart_id, DOCK)
    desk.set_ship_to(draft.id, YARD)
    await desk.sync_now()
    d = desk.store.get(draft.id)
    assert d.state == DraftState.CONFLICT
    assert d.conflicts == ("ship-to: changed elsewhere to 9 Harbour Road, Portland, OR 97201 on the server cart; "
                           "this draft ships to 1 Yard Lane, Dallas, TX 75201",)
    assert address_holds(await server_ship_to(other, draft.remote_cart_id), DOCK)  # not overwritten
    d = await desk.resolve_conflicts(draft.id, "mine")
    assert d.conflicts == () and d.ship_to == YARD
    await desk.sync_now()
    assert desk.store.get(draft.id).state == DraftState.SYNCED
    assert address_holds(await server_ship_to(other, draft.remote_cart_id), YARD)


async def test_taking_the_servers_ship_to_puts_it_in_the_draft_and_the_order(desk, make_client) -> None:
    draft = await synced_draft(desk)
    other = make_client()
    await other.carts.set_shipping("CUST-1042", draft.remote_cart_id, DOCK)
    desk.set_ship_to(draft.id, YARD)
    await desk.sync_now()
    d = await desk.resolve_conflicts(draft.id, "theirs")
    assert d.conflicts == () and address_holds(d.ship_to, DOCK)
    out = await desk.checkout(draft.id, TERMS)
    assert out.state == "placed", out.message
    order = await make_client(client_id="demo-admin", secret="demo-admin-secret").orders.get(out.order_number)
    assert address_holds(order.shipping_details.shipping_address.to_wire(), DOCK)


async def test_a_ship_to_changed_after_ours_went_out_stops_the_checkout(desk, make_client) -> None:
    draft = await synced_draft(desk)
    other = make_client()
    await other.carts.set_shipping("CUST-1042", draft.remote_cart_id, DOCK)  # nothing of ours is queued now
    out = await desk.checkout(draft.id, TERMS)
    assert out.state == "failed" and "ship-to: the server cart ships to 9 Harbour Road" in (out.message or "")
    d = desk.store.get(draft.id)
    assert d.state == DraftState.CONFLICT and d.order_number is None and not d.checkout_queued
    d = await desk.resolve_conflicts(draft.id, "mine")
    out = await desk.checkout(draft.id, TERMS)
    assert out.state == "placed", out.message
    order = await make_client(client_id="demo-admin", secret="demo-admin-secret").orders.get(out.order_number)
    assert address_holds(order.shipping_details.shipping_address.to_wire(), SHIP)


async def test_a_po_changed_elsewhere_is_a_conflict_before_and_at_checkout(desk, make_client) -> None:
    draft = await synced_draft(desk, po="PO-DESK-1")
    other = make_client()
    await other.carts.set_po_number("CUST-1042", draft.remote_cart_id, "PO-WEB-9")
    desk.set_po(draft.id, "PO-DESK-2")
    await desk.sync_now()
    d = desk.store.get(draft.id)
    assert d.conflicts == ("PO: changed elsewhere to PO-WEB-9 on the server cart; this draft has PO-DESK-2",)
    assert (await other.carts.get(draft.remote_cart_id)).po_number == "PO-WEB-9"
    d = await desk.resolve_conflicts(draft.id, "theirs")
    assert d.po_number == "PO-WEB-9" and d.conflicts == ()
    await desk.sync_now()
    await other.carts.set_po_number("CUST-1042", draft.remote_cart_id, "PO-WEB-10")
    out = await desk.checkout(draft.id, TERMS)
    assert out.state == "failed" and "PO: the server cart has PO-WEB-10; this draft has PO-WEB-9" in out.message
    await desk.resolve_conflicts(draft.id, "mine")
    out = await desk.checkout(draft.id, TERMS)
    assert out.state == "placed", out.message
    order = await make_client(client_id="demo-admin", secret="demo-admin-secret").orders.get(out.order_number)
    assert order.po_number == "PO-WEB-9"


async def test_our_own_change_whose_reply_was_lost_is_no_conflict(desk, make_client) -> None:
    draft = await synced_draft(desk, po="PO-DESK-1")
    desk.faults.when("PUT", "/shipping", "lose")  # the server sets it, the reply never comes
    desk.faults.when("PUT", "/po-number", "lose")
    desk.set_ship_to(draft.id, DOCK)
    desk.set_po(draft.id, "PO-DESK-2")
    for _ in range(3):
        await desk.sync_now()
    d = desk.store.get(draft.id)
    assert d.state == DraftState.SYNCED and d.conflicts == (), d.conflicts
    cart = await make_client().carts.get(draft.remote_cart_id)
    assert address_holds(cart.shipping_address.to_wire(), DOCK) and cart.po_number == "PO-DESK-2"
    assert desk.faults.counts["lose"] == 2
