"""Customers, products and sales reps: the fixed demo records, search, paging, upsert."""

from __future__ import annotations

from decimal import Decimal

import httpx

from .conftest import assert_problem


def num(value: object) -> Decimal:
    return Decimal(str(value))


async def test_brightfield_as_documented(http: httpx.AsyncClient, headers: dict) -> None:
    c = (await http.get("/api/customers/CUST-1042", headers=headers["admin"])).json()
    assert (c["companyName"], c["repNumber"], c["pricing"], c["terms"], c["currencyCode"]) == (
        "Brightfield Supply Co.", "REP-007", "Wholesale", "Net30", "USD")
    assert num(c["creditLimit"]) == Decimal("50000") and c["active"] is True and c["creditHold"] is False
    shipping = [a for a in c["addresses"] if a["addressType"] == "Shipping"]
    assert [(a["address1"], a["default"]) for a in shipping] == [
        ("500 Commerce Drive", True),
        ("300 Commerce Blvd", False),
    ]
    assert shipping[0]["address2"] == "Suite 200" and shipping[0]["postalCode"] == "78701"
    billing = [a for a in c["addresses"] if a["addressType"] == "Billing"]
    assert [(a["address1"], a["default"]) for a in billing] == [("300 Commerce Blvd", True)]
    dormant = (await http.get("/api/customers/CUST-0013", headers=headers["admin"])).json()
    assert dormant["active"] is False
    assert (await http.get("/api/customers/CUST-0021", headers=headers["admin"])).json()["creditHold"] is True


async def test_customer_search(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    r = await http.get("/api/customers", headers=h, params={"keyword": "brightfield"})
    page = r.json()
    assert set(page) == {"data", "totalRecords", "currentPage", "pageSize", "totalPages"}
    assert [c["customerNumber"] for c in page["data"]] == ["CUST-1042"]
    r = await http.get("/api/customers", headers=h, params={"keyword": "555-400-1200"})
    assert [c["customerNumber"] for c in r.json()["data"]] == ["CUST-1042"]
    r = await http.get("/api/customers", headers=h, params={"sortOn": "Name", "pageSize": 10, "pageNumber": 2})
    names = [c["companyName"] for c in r.json()["data"]]
    assert names == sorted(names) and r.json()["currentPage"] == 2 and len(names) == 10
    r = await http.get("/api/customers", headers=h, params={"filters": ["active:equals:false"], "pageSize": 100})
    assert "CUST-0013" in {c["customerNumber"] for c in r.json()["data"]}
    assert all(not c["active"] for c in r.json()["data"])
    r = await http.get("/api/customers", headers=h, params={"filters": "repNumber:equals:REP-003", "pageSize": 100})
    assert {c["repNumber"] for c in r.json()["data"]} == {"REP-003"}


async def test_customer_upsert(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    new = {"CustomerNumber": "CUST-9001", "CompanyName": "New Co", "repNumber": "REP-007", "pricing": "Retail",
           "addresses": [{"addressType": "Shipping", "default": True, "address1": "1 A St", "city": "Reno",
                          "zipPostalCode": "89501", "country": "US"}]}
    r = await http.put("/api/customers", headers=h, json=new)
    assert r.status_code == 201, r.text
    assert r.json()["addresses"][0]["postalCode"] == "89501"
    r = await http.put("/api/customers", headers=h, json={**new, "CompanyName": "New Co 2"})
    assert r.status_code == 200 and r.json()["companyName"] == "New Co 2"
    assert_problem(await http.put("/api/customers", headers=h, json={**new, "repNumber": "REP-404"}), 400, "RepNumber")
    assert_problem(await http.put("/api/customers", headers=headers["customer"], json=new), 403)
    assert_problem(await http.put("/api/customers", headers=headers["rep"],
                                  json={"customerNumber": "CUST-0055", "companyName": "Stolen"}), 404)


async def test_products_as_documented(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["rep"]
    p = (await http.get("/api/products/WDG-BLU-L", headers=h)).json()
    assert (p["name"], p["upc"], p["currencyCode"], p["priceFormatted"]) == ("Widget Blue Large", "012345678905", "USD",
                                                                             "$13.50")
    assert [(t["tier"], num(t["price"]), t["atQuantity"]) for t in p["prices"]] == [
        ("Wholesale", Decimal("12.50"), 1), ("Wholesale", Decimal("11.75"), 48)]
    assert (await http.get("/api/products/012345678905", headers=h)).json()["sku"] == "WDG-BLU-L"
    a1 = (await http.get("/api/products/PART-A1", headers=h)).json()
    assert (a1["minimumOrderQuantity"], a1["quantityIncrement"], num(a1["price"])) == (10, 10, Decimal("4.25"))
    b3 = (await http.get("/api/products/PART-B3", headers=h)).json()
    assert (b3["minimumOrderQuantity"], b3["quantityIncrement"]) == (25, 25)
    for sku, price in (("WIDGET-BLU-L", "14.00"), ("WIDGET-RED-M", "12.00"), ("WDG-RED-M", "12.00"),
                       ("WDG-100-BLU", "18.50")):
        got = (await http.get(f"/api/products/{sku}", headers=h)).json()
        assert num(got["price"]) == Decimal(price) and len(got["upc"]) == 12
    assert_problem(await http.get("/api/products/NOPE", headers=h), 404)


async def test_product_search(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    r = await http.get("/api/products", headers=h, params={"keyword": "widget blue"})
    assert {"WDG-BLU-L", "WIDGET-BLU-L"} <= {p["sku"] for p in r.json()["data"]}
    r = await http.get("/api/products", headers=h, params={"keyword": "0123456789"})
    assert "WDG-BLU-L" in {p["sku"] for p in r.json()["data"]}
    r = await http.get("/api/products", headers=h, params={"pageSize": 25})
    page = r.json()
    skus = [p["sku"] for p in page["data"]]
    assert skus == sorted(skus) and page["totalRecords"] == 107 and page["totalPages"] == 5
    r = await http.get("/api/products", headers=h, params={"filters": ["price:gte:100", "active:equals:true"],
                                                           "pageSize": 1000})
    assert all(num(p["price"]) >= 100 and p["active"] for p in r.json()["data"])
    stamp = page["data"][0]["updatedAt"]
    assert stamp.endswith("Z")
    r = await http.get("/api/products", headers=h, params={"filters": f"updatedAt:gt:{stamp}"})
    assert r.json()["totalRecords"] == 0
    r = await http.get("/api/customers", headers=h, params={"filters": f"updatedAt:gte:{stamp}", "pageSize": 1})
    assert r.json()["totalRecords"] > 50


async def test_sales_reps(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["rep"]
    rep = (await http.get("/api/salesreps/REP-007", headers=h)).json()
    assert (rep["firstName"], rep["lastName"], rep["fullName"]) == ("Jordan", "Avery", "Jordan Avery")
    assert (await http.get("/api/salesreps/REP-003", headers=h)).json()["fullName"] == "Morgan Lee"
    page = (await http.get("/api/salesreps", headers=h)).json()
    assert page["totalRecords"] == 12 and page["data"][0]["repNumber"] == "REP-001"
    assert_problem(await http.get("/api/salesreps/REP-999", headers=h), 404)


async def test_text_filters_ignore_case_beyond_ascii(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    body = {"customerNumber": "CUST-ÉPI", "companyName": "Épicerie Öberg", "repNumber": "REP-007"}
    assert (await http.put("/api/customers", headers=h, json=body)).status_code in (200, 201)
    for f in ("companyName:equals:ÉPICERIE ÖBERG", "companyName:startswith:épicerie", "name:contains:ÖBERG",
              "customerNumber:equals:cust-épi"):
        r = await http.get("/api/customers", headers=h, params={"filters": f})
        assert [c["customerNumber"] for c in r.json()["data"]] == ["CUST-ÉPI"], f
    r = await http.get(
        "/api/customers", headers=h, params={"filters": "companyName:notcontains:öberg", "pageSize": 500}
    )
    assert "CUST-ÉPI" not in [c["customerNumber"] for c in r.json()["data"]]
