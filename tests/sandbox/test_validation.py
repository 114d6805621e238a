"""Malformed input answers 400 problem details naming the field, never 500."""

from __future__ import annotations

import httpx
import pytest

from .conftest import assert_problem

ORDER = {
    "customer": {"customerNumber": "CUST-1042"},
    "orderType": "Direct",
    "poNumber": "P",
    "priceTier": "Wholesale",
    "currencyCode": "USD",
    "primarySalesRep": {"repNumber": "REP-007"},
    "items": [{"sku": "WDG-BLU-L", "quantity": 1}],
}


@pytest.mark.parametrize(("raw", "field"), [
    (b"[]", "Body"),
    (b"null", "Body"),
    (b"", "Body"),
    (b"{not json", "Body"),
    (b'{"sku": "\\ud800", "quantity": 1}', "Sku"),
    (b'{"sku": "WDG-BLU-L", "quantity": true}', "Quantity"),
    (b'{"sku": "WDG-BLU-L", "quantity": 1.5}', "Quantity"),
    (b'{"sku": "WDG-BLU-L", "quantity": 1e308}', "Quantity"),
    (b'{"sku": "WDG-BLU-L", "quantity": 99999999999999999999999}', "Quantity"),
    (b'{"sku": "   ", "quantity": 1}', "Sku"),
    (b'{"sku": ["WDG-BLU-L"], "quantity": 1}', "Sku"),
])
async def test_bad_cart_bodies(http: httpx.AsyncClient, headers: dict, raw: bytes, field: str) -> None:
    r = await http.post(
        "/api/carts/CUST-1042", headers={**headers["admin"], "Content-Type": "application/json"}, content=raw
    )
    assert_problem(r, 400, field)


@pytest.mark.parametrize(
    "query",
    [
        "filters=orderDate:gt:notadate",
        "filters=orderTotal:gt:1e999",
        "filters=orderTotal:gt:NaN",
        "filters=nofield",
        "filters=orderNumber:between:1",
        "filters=poNumber:contains:" + "x" * 50_001,
        "pageNumber=0",
        "pageSize=5000",
        "sortDirection=sideways",
        "pageNumber=abc",
    ],
)
async def test_bad_list_queries(http: httpx.AsyncClient, headers: dict, query: str) -> None:
    assert_problem(await http.get(f"/api/orders?{query}", headers=headers["admin"]), 400)


async def test_bad_order_values(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    cases = [
        ({**ORDER, "items": [{"sku": "WDG-BLU-L", "quantity": 1, "price": -1}]}, "Items[0].Price"),
        ({**ORDER, "items": [{"sku": "WDG-BLU-L", "quantity": 1, "price": "1e400"}]}, "Items[0].Price"),
        ({**ORDER, "tax": "Infinity"}, "Tax"),
        ({**ORDER, "currencyCode": "DOLLARS"}, "CurrencyCode"),
        ({**ORDER, "orderDate": "2024-13-45"}, "OrderDate"),
        ({**ORDER, "items": [{"sku": "WDG-BLU-L", "quantity": 1_000_000, "price": 1_000_000_000}] * 1000}, "Items"),
        ({**ORDER, "customer": "CUST-1042"}, "Customer"),
    ]
    for body, field in cases:
        assert_problem(await http.post("/api/orders", headers=h, json=body), 400, field)


async def test_bulk_shapes(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    assert_problem(await http.post("/api/orders/bulk", headers=h, json={"orders": "nope"}), 400, "Orders")
    assert_problem(await http.post("/api/orders/bulk", headers=h, json={"orders": []}), 400, "Orders")
    assert_problem(await http.post("/api/orders/bulk", headers=h, json={}), 400, "Orders")
    r = await http.post("/api/orders/bulk", headers=h, json={"Orders": [1, None, ORDER]})
    assert r.status_code == 201
    out = r.json()
    assert [x["error"] is None for x in out] == [False, False, True]
    assert "Orders[0]" in out[0]["error"]["errors"]
