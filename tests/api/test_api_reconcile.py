"""Lost replies on unsafe calls: the server acted, the client timed out; nothing is doubled.

Each test drives the real sandbox through the fault transport and then reads the
server's state with a second, fault-free client to prove the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from api_faults import Faults

from nymble_desk.api import Conflict, Filter, LineMismatch, NymbleClient, OutcomeUnknown, Unreachable
from nymble_desk.api.models import (
    Address,
    Cart,
    CheckoutRequest,
    OrderCreate,
    OrderCustomer,
    OrderItem,
    OrderUser,
    SalesRep,
)

Make = Callable[..., NymbleClient]
CUSTOMER = "CUST-0082"  # Cornerstone Goods, REP-007's, no cart at the start
SHIP_TO = Address(address1="500 Commerce Drive", address2="Suite 200", city="Austin", state_province="TX",
                  postal_code="78701", country="US")


async def new_cart(client: NymbleClient, sku: str = "WDG-RED-M", quantity: int = 1) -> Cart:
    assert await client.carts.active_for_customer(CUSTOMER) is None
    return await client.carts.create(CUSTOMER, sku, quantity)


async def orders_from_cart(client: NymbleClient, cart_id: str) -> list[str]:
    return [o.order_number async for o in client.orders.iter_all() if o.origination_cart_id == cart_id]


# -- add_item -------------------------------------------------------------------------------------

async def test_add_item_lost_reply_is_not_sent_again(rep: NymbleClient, faults: Faults) -> None:
    cart = await new_cart(rep)
    faults.plan("POST", "/items", "lose-reply")
    after = await rep.carts.add_item(CUSTOMER, cart.id, "WDG-BLU-L", 24, known_quantity=0)
    assert after.quantity_of("WDG-BLU-L") == 24
    assert faults.count("POST", "/items") == 1
    assert (await rep.carts.get(cart.id)).quantity_of("WDG-BLU-L") == 24  # not 48


async def test_add_item_to_an_existing_line_after_a_lost_reply(rep: NymbleClient, faults: Faults) -> None:
    cart = await new_cart(rep, "WDG-RED-M", 5)
    faults.plan("POST", "/items", "act-then-500")
    after = await rep.carts.add_item(CUSTOMER, cart.id, "WDG-RED-M", 3, known_quantity=5)
    assert after.quantity_of("WDG-RED-M") == 8
    assert faults.count("POST", "/items") == 1


async def test_add_item_that_never_arrived_is_sent_again_once(rep: NymbleClient, faults: Faults) -> None:
    cart = await new_cart(rep)
    faults.plan("POST", "/items", "timeout", "lose-reply")  # first never reached; second landed, reply lost
    after = await rep.carts.add_item(CUSTOMER, cart.id, "WDG-BLU-L", 2)
    assert after.quantity_of("WDG-BLU-L") == 2
    assert faults.count("POST", "/items") == 1
    assert faults.count("POST", "/items", reached=False) == 2


async def test_add_item_refuses_to_guess_when_the_line_moved(rep: NymbleClient, faults: Faults) -> None:
    cart = await new_cart(rep, "WDG-RED-M", 1)
    faults.plan("POST", "/items", "lose-reply")
    with pytest.raises(LineMismatch) as caught:  # the caller believed the line held 5; it held 1
        await rep.carts.add_item(CUSTOMER, cart.id, "WDG-RED-M", 3, known_quantity=5)
    assert (caught.value.known, caught.value.expected, caught.value.found) == (5, 8, 4)
    assert isinstance(caught.value, Conflict) and isinstance(caught.value, OutcomeUnknown)
    assert faults.count("POST", "/items") == 1


async def test_add_item_stays_unknown_when_the_check_fails_too(rep: NymbleClient, faults: Faults) -> None:
    cart = await new_cart(rep)
    faults.plan("POST", "/items", "lose-reply")
    faults.always("GET", f"/api/carts/{cart.id}", "refuse")
    with pytest.raises(OutcomeUnknown) as caught:
        await rep.carts.add_item(CUSTOMER, cart.id, "WDG-BLU-L", 2)
    assert "checking the result failed" in caught.value.detail
    assert faults.count("POST", "/items") == 1


# -- create ---------------------------------------------------------------------------------------

async def test_create_lost_reply_returns_the_cart_it_made(rep: NymbleClient, faults: Faults) -> None:
    faults.plan("POST", f"/api/carts/{CUSTOMER}", "lose-reply")
    cart = await rep.carts.create(CUSTOMER, "WDG-BLU-L", 12)
    assert cart.quantity_of("WDG-BLU-L") == 12 and cart.is_active
    assert faults.count("POST", f"/api/carts/{CUSTOMER}") == 1
    carts = await rep.carts.for_customer(CUSTOMER)
    assert [c.id for c in carts if c.is_active] == [cart.id]


async def test_create_that_never_arrived_is_sent_again(rep: NymbleClient, faults: Faults) -> None:
    faults.plan("POST", f"/api/carts/{CUSTOMER}", "timeout", 503)
    cart = await rep.carts.create(CUSTOMER, "WDG-BLU-L", 1)
    assert faults.count("POST", f"/api/carts/{CUSTOMER}") == 1
    assert [c.id for c in await rep.carts.for_customer(CUSTOMER) if c.is_active] == [cart.id]


async def test_create_gives_up_as_not_done_when_nothing_lands(rep: NymbleClient, faults: Faults) -> None:
    faults.always("POST", f"/api/carts/{CUSTOMER}", "timeout")
    with pytest.raises(Unreachable) as caught:
        await rep.carts.create(CUSTOMER, "WDG-BLU-L", 1)
    assert "was not done" in caught.value.detail
    assert await rep.carts.active_for_customer(CUSTOMER) is None


# -- checkout -------------------------------------------------------------------------------------

@pytest.fixture(params=["cart", "customer-cart"])
def route(request: pytest.FixtureRequest, rep: NymbleClient) -> str:
    """Both checkout paths: the Orders page's /api/carts/{cartId}/checkout (the client's default) and the
    Cart page's .../complete-checkout; answers the path suffix the faults match."""
    rep.carts.checkout_route = request.param
    return "/checkout" if request.param == "cart" else "/complete-checkout"


async def ready_cart(client: NymbleClient) -> Cart:
    cart = await new_cart(client, "WDG-BLU-L", 24)
    await client.carts.set_shipping(CUSTOMER, cart.id, SHIP_TO)
    await client.carts.set_po_number(CUSTOMER, cart.id, "PO-TEST-1")
    return cart


async def test_checkout_lost_reply_finds_the_order_and_never_submits_twice(
    rep: NymbleClient, faults: Faults, route: str,
) -> None:
    cart = await ready_cart(rep)
    faults.plan("POST", route, "lose-reply")
    result = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    assert faults.count("POST", route) == 1
    assert await orders_from_cart(rep, cart.id) == [result.order_number]
    order = await rep.orders.get(result.order_number)
    assert order.origination_cart_id == cart.id and order.po_number == "PO-TEST-1"
    assert (await rep.carts.get(cart.id)).is_complete


async def test_checkout_after_a_5xx_that_acted(rep: NymbleClient, faults: Faults, route: str) -> None:
    cart = await ready_cart(rep)
    faults.plan("POST", route, "act-then-502")
    result = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    assert faults.count("POST", route) == 1
    assert await orders_from_cart(rep, cart.id) == [result.order_number]


async def test_checkout_that_never_arrived_is_submitted_again(rep: NymbleClient, faults: Faults, route: str) -> None:
    cart = await ready_cart(rep)
    faults.plan("POST", route, "timeout")
    result = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    assert result.confirmation_id  # a real answer this time
    assert faults.count("POST", route) == 1
    assert await orders_from_cart(rep, cart.id) == [result.order_number]


async def test_checkout_again_of_a_completed_cart_answers_its_order(
    rep: NymbleClient, faults: Faults, route: str
) -> None:
    cart = await ready_cart(rep)
    first = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    again = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))  # 409, reconciled
    assert again.order_number == first.order_number
    assert faults.count("POST", route) == 2
    assert await orders_from_cart(rep, cart.id) == [first.order_number]


async def test_checkout_uses_the_orders_page_path_and_falls_back(rep: NymbleClient, faults: Faults) -> None:
    """Issue #16 finding 7: the client sends the path the Orders page recommends; a server without it
    (404 on the first send, nothing done) gets the Cart page's path, once, and the client remembers."""
    assert rep.carts.checkout_route == "cart"
    cart = await ready_cart(rep)
    result = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    assert faults.count("POST", f"/api/carts/{cart.id}/checkout") == 1
    assert faults.count("POST", "/complete-checkout") == 0
    assert await orders_from_cart(rep, cart.id) == [result.order_number]
    cart = await ready_cart(rep)
    faults.plan("POST", f"/api/carts/{cart.id}/checkout", 404)
    result = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    assert faults.count("POST", "/complete-checkout") == 1 and rep.carts.checkout_route == "customer-cart"
    assert await orders_from_cart(rep, cart.id) == [result.order_number]


async def test_find_by_origination_cart(rep: NymbleClient) -> None:
    cart = await ready_cart(rep)
    assert await rep.orders.find_by_origination_cart(cart.id) is None
    result = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    found = await rep.orders.find_by_origination_cart(cart.id)
    assert found is not None and found.order_number == result.order_number


# -- orders.create: idempotent by externalId ---------------------------------------------------

def an_order(external_id: str | None) -> OrderCreate:
    return OrderCreate(
        customer=OrderCustomer(customer_number="CUST-0042", company_name="Acme Wholesale Ltd."),
        order_type="Assisted", po_number="PO-2024-8821", price_tier="Wholesale", currency_code="USD",
        primary_sales_rep=SalesRep(rep_number="REP-007"),
        items=[OrderItem(sku="WDG-100-BLU", quantity=24, price=Decimal("18.50"))],
        user=OrderUser(user_type="SalesRep"), terms="Net30", channel="Phone", external_id=external_id,
    )


async def test_order_create_is_retried_after_a_lost_reply_without_a_duplicate(
    rep: NymbleClient, faults: Faults,
) -> None:
    faults.plan("POST", "/api/orders", "lose-reply", "act-then-500")
    ref = await rep.orders.create(an_order("DESK-TEST-0001"))
    assert faults.count("POST", "/api/orders") == 3
    matches = await rep.orders.search([Filter("externalId", "equals", "DESK-TEST-0001")])
    assert [o.id for o in matches.items] == [ref.id]
    with pytest.raises(ValueError, match="external_id"):
        await rep.orders.create(an_order(None))


async def test_checkout_unknown_now_is_reconciled_on_a_later_try(rep: NymbleClient, faults: Faults, route: str) -> None:
    cart = await ready_cart(rep)
    faults.plan("POST", route, "lose-reply")
    faults.plan("GET", f"/api/carts/{cart.id}", *(["refuse"] * 4))  # the check fails too: still offline
    with pytest.raises(OutcomeUnknown):
        await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    # later, back online, the caller tries again: 409 (complete), reconciled to the one order
    result = await rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone"))
    assert faults.count("POST", route) == 2
    assert await orders_from_cart(rep, cart.id) == [result.order_number]


async def test_put_and_bulk_are_repeated_safely_after_lost_replies(rep: NymbleClient, faults: Faults) -> None:
    cart = await new_cart(rep, "WDG-RED-M", 1)
    faults.plan("PUT", "/items/WDG-RED-M", "lose-reply")
    cart = await rep.carts.update_item(CUSTOMER, cart.id, "WDG-RED-M", 7)
    assert cart.quantity_of("WDG-RED-M") == 7 and faults.count("PUT", "/items/WDG-RED-M") == 2
    faults.plan("POST", "/api/orders/bulk", "lose-reply")
    refs = await rep.orders.bulk([an_order("DESK-BULK-9")])
    assert faults.count("POST", "/api/orders/bulk") == 2
    same = await rep.orders.search([Filter("externalId", "equals", "DESK-BULK-9")])
    assert [o.id for o in same.items] == [refs[0].id]


@pytest.mark.parametrize("code", ["wdg-blu-l", "012345678905"])  # letter case, and the product's UPC
async def test_add_by_another_spelling_after_a_lost_reply_is_not_doubled(
    rep: NymbleClient, faults: Faults, code: str,
) -> None:
    cart = await new_cart(rep)
    faults.plan("POST", "/items", "lose-reply")
    after = await rep.carts.add_item(CUSTOMER, cart.id, code, 24)
    assert faults.count("POST", "/items") == 1
    assert after.quantity_of("WDG-BLU-L") == 24 == (await rep.carts.get(cart.id)).quantity_of("WDG-BLU-L")


async def test_create_by_upc_after_a_lost_reply(rep: NymbleClient, faults: Faults) -> None:
    faults.plan("POST", f"/api/carts/{CUSTOMER}", "lose-reply")
    cart = await rep.carts.create(CUSTOMER, "012345678905", 3)
    assert cart.quantity_of("WDG-BLU-L") == 3 and faults.count("POST", f"/api/carts/{CUSTOMER}") == 1


async def test_a_double_pressed_checkout_makes_one_order(rep: NymbleClient, faults: Faults) -> None:
    import asyncio

    cart = await ready_cart(rep)
    first, second = await asyncio.gather(
        rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone")),
        rep.carts.checkout(CUSTOMER, cart.id, CheckoutRequest(channel="Phone")),
    )
    assert first.order_number == second.order_number
    assert await orders_from_cart(rep, cart.id) == [first.order_number]
