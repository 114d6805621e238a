"""The order's own terms travel in the checkout body and land on the order and its invoice (docs/order-terms.md)."""

from __future__ import annotations

from decimal import Decimal

import httpx

from .conftest import assert_problem
from .test_seed_cart_api import SHIPPING, create_cart

CUST = "CUST-1042"


async def _ready_cart(http: httpx.AsyncClient, h: dict[str, str]) -> str:
    cart_id = (await create_cart(http, h, sku="WDG-BLU-L", quantity=48))["shoppingCartId"]
    r = await http.post(f"/api/carts/{CUST}/{cart_id}/items", headers=h,
                        json={"customerNumber": CUST, "shoppingCartId": cart_id, "sku": "WDG-RED-M", "quantity": 10})
    assert r.status_code == 200, r.text
    r = await http.put(f"/api/carts/{CUST}/{cart_id}/shipping", headers=h,
                       json={"customerNumber": CUST, "shoppingCartId": cart_id, "shippingAddress": SHIPPING})
    assert r.status_code == 200, r.text
    return cart_id


async def test_terms_in_the_checkout_body_are_on_the_order_and_invoice(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["rep"]
    cart_id = await _ready_cart(http, h)
    r = await http.post(f"/api/carts/{cart_id}/checkout", headers=h, json={
        "channel": "TradeShow", "orderType": "Assisted", "notes": "Deliver before the show ends.",
        "shippingDetails": {"method": "UPS Ground", "total": 25.00}, "tax": 30.10,
        "discount": {"type": "Percentage", "value": 10, "code": "REP"},
        "lineDiscounts": [{"sku": "WDG-RED-M", "discount": {"type": "Fixed", "value": 5.00}}],
    })
    assert r.status_code in (200, 201), r.text
    order = (await http.get(f"/api/orders/{r.json()['orderNumber']}", headers=h)).json()
    # WDG-BLU-L 48 x 11.75 = 564.00; WDG-RED-M 10 x 11.00 = 110.00 - 5.00 = 105.00; order 10% of 669.00 = 66.90
    assert Decimal(str(order["subtotal"])) == Decimal("674.00")
    assert Decimal(str(order["discountAmount"])) == Decimal("71.90")
    assert order["discount"]["type"] == "Percentage" and order["discount"]["code"] == "REP"
    red = next(i for i in order["items"] if i["sku"] == "WDG-RED-M")
    assert Decimal(str(red["discountAmount"])) == Decimal("5.00")
    assert order["shippingDetails"]["method"] == "UPS Ground"
    assert Decimal(str(order["shippingDetails"]["total"])) == Decimal("25.00")
    assert Decimal(str(order["tax"])) == Decimal("30.10")
    assert Decimal(str(order["orderTotal"])) == Decimal("674.00") - Decimal("71.90") + Decimal("30.10") + 25
    assert order["notes"] == "Deliver before the show ends."
    assert (order["channel"], order["orderType"]) == ("TradeShow", "Assisted")
    invoices = (await http.get("/api/invoices", headers=h,
                               params={"filters": f"orderNumber:equals:{order['orderNumber']}"})).json()["data"]
    assert [Decimal(str(i["invoiceTotal"])) for i in invoices] == [Decimal(str(order["orderTotal"]))]


async def test_a_line_discount_for_a_sku_not_in_the_cart_is_refused_by_field(
        http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["rep"]
    cart_id = await _ready_cart(http, h)
    r = await http.post(f"/api/carts/{cart_id}/checkout", headers=h, json={
        "lineDiscounts": [{"sku": "PART-A1", "discount": {"type": "Fixed", "value": 1}}]})
    assert_problem(r, 400, "LineDiscounts[0].Sku")
    cart = (await http.get(f"/api/carts/{cart_id}", headers=h)).json()
    assert cart["status"] != "Complete"
