"""The Cart API page (seeds/000), example by example, in the page's order, then its error cases."""

from __future__ import annotations

from decimal import Decimal

import httpx

from .conftest import assert_problem

CUST = "CUST-1042"
SHIPPING = {
    "address1": "500 Commerce Drive",
    "address2": "Suite 200",
    "city": "Austin",
    "stateProvince": "TX",
    "postalCode": "78701",
    "country": "US",
}
CHECKOUT = {
    "customerNumber": CUST,
    "channel": "Web",
    "payment": {
        "billingAddress": {"address1": "123 Billing St", "city": "New York", "stateProvince": "NY",
                           "postalCode": "10001", "country": "US"},
        "creditCard": {"cardNumber": "4111111111111111", "cardholderName": "John Doe", "expiryMonth": "12",
                       "expiryYear": 2028, "cvv": "123"},
    },
}


async def create_cart(http: httpx.AsyncClient, h: dict[str, str], customer: str = CUST, sku: str = "WIDGET-BLU-L",
                      quantity: int = 1) -> dict:
    r = await http.post(f"/api/carts/{customer}", headers=h,
                        json={"customerNumber": customer, "sku": sku, "quantity": quantity, "orderType": "Standard"})
    assert r.status_code == 201, r.text
    return r.json()


async def test_cart_page_examples_in_order(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    # Creating a cart
    cart = await create_cart(http, h)
    cart_id = cart["shoppingCartId"]
    assert cart_id.startswith("cart_")
    assert cart["customerNumber"] == CUST and cart["organizationId"].startswith("org_")
    assert cart["orderType"] == "Standard" and cart["status"] == "PENDING"
    assert [(i["sku"], i["quantity"]) for i in cart["items"]] == [("WIDGET-BLU-L", 1)]
    assert cart["createdAt"].endswith("Z")

    # Adding items
    r = await http.post(f"/api/carts/{CUST}/{cart_id}/items", headers=h,
                        json={"customerNumber": CUST, "shoppingCartId": cart_id, "sku": "WIDGET-RED-M", "quantity": 3})
    assert r.status_code == 200, r.text
    assert [(i["sku"], i["quantity"]) for i in r.json()["items"]] == [("WIDGET-BLU-L", 1), ("WIDGET-RED-M", 3)]
    # ... the same SKU again adds to its line rather than making a second one
    r = await http.post(f"/api/carts/{CUST}/{cart_id}/items", headers=h,
                        json={"customerNumber": CUST, "shoppingCartId": cart_id, "sku": "WIDGET-RED-M", "quantity": 2})
    assert [(i["sku"], i["quantity"]) for i in r.json()["items"]] == [("WIDGET-BLU-L", 1), ("WIDGET-RED-M", 5)]

    # Updating items
    r = await http.put(f"/api/carts/{CUST}/{cart_id}/items/WIDGET-RED-M", headers=h,
                       json={"customerNumber": CUST, "shoppingCartId": cart_id, "sku": "WIDGET-RED-M", "quantity": 5})
    assert r.status_code == 200, r.text
    red = next(i for i in r.json()["items"] if i["sku"] == "WIDGET-RED-M")
    assert red["quantity"] == 5 and Decimal(str(red["unitPrice"])) == Decimal("12.00")
    assert red["lineTotalFormatted"] == "$60.00"

    # Remove a line item: 204 No Content
    r = await http.delete(f"/api/carts/{CUST}/{cart_id}/items/WIDGET-RED-M", headers=h)
    assert r.status_code == 204 and r.content == b""

    # Retrieving a cart, by id and by customer
    r = await http.get(f"/api/carts/{cart_id}", headers=h)
    assert r.status_code == 200 and [i["sku"] for i in r.json()["items"]] == ["WIDGET-BLU-L"]
    r = await http.get(f"/api/carts/customer/{CUST}", headers=h)
    assert r.status_code == 200 and [c["shoppingCartId"] for c in r.json()] == [cart_id]

    # Admin list with paging
    r = await http.get("/api/carts?pageNumber=1&pageSize=50", headers=h)
    assert r.status_code == 200
    page = r.json()
    assert page["pageNumber"] == 1 and page["pageSize"] == 50 and page["totalCount"] >= 1
    assert cart_id in [c["shoppingCartId"] for c in page["items"]] and page["totalPages"] >= 1
    r = await http.get(
        "/api/carts", headers=h, params={"filters": [f"customerNumber:equals:{CUST}", "status:equals:PENDING"]}
    )
    assert [c["shoppingCartId"] for c in r.json()["items"]] == [cart_id]

    # Shipping and PO number
    r = await http.put(f"/api/carts/{CUST}/{cart_id}/shipping", headers=h,
                       json={"customerNumber": CUST, "shoppingCartId": cart_id, "shippingAddress": SHIPPING})
    assert r.status_code == 200 and r.json()["shippingAddress"] == {
        **SHIPPING,
        "name": None,
        "phone": None,
        "email": None,
    }
    r = await http.put(f"/api/carts/{CUST}/{cart_id}/po-number", headers=h,
                       json={"customerNumber": CUST, "shoppingCartId": cart_id, "poNumber": "PO-2024-88412"})
    assert r.status_code == 200 and r.json()["poNumber"] == "PO-2024-88412"

    # Completing checkout
    r = await http.post(f"/api/carts/{CUST}/{cart_id}/complete-checkout", headers=h,
                        json={**CHECKOUT, "shoppingCartId": cart_id})
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["orderNumber"].startswith("ORD-") and result["confirmationId"].startswith("conf_")

    # Use orderNumber to look up the full order
    r = await http.get(f"/api/orders/{result['orderNumber']}", headers=h)
    assert r.status_code == 200
    order = r.json()
    assert order["originationCartId"] == cart_id and order["poNumber"] == "PO-2024-88412"
    assert order["channel"] == "Web" and order["orderType"] == "Standard" and order["priceTier"] == "Wholesale"
    assert [(i["sku"], i["quantity"], i["priceFormatted"]) for i in order["items"]] == [("WIDGET-BLU-L", 1, "$14.00")]
    assert order["customer"]["billingAddress"]["zipPostalCode"] == "10001"
    assert order["shippingDetails"]["shippingAddress"]["address1"] == "500 Commerce Drive"
    assert order["primarySalesRep"]["repNumber"] == "REP-007" and len(order["invoiceNumbers"]) == 1

    # The cart is Complete and refuses further PUT/POST
    r = await http.get(f"/api/carts/{cart_id}", headers=h)
    assert r.json()["status"] == "Complete" and r.json()["orderNumber"] == result["orderNumber"]
    r = await http.post(f"/api/carts/{CUST}/{cart_id}/items", headers=h, json={"sku": "WIDGET-RED-M", "quantity": 1})
    assert_problem(r, 409)
    r = await http.put(f"/api/carts/{CUST}/{cart_id}/po-number", headers=h, json={"poNumber": "X"})
    assert_problem(r, 409)
    r = await http.post(f"/api/carts/{CUST}/{cart_id}/complete-checkout", headers=h, json=CHECKOUT)
    assert_problem(r, 409)


async def test_card_checkout_pays_the_invoice_and_keeps_only_last4(http: httpx.AsyncClient, headers: dict, app) -> None:
    h = headers["admin"]
    cart = await create_cart(http, h, sku="WDG-BLU-L", quantity=48)
    cid = cart["shoppingCartId"]
    assert Decimal(str(cart["items"][0]["unitPrice"])) == Decimal("11.75")  # Wholesale break at 48
    await http.put(f"/api/carts/{CUST}/{cid}/shipping", headers=h, json={"shippingAddress": SHIPPING})
    r = await http.post(f"/api/carts/{cid}/checkout", headers=h, json=CHECKOUT)  # the Orders page's alias
    assert r.status_code == 200, r.text
    number = r.json()["orderNumber"]
    inv = (await http.get(f"/api/invoices?filters=orderNumber:equals:{number}", headers=h)).json()["data"][0]
    assert inv["status"] == "Paid" and inv["balanceFormatted"] == "$0.00" and inv["invoiceTotalFormatted"] == "$564.00"
    payment = inv["payments"][0]
    assert (payment["method"], payment["cardType"], payment["last4Digits"]) == ("CreditCard", "Visa", "1111")
    raw = (app.state.data_dir / "sandbox.sqlite3").read_bytes()
    for suffix in ("-wal",):
        wal = app.state.data_dir / f"sandbox.sqlite3{suffix}"
        if wal.exists():
            raw += wal.read_bytes()
    assert b"4111111111111111" not in raw and b"John Doe" not in raw


async def test_terms_checkout_by_rep_keeps_the_order_type_and_is_issued(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["rep"]
    cart = await create_cart(http, h, customer="CUST-0082", sku="PART-A1", quantity=20)
    cid = cart["shoppingCartId"]
    await http.put(f"/api/carts/CUST-0082/{cid}/shipping", headers=h, json={"shippingAddress": {
        "address1": "1 Main St", "city": "Salem", "stateProvince": "OR", "zipPostalCode": "97301", "country": "US"}})
    r = await http.post(f"/api/carts/CUST-0082/{cid}/complete-checkout", headers=h, json={"channel": "Phone"})
    assert r.status_code == 200, r.text
    order = (await http.get(f"/api/orders/{r.json()['orderNumber']}", headers=h)).json()
    # the order type as the cart holds it (Standard), not rewritten for a rep; REP-007 is CUST-0082's
    # primary rep, so takenBySalesRep stays empty ("if different from the primary rep")
    assert order["orderType"] == "Standard" and order["channel"] == "Phone"
    assert order["primarySalesRep"]["repNumber"] == "REP-007" and order["takenBySalesRep"] is None
    assert order["shippingDetails"]["shippingAddress"]["zipPostalCode"] == "97301"
    inv = (await http.get(f"/api/invoices/{order['invoiceNumbers'][0]}", headers=h)).json()
    assert inv["status"] == "Issued" and inv["payments"] == [] and inv["terms"] == "Net30"


async def test_second_active_cart_is_409(http: httpx.AsyncClient, headers: dict) -> None:
    await create_cart(http, headers["admin"])
    r = await http.post(f"/api/carts/{CUST}", headers=headers["admin"], json={"sku": "WIDGET-RED-M", "quantity": 1})
    assert_problem(r, 409, "CustomerNumber")


async def test_checkout_without_shipping_is_400(http: httpx.AsyncClient, headers: dict) -> None:
    cid = (await create_cart(http, headers["admin"]))["shoppingCartId"]
    r = await http.post(f"/api/carts/{CUST}/{cid}/complete-checkout", headers=headers["admin"], json={"channel": "Web"})
    assert_problem(r, 400, "ShippingAddress")


async def test_checkout_of_an_empty_cart_is_400(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    cid = (await create_cart(http, h))["shoppingCartId"]
    assert (await http.delete(f"/api/carts/{CUST}/{cid}/items/WIDGET-BLU-L", headers=h)).status_code == 204
    await http.put(f"/api/carts/{CUST}/{cid}/shipping", headers=h, json={"shippingAddress": SHIPPING})
    r = await http.post(f"/api/carts/{CUST}/{cid}/complete-checkout", headers=h, json={})
    assert_problem(r, 400, "Items")


async def test_checkout_with_broken_minimum_names_the_item(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    cid = (await create_cart(http, h, sku="WIDGET-BLU-L"))["shoppingCartId"]
    await http.post(f"/api/carts/{CUST}/{cid}/items", headers=h, json={"sku": "PART-B3", "quantity": 30})
    await http.put(f"/api/carts/{CUST}/{cid}/shipping", headers=h, json={"shippingAddress": SHIPPING})
    r = await http.post(f"/api/carts/{CUST}/{cid}/complete-checkout", headers=h, json={"channel": "Web"})
    body = assert_problem(r, 400, "Items[1].Quantity")
    assert body["errors"]["Items[1].Quantity"][0].startswith("PART-B3")
    assert "25" in body["errors"]["Items[1].Quantity"][0]
    assert (await http.get(f"/api/carts/{cid}", headers=h)).json()["status"] == "PENDING"


async def test_checkout_with_inactive_product_or_customer_is_400(http: httpx.AsyncClient, headers: dict, app) -> None:
    h = headers["admin"]
    with app.state.db.connection() as con:
        sku = con.execute("SELECT sku FROM products WHERE active = 0 AND moq = 1 LIMIT 1").fetchone()
    cid = (await create_cart(http, h))["shoppingCartId"]
    if sku is not None:
        await http.post(f"/api/carts/{CUST}/{cid}/items", headers=h, json={"sku": sku[0], "quantity": 1})
    else:
        with app.state.db.write() as con:
            con.execute("UPDATE products SET active = 0 WHERE sku = 'WIDGET-BLU-L'")
    await http.put(f"/api/carts/{CUST}/{cid}/shipping", headers=h, json={"shippingAddress": SHIPPING})
    r = await http.post(f"/api/carts/{CUST}/{cid}/complete-checkout", headers=h, json={})
    body = assert_problem(r, 400)
    assert any(k.startswith("Items[") and k.endswith("].Sku") for k in body["errors"])
    assert "inactive" in body["detail"]

    r = await http.post("/api/carts/CUST-0013", headers=h, json={"sku": "WIDGET-BLU-L", "quantity": 1})
    dormant = r.json()["shoppingCartId"]
    await http.put(f"/api/carts/CUST-0013/{dormant}/shipping", headers=h, json={"shippingAddress": SHIPPING})
    r = await http.post(f"/api/carts/CUST-0013/{dormant}/complete-checkout", headers=h, json={})
    assert_problem(r, 400, "CustomerNumber")


async def test_luhn_invalid_card_is_400_and_not_echoed(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    cid = (await create_cart(http, h))["shoppingCartId"]
    await http.put(f"/api/carts/{CUST}/{cid}/shipping", headers=h, json={"shippingAddress": SHIPPING})
    bad = {**CHECKOUT, "payment": {**CHECKOUT["payment"], "creditCard": {
        **CHECKOUT["payment"]["creditCard"], "cardNumber": "4111111111111112"}}}
    r = await http.post(f"/api/carts/{CUST}/{cid}/complete-checkout", headers=h, json=bad)
    assert_problem(r, 400, "Payment.CreditCard.CardNumber")
    assert "4111111111111112" not in r.text
    bad["payment"]["creditCard"]["cardNumber"] = "not a card"
    r = await http.post(f"/api/carts/{CUST}/{cid}/complete-checkout", headers=h, json=bad)
    assert_problem(r, 400, "Payment.CreditCard.CardNumber")
    assert "not a card" not in r.text


async def test_another_tenants_cart_is_404(http: httpx.AsyncClient, headers: dict) -> None:
    cid = (await create_cart(http, headers["admin"]))["shoppingCartId"]
    other = headers["other"]
    assert_problem(await http.get(f"/api/carts/{cid}", headers=other), 404)
    r = await http.post(f"/api/carts/{CUST}/{cid}/items", headers=other, json={"sku": "WIDGET-RED-M", "quantity": 1})
    assert_problem(r, 404)
    r = await http.post(f"/api/carts/{CUST}/{cid}/complete-checkout", headers=other, json={})
    assert_problem(r, 404)
    # OTHER has a CUST-1042 of its own: its cart list does not show DEMO's cart
    r = await http.get(f"/api/carts/customer/{CUST}", headers=other)
    assert r.status_code == 200 and r.json() == []


async def test_unknown_sku_and_bad_bodies_are_400(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    assert_problem(await http.post(f"/api/carts/{CUST}", headers=h, json={"sku": "NOPE-1", "quantity": 1}), 400, "Sku")
    assert_problem(await http.post(f"/api/carts/{CUST}", headers=h, json={"sku": "WIDGET-BLU-L", "quantity": 0}),
                   400, "Quantity")
    assert_problem(await http.post(f"/api/carts/{CUST}", headers=h, json={"quantity": 1}), 400, "Sku")
    r = await http.post(f"/api/carts/{CUST}", headers={**h, "Content-Type": "application/json"}, content=b"{nope")
    assert_problem(r, 400, "Body")
    r = await http.post(f"/api/carts/{CUST}", headers=h, json={"customerNumber": "CUST-0055", "sku": "WIDGET-BLU-L"})
    assert_problem(r, 400, "CustomerNumber")
    # property names are matched without regard to case; a UPC finds its product
    r = await http.post(f"/api/carts/{CUST}", headers=h, json={"SKU": "012345678905", "Quantity": 2})
    assert r.status_code == 201 and r.json()["items"][0]["sku"] == "WDG-BLU-L"
