"""With the API unreachable a rep builds a full cart and queues the checkout;
when it comes back one order is placed and the draft shows its order number."""

from __future__ import annotations

from decimal import Decimal

from nymble_desk.drafts.models import DraftState
from nymble_desk.sync.desk import CheckoutInput, Desk

from sync_faults import Faults

SHIP = {"address1": "500 Commerce Drive", "address2": "Suite 200", "city": "Austin", "stateProvince": "TX",
        "postalCode": "78701", "country": "US"}


async def test_offline_cart_and_checkout_replay_once(asgi, store, make_client) -> None:
    faults = Faults(asgi)
    desk = Desk(make_client(transport=faults), store)
    await desk.sign_in()
    customer = (await desk.customer_summary("CUST-1042")).customer
    blu, red, part = [await desk.find_product(s) for s in ("WDG-BLU-L", "WDG-RED-M", "PART-A1")]

    faults.down = True  # the API goes away: everything below is local and must not raise
    draft = desk.open_draft(customer)
    desk.add_line(draft.id, blu, 12)
    desk.add_line(draft.id, red, 6)
    desk.add_line(draft.id, part, 20)
    for qty in (24, 36, 48):  # three changes of one line, folded to one target
        desk.set_quantity(draft.id, "WDG-BLU-L", qty)
    desk.remove_line(draft.id, "WDG-RED-M")
    desk.set_ship_to(draft.id, SHIP)
    desk.set_po(draft.id, "PO-OFFLINE-1")
    d = store.get(draft.id)
    assert d.line("WDG-BLU-L").unit_price == Decimal("11.75")  # the 48 break, priced locally
    outcome = await desk.checkout(draft.id, CheckoutInput("Phone", None, None, use_terms=True))
    assert outcome.state == "queued" and "API" in (outcome.message or "")
    status = desk.status
    assert not status.online and status.queued == 6 and status.last_error
    assert "OFFLINE" in status.summary
    await desk.sync_now()  # still down: nothing changes
    assert store.get(draft.id).state == DraftState.PENDING and desk.status.queued == 6

    faults.down = False
    sent_from = len(faults.log)
    status = await desk.sync_now()
    d = store.get(draft.id)
    assert d.state == DraftState.SUBMITTED and d.order_number, d
    assert status.online and status.queued == 0 and status.last_error is None

    calls = [(m, p) for _, m, p in faults.log[sent_from:]]
    assert sum(1 for m, p in calls if m == "POST" and p.endswith("/checkout")) == 1
    assert not [c for c in calls if c[0] in ("PUT", "DELETE") and "/items/" in c[1]], calls  # no wasted line calls
    assert sum(1 for m, p in calls if m == "POST" and p.endswith("/items")) == 1  # PART-A1; WDG-BLU-L made the cart

    admin = make_client(client_id="demo-admin", secret="demo-admin-secret")
    order = await admin.orders.get(d.order_number)
    assert sorted((i.sku, i.quantity) for i in order.items) == [("PART-A1", 20), ("WDG-BLU-L", 48)]
    assert order.po_number == "PO-OFFLINE-1" and order.origination_cart_id == d.remote_cart_id
    assert (await admin.carts.active_for_customer("CUST-1042")) is None
