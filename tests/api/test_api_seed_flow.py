"""The Cart page's walk-through, in the page's order, through the client (admin, as the list needs)."""

from __future__ import annotations

import json
from decimal import Decimal

import api_seed_examples as seeds
import pytest

from nymble_desk.api import Conflict, NymbleClient
from nymble_desk.api.models import Address, CheckoutRequest


async def test_cart_page_sequence(admin: NymbleClient) -> None:
    cart = await admin.carts.create("CUST-1042", "WIDGET-BLU-L", 1, order_type="Standard")
    assert cart.status == "PENDING" and cart.quantity_of("WIDGET-BLU-L") == 1
    assert cart.items[0].unit_price == Decimal("14.00")
    cart = await admin.carts.add_item("CUST-1042", cart.id, "WIDGET-RED-M", 3)
    cart = await admin.carts.add_item("CUST-1042", cart.id, "WIDGET-RED-M", 3, known_quantity=3)
    assert cart.quantity_of("WIDGET-RED-M") == 6  # the server adds to the line
    cart = await admin.carts.update_item("CUST-1042", cart.id, "WIDGET-RED-M", 5)
    assert cart.quantity_of("WIDGET-RED-M") == 5
    await admin.carts.remove_item("CUST-1042", cart.id, "WIDGET-RED-M")
    assert (await admin.carts.get(cart.id)).line("WIDGET-RED-M") is None
    assert [c.id for c in await admin.carts.for_customer("CUST-1042") if c.is_active] == [cart.id]
    assert cart.id in {c.id async for c in admin.carts.iter_all(page_size=50)}
    cart = await admin.carts.set_shipping("CUST-1042", cart.id, Address(
        address1="500 Commerce Drive", address2="Suite 200", city="Austin", state_province="TX",
        postal_code="78701", country="US"))
    assert cart.shipping_address is not None and cart.shipping_address.postal_code == "78701"
    cart = await admin.carts.set_po_number("CUST-1042", cart.id, "PO-2024-88412")
    request = CheckoutRequest.model_validate(json.loads(seeds.CHECKOUT_REQUEST))
    result = await admin.carts.checkout("CUST-1042", cart.id, request)
    assert result.order_number and result.confirmation_id
    order = await admin.orders.get(result.order_number)
    assert order.origination_cart_id == cart.id and order.po_number == "PO-2024-88412"
    done = await admin.carts.get(cart.id)
    assert done.is_complete and done.order_number == result.order_number
    with pytest.raises(Conflict):  # a complete cart takes no more changes
        await admin.carts.add_item("CUST-1042", cart.id, "WIDGET-RED-M", 1)
