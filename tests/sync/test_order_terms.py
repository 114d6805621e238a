"""The order's own terms and the credit check, through the Desk against the real in-process sandbox."""

from __future__ import annotations

from decimal import Decimal

from nymble_desk.api.models import OrderCreate, OrderCustomer, OrderItem, SalesRep
from nymble_desk.api.paging import Filter
from nymble_desk.domain.credit import credit_warning
from nymble_desk.domain.totals import Discount
from nymble_desk.drafts.models import DraftState, OrderTerms
from nymble_desk.drafts.store import DraftStore
from nymble_desk.sync.desk import CheckoutInput, Desk, credit_of
from sync_faults import Faults

SHIP = {"address1": "500 Commerce Drive", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
        "country": "US"}
TERMS = OrderTerms(shipping_method="UPS Ground", shipping_cost=Decimal("25.00"), tax=Decimal("30.10"),
                   discount=Discount("Percentage", Decimal("10")),
                   line_discounts=(("WDG-RED-M", Discount("Fixed", Decimal("5.00"))),))


async def _cart(desk: Desk, customer: str = "CUST-1042") -> str:
    draft = desk.open_draft((await desk.customer_summary(customer)).customer)
    desk.add_line(draft.id, await desk.find_product("WDG-BLU-L"), 48)
    desk.add_line(draft.id, await desk.find_product("WDG-RED-M"), 10)
    desk.set_ship_to(draft.id, SHIP)
    return draft.id


async def test_terms_survive_a_restart_and_are_on_the_placed_order(asgi, store, make_client, tmp_path) -> None:
    desk = Desk(make_client(), store)
    draft_id = await _cart(desk)
    desk.set_notes(draft_id, "Leave at dock 4.")
    desk.set_order_terms(draft_id, TERMS)
    store.close()
    reopened = DraftStore(tmp_path / "drafts.sqlite3")  # the program restarted: the same file
    desk = Desk(make_client(), reopened)
    draft = desk.get_draft(draft_id)
    assert draft.order_terms == TERMS and draft.notes == "Leave at dock 4."
    # 564.00 + 110.00 - 5.00 line; 10% of 669.00 = 66.90; + 30.10 tax + 25.00 shipping
    assert draft.totals().total == Decimal("657.20")
    out = await desk.checkout(draft_id, CheckoutInput("TradeShow", use_terms=True, order_type="Assisted"))
    assert out.state == "placed", out
    order = await desk.order(out.order_number)
    assert order.order_total == draft.totals().total
    assert (order.shipping_details.method, order.shipping_details.total) == ("UPS Ground", Decimal("25.00"))
    assert order.tax == Decimal("30.10") and order.discount.type == "Percentage"
    assert next(i for i in order.items if i.sku == "WDG-RED-M").discount_amount == Decimal("5.00")
    assert (order.notes, order.channel, order.order_type) == ("Leave at dock 4.", "TradeShow", "Assisted")
    reopened.close()


async def test_a_lost_checkout_reply_places_the_terms_once(asgi, store, make_client) -> None:
    faults = Faults(asgi)
    desk = Desk(make_client(transport=faults), store)
    draft_id = await _cart(desk)
    desk.set_order_terms(draft_id, TERMS)
    await desk.sync_now()
    faults.when("POST", "/checkout", "lose", then_refuse=40)
    out = await desk.checkout(draft_id, CheckoutInput("Phone", use_terms=True))
    assert out.state == "queued" and store.get(draft_id).state == DraftState.SUBMITTING
    faults.blackout = 0
    again = Desk(make_client(transport=faults), store)  # restarted over the same file
    await again.sync_now()
    await again.sync_now()
    draft = store.get(draft_id)
    assert draft.state == DraftState.SUBMITTED
    admin = make_client(client_id="demo-admin", secret="demo-admin-secret")
    page = await admin.orders.search([Filter("originationCartId", "equals", draft.remote_cart_id)])
    assert page.total == 1
    assert page.items[0].order_total == Decimal("657.20") and page.items[0].tax == Decimal("30.10")


async def test_credit_is_what_the_api_tells(desk: Desk) -> None:
    near = credit_of(await desk.customer_summary("CUST-0082"))
    # limit 25,000 - balance 21,890.00 - orders not yet invoiced (1,760.00 + 259.25)
    assert (near.limit, near.balance, near.uninvoiced) == (Decimal(25000), Decimal("21890.00"), Decimal("2019.25"))
    assert near.available == Decimal("1090.75")
    assert credit_warning(near, Decimal("1000"), on_terms=True) is None
    over = credit_warning(near, Decimal("1500"), on_terms=True)
    assert over is not None and over.over == Decimal("409.25") and "$409.25 over credit" in over.message
    assert credit_warning(near, Decimal("1500"), on_terms=False) is None  # a card pays: no credit used
    acme = credit_of(await desk.customer_summary("CUST-0042"))
    assert acme.available is not None and acme.available < 0
    hold = credit_warning(credit_of(await desk.customer_summary("CUST-0021")), Decimal("10"), on_terms=True)
    assert hold is not None and hold.on_hold and "ON HOLD" in hold.message
    bright = credit_of(await desk.customer_summary("CUST-1042"))
    warning = credit_warning(bright, Decimal("70065.50"), on_terms=True)
    assert warning is not None and warning.over == Decimal("70065.50") - bright.available


async def test_credit_counts_every_open_order_read_not_only_the_newest_five(desk: Desk) -> None:
    """The panel shows the last five orders; the summary reads twenty, and the uninvoiced part of all of
    them is credit in use.  Counting the five only, a customer with more open orders showed more
    credit available than the API's figures leave."""
    before = credit_of(await desk.customer_summary("CUST-0082"))
    for n in range(6):  # six orders taken and not yet invoiced (placed through the orders API)
        await desk.client.orders.create(OrderCreate(
            customer=OrderCustomer(customer_number="CUST-0082"), order_type="Direct", po_number=f"PO-OPEN-{n}",
            price_tier="Wholesale",
            currency_code="USD", primary_sales_rep=SalesRep(rep_number="REP-007"),
            items=[OrderItem(sku="WDG-BLU-L", quantity=24, price=Decimal("12.50")),
                   OrderItem(sku="WDG-RED-M", quantity=12, price=Decimal("11.00"))],
            external_id=f"CREDIT-OPEN-{n}"))
    after = credit_of(await desk.customer_summary("CUST-0082", max_age=0))
    assert len((await desk.customer_summary("CUST-0082")).recent_orders) == 5
    assert after.uninvoiced == before.uninvoiced + 6 * Decimal("432.00")  # 8 open orders, not the newest 5
    assert after.available == before.available - 6 * Decimal("432.00")


async def test_the_reason_for_going_over_credit_is_on_the_order(desk: Desk) -> None:
    draft_id = await _cart(desk)
    note = "Credit override ($5.00 over credit): approved by Dana in finance"
    out = await desk.checkout(draft_id, CheckoutInput("Phone", use_terms=True, credit_note=note))
    assert out.state == "placed"
    assert (await desk.order(out.order_number)).notes == note
