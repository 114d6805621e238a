"""The Orders API page (seeds/001), example by example, in the page's order, then its rules."""

from __future__ import annotations

import copy
from decimal import Decimal

import httpx

from .conftest import assert_problem

ADDR = {"address1": "300 Commerce Blvd", "city": "Portland", "stateProvince": "OR", "zipPostalCode": "97201",
        "country": "US"}
CREATE = {
    "customer": {
        "customerNumber": "CUST-1042",
        "companyName": "Brightfield Supply Co.",
        "companyEmail": "[email protected]",
        "companyPhone": "555-400-1200",
        "billingAddress": ADDR,
        "shippingAddress": ADDR,
    },
    "orderType": "Direct",
    "poNumber": "PO-88412",
    "priceTier": "Wholesale",
    "currencyCode": "USD",
    "primarySalesRep": {"repNumber": "REP-007", "firstName": "Jordan", "lastName": "Avery",
                        "email": "[email protected]"},
    "items": [
        {"sku": "WDG-BLU-L", "productName": "Widget Blue Large", "quantity": 24, "price": 12.50},
        {"sku": "WDG-RED-M", "productName": "Widget Red Medium", "quantity": 12, "price": 11.00},
    ],
    "user": {"userId": "usr_abc123", "userType": "SalesRep"},
    "shippingDetails": {"method": "FedEx Ground", "total": 18.50},
    "terms": "Net30",
    "channel": "Phone",
    "externalId": "ERP-ORDER-99821",
    "tax": 28.80,
    "notes": "Customer requested delivery before end of month.",
}
BULK = {
    "orders": [
        {
            "orderNumber": "ORD-2023-001", "orderDate": "2023-06-15T09:30:00Z", "externalId": "ERP-10001",
            "customer": {"customerNumber": "CUST-0055", "companyName": "Apex Distributors"},
            "orderType": "EDI", "poNumber": "PO-55001", "priceTier": "Wholesale", "currencyCode": "USD",
            "primarySalesRep": {"repNumber": "REP-003"},
            "items": [{"sku": "PART-A1", "productName": "Part A1", "quantity": 100, "price": 4.25}],
            "user": {"userType": "Admin"}, "orderStatus": "Complete", "terms": "Net60",
        },
        {
            "orderNumber": "ORD-2023-002", "orderDate": "2023-07-02T14:00:00Z", "externalId": "ERP-10002",
            "customer": {"customerNumber": "CUST-0082", "companyName": "Cornerstone Goods"},
            "orderType": "Direct", "poNumber": "PO-82001", "priceTier": "Wholesale", "currencyCode": "USD",
            "primarySalesRep": {"repNumber": "REP-007"},
            "items": [{"sku": "PART-B3", "productName": "Part B3", "quantity": 50, "price": 9.99}],
            "user": {"userType": "Admin"},
        },
    ]
}


def num(value: object) -> Decimal:
    return Decimal(str(value))


async def test_orders_page_examples_in_order(http: httpx.AsyncClient, headers: dict, app) -> None:
    h = headers["admin"]
    # Create an order: 201 with {data: {id, orderNumber}, links}
    r = await http.post("/api/orders", headers=h, json=CREATE)
    assert r.status_code == 201, r.text
    ref = r.json()
    order_id, number = ref["data"]["id"], ref["data"]["orderNumber"]
    assert number.startswith("ORD-") and ref["links"] == [{"rel": "self", "href": f"/api/orders/{order_id}"}]

    # Create orders in bulk: 201, one result per order, numbers preserved
    r = await http.post("/api/orders/bulk", headers=h, json=BULK)
    assert r.status_code == 201, r.text
    results = r.json()
    assert [x["data"]["orderNumber"] for x in results] == ["ORD-2023-001", "ORD-2023-002"]
    assert all(x["links"][0] == {"rel": "self", "href": f"/api/orders/{x['data']['id']}"} for x in results)

    # Get an order: the full order object with formatted money
    r = await http.get(f"/api/orders/{order_id}", headers=h)
    assert r.status_code == 200
    o = r.json()
    assert (o["id"], o["orderNumber"], o["orderStatus"], o["orderType"]) == (order_id, number, "Pending", "Direct")
    assert o["organizationId"].startswith("org_") and o["poNumber"] == "PO-88412"
    assert (o["priceTier"], o["currencyCode"], o["terms"], o["channel"]) == ("Wholesale", "USD", "Net30", "Phone")
    assert o["externalId"] == "ERP-ORDER-99821" and o["notes"] == CREATE["notes"]
    assert o["customer"]["companyName"] == "Brightfield Supply Co."
    assert {k: o["customer"]["billingAddress"][k] for k in ADDR} == ADDR
    rep = o["primarySalesRep"]
    assert (rep["repNumber"], rep["firstName"], rep["lastName"], rep["fullName"]) == ("REP-007", "Jordan", "Avery",
                                                                                      "Jordan Avery")
    first = o["items"][0]
    assert (first["sku"], first["productName"], first["quantity"]) == ("WDG-BLU-L", "Widget Blue Large", 24)
    assert num(first["price"]) == Decimal("12.50") and first["priceFormatted"] == "$12.50"
    assert num(first["subTotal"]) == Decimal("300.00") and first["subTotalFormatted"] == "$300.00"
    assert num(first["discountAmount"]) == 0
    assert (first["minimumOrderQuantity"], first["quantityIncrement"]) == (1, 1)
    ship = o["shippingDetails"]
    assert (
        ship["method"] == "FedEx Ground"
        and num(ship["total"]) == Decimal("18.50")
        and ship["totalFormatted"] == "$18.50"
    )
    assert num(o["tax"]) == Decimal("28.80") and o["taxFormatted"] == "$28.80"
    assert num(o["subtotal"]) == Decimal("432.00") and o["subtotalFormatted"] == "$432.00"
    assert num(o["orderTotal"]) == Decimal("479.30") and o["orderTotalFormatted"] == "$479.30"
    assert num(o["discountAmount"]) == 0 and o["active"] is True
    assert o["createdAt"].endswith("Z") and o["updatedAt"].endswith("Z") and o["orderDate"].endswith("Z")

    # Search orders: paging shape, each order with its invoice numbers
    r = await http.get("/api/orders?pageNumber=1&pageSize=20&sortOn=orderDate&sortDirection=desc", headers=h)
    assert r.status_code == 200
    page = r.json()
    assert set(page) == {"items", "totalCount", "pageNumber", "pageSize", "totalPages"}
    assert page["pageNumber"] == 1 and page["pageSize"] == 20 and len(page["items"]) == 20
    assert page["totalPages"] == -(-page["totalCount"] // 20)
    dates = [x["orderDate"] for x in page["items"]]
    assert dates == sorted(dates, reverse=True) and all("invoiceNumbers" in x for x in page["items"])

    # Update shipping details: 200 with the updated order, total recomputed
    r = await http.put(f"/api/orders/{order_id}/shipping", headers=h, json={
        "method": "UPS Next Day Air", "total": 42.00,
        "shippingAddress": {"address1": "1200 Industrial Pkwy", "city": "Salem", "stateProvince": "OR",
                            "zipPostalCode": "97301", "country": "US"}})
    assert r.status_code == 200, r.text
    o = r.json()
    assert o["shippingDetails"]["method"] == "UPS Next Day Air" and o["shippingDetails"]["totalFormatted"] == "$42.00"
    assert o["shippingDetails"]["shippingAddress"]["zipPostalCode"] == "97301"
    assert o["orderTotalFormatted"] == "$502.80"

    # Update customer details
    r = await http.put(f"/api/orders/{order_id}/customer", headers=h, json={
        "customerNumber": "CUST-1042", "companyName": "Brightfield Supply Co. (Updated)",
        "companyEmail": "[email protected]", "companyPhone": "555-400-1201",
        "billingAddress": {"address1": "301 Commerce Blvd", "city": "Portland", "stateProvince": "OR",
                           "zipPostalCode": "97201", "country": "US"}})
    assert r.status_code == 200, r.text
    c = r.json()["customer"]
    assert c["companyName"] == "Brightfield Supply Co. (Updated)" and c["companyPhone"] == "555-400-1201"
    assert c["billingAddress"]["address1"] == "301 Commerce Blvd"

    # Send order confirmation email: 200, recorded
    r = await http.post(f"/api/orders/{order_id}/email", headers=h,
                        json={"emailAddresses": ["[email protected]", "[email protected]"]})
    assert r.status_code == 200, r.text
    with app.state.db.connection() as con:
        sent = con.execute("SELECT addresses, subject FROM emails WHERE order_id = ?", (order_id,)).fetchall()
    assert len(sent) == 1 and number in sent[0]["subject"]


async def test_same_external_id_updates_the_same_order(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    first = (await http.post("/api/orders", headers=h, json=CREATE)).json()["data"]
    again = copy.deepcopy(CREATE)
    again["poNumber"] = "PO-88412-B"
    again["items"] = again["items"][:1]
    r = await http.post("/api/orders", headers=h, json=again)
    assert r.status_code == 201 and r.json()["data"] == {**first, "created": False} and first["created"] is True
    o = (await http.get(f"/api/orders/{first['id']}", headers=h)).json()
    assert o["poNumber"] == "PO-88412-B" and len(o["items"]) == 1
    found = (await http.get("/api/orders?filters=externalId:equals:ERP-ORDER-99821", headers=h)).json()
    assert found["totalCount"] == 1


async def test_bulk_reimport_updates_and_a_bad_order_gets_its_own_error(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    ids = [x["data"]["id"] for x in (await http.post("/api/orders/bulk", headers=h, json=BULK)).json()]
    payload = copy.deepcopy(BULK)
    payload["orders"].insert(1, {"orderNumber": "ORD-2023-BAD", "customer": {"customerNumber": "CUST-0055"}})
    payload["orders"].append({**copy.deepcopy(BULK["orders"][0]), "orderNumber": "ORD-2023-003",
                              "externalId": "ERP-10003", "items": [{"sku": "NO-SUCH-SKU", "quantity": 1}]})
    r = await http.post("/api/orders/bulk", headers=h, json=payload)
    assert r.status_code == 201, r.text
    out = r.json()
    assert [x["data"]["id"] if x["data"] else None for x in out] == [ids[0], None, ids[1], None]
    missing = out[1]["error"]["errors"]
    for field in ("OrderType", "PoNumber", "PriceTier", "CurrencyCode", "PrimarySalesRep", "Items"):
        assert f"Orders[1].{field}" in missing, missing
    assert "Orders[3].Items[0].Sku" in out[3]["error"]["errors"]
    r = await http.get("/api/orders?filters=orderNumber:startswith:ORD-2023-", headers=h)
    assert r.json()["totalCount"] == 2


async def test_missing_required_fields_are_named(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    body = assert_problem(await http.post("/api/orders", headers=h, json={"customer": {}}), 400)
    for field in ("Customer.CustomerNumber", "OrderType", "PoNumber", "PriceTier", "CurrencyCode", "PrimarySalesRep",
                  "Items"):
        assert field in body["errors"], body["errors"]
    bad = copy.deepcopy(CREATE)
    bad["items"] = []
    assert_problem(await http.post("/api/orders", headers=h, json=bad), 400, "Items")
    bad = copy.deepcopy(CREATE)
    bad["priceTier"] = "Platinum"
    assert_problem(await http.post("/api/orders", headers=h, json=bad), 400, "PriceTier")
    bad = copy.deepcopy(CREATE)
    bad["primarySalesRep"] = {"repNumber": "REP-999"}
    assert_problem(await http.post("/api/orders", headers=h, json=bad), 400, "PrimarySalesRep.RepNumber")
    bad = copy.deepcopy(CREATE)
    bad["items"][0]["price"] = "NaN"
    assert_problem(await http.post("/api/orders", headers=h, json=bad), 400, "Items[0].Price")
    bad = copy.deepcopy(CREATE)
    bad["customer"] = {"customerNumber": "CUST-0013"}  # inactive: cannot place orders
    assert_problem(await http.post("/api/orders", headers=h, json=bad), 400, "Customer.CustomerNumber")
    bad = copy.deepcopy(CREATE)
    bad["orderNumber"] = "ORD-00001"  # a seeded order's number, different externalId
    assert_problem(await http.post("/api/orders", headers=h, json=bad), 409, "OrderNumber")


async def test_search_filters(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    await http.post("/api/orders/bulk", headers=h, json=BULK)

    async def count(*filters: str, **params: str) -> int:
        r = await http.get("/api/orders", headers=h, params={"filters": list(filters), "pageSize": 100, **params})
        assert r.status_code == 200, r.text
        return r.json()["totalCount"]

    assert await count("orderNumber:equals:ORD-2023-001") == 1
    assert await count("poNumber:equals:PO-2024-77001") == 1
    assert await count("customerNumber:equals:CUST-1042") == 7  # 3 recent + 4 repeat orders (demo.HISTORY)
    assert await count("customerNumber:equals:CUST-1042", "poNumber:contains:774") == 1
    assert await count("orderStatus:equals:Complete", "orderNumber:startswith:ORD-2023") == 1
    assert await count("orderDate:lt:2024-01-01") == 2
    assert await count("orderDate:gte:2023-07-02", "orderDate:lte:2023-07-02") == 1
    assert await count("orderTotal:equals:425.00") == 1  # 100 x 4.25
    assert await count("orderTotal:gt:1000000") == 0
    assert await count("externalId:equals:ERP-10002") == 1
    assert await count("originationCartId:equals:cart_nope") == 0
    assert await count("poNumber:notcontains:PO") == 0
    assert await count("orderNumber:endswith:-002") == 1
    r = await http.get("/api/orders", headers=h, params={"filters": "nope:equals:x"})
    assert_problem(r, 400, "Filters")
    r = await http.get("/api/orders", headers=h, params={"filters": "orderTotal:contains:x"})
    assert_problem(r, 400, "Filters")
    r = await http.get("/api/orders", headers=h, params={"sortOn": "bogus"})
    assert_problem(r, 400, "SortOn")
    assert_problem(await http.get("/api/orders?pageSize=0", headers=h), 400, "PageSize")
    r = await http.get("/api/orders", headers=h, params={"sortOn": "orderTotal", "sortDirection": "Descending"})
    totals = [num(x["orderTotal"]) for x in r.json()["items"]]
    assert totals == sorted(totals, reverse=True)


async def test_orders_are_tenant_and_rep_scoped(http: httpx.AsyncClient, headers: dict) -> None:
    ref = (await http.post("/api/orders", headers=headers["admin"], json=CREATE)).json()["data"]
    assert_problem(await http.get(f"/api/orders/{ref['id']}", headers=headers["other"]), 404)
    r = await http.put(f"/api/orders/{ref['id']}/shipping", headers=headers["other"], json={"method": "X", "total": 1})
    assert_problem(r, 404)
    r = await http.post(f"/api/orders/{ref['id']}/email", headers=headers["other"], json={"emailAddresses": ["a@b.c"]})
    assert_problem(r, 404)
    # REP-007 sees CUST-1042's order, not CUST-0055's (REP-003)
    bulk = (await http.post("/api/orders/bulk", headers=headers["admin"], json=BULK)).json()
    assert (await http.get(f"/api/orders/{ref['id']}", headers=headers["rep"])).status_code == 200
    assert_problem(await http.get(f"/api/orders/{bulk[0]['data']['id']}", headers=headers["rep"]), 404)
    r = await http.get("/api/orders", headers=headers["rep"], params={"filters": "customerNumber:equals:CUST-0055"})
    assert r.json()["totalCount"] == 0
    r = await http.get("/api/orders", headers=headers["customer"], params={"pageSize": 100})
    assert {x["customer"]["customerNumber"] for x in r.json()["items"]} == {"CUST-1042"}
