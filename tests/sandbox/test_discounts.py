"""Discounts as the lifecycle page defines them: line and order level, Fixed and Percentage, to the cent.

Against the real in-process sandbox: what is stored and shown on the order, its
items and the invoice generated from it; bulk; refusals naming the field and
storing nothing; caps (a Fixed amount above the subtotal takes the subtotal).
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from .conftest import BASE as BASE_URL, SIZES, assert_problem, token_for

D = Decimal

BASE: dict[str, Any] = {
    "customer": {"customerNumber": "CUST-1042"}, "orderType": "Direct", "poNumber": "PO-DISC-1",
    "priceTier": "Wholesale", "currencyCode": "USD", "primarySalesRep": {"repNumber": "REP-007"},
    "shippingDetails": {"method": "FedEx Ground", "total": 18.50}, "tax": 28.80,
}


def order(ext: str, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {**BASE, "externalId": ext, "items": items, **extra}


def num(value: object) -> Decimal:
    return Decimal(str(value))


async def create(http: httpx.AsyncClient, h: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    r = await http.post("/api/orders", headers=h, json=body)
    assert r.status_code == 201, r.text
    r = await http.get(f"/api/orders/{r.json()['data']['id']}", headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def count_orders(http: httpx.AsyncClient, h: dict[str, str]) -> int:
    r = await http.get("/api/orders?pageSize=1", headers=h)
    return r.json()["totalCount"]


MIXED = order("DISC-MIXED", [
    {"sku": "WDG-BLU-L", "quantity": 24, "price": 12.50, "discount": {"type": "Fixed", "value": 10}},
    {"sku": "WDG-RED-M", "quantity": 12, "price": 11.00,
     "discount": {"code": "RED12", "type": "Percentage", "value": 12.5, "description": "Red week"}},
], discount={"code": "SPRING", "type": "Percentage", "value": 7.5, "description": "Spring promotion"})


async def test_fixed_and_percentage_at_both_levels_to_the_cent(http: httpx.AsyncClient, headers: dict) -> None:
    o = await create(http, headers["admin"], MIXED)
    first, second = o["items"]
    # line 1: 24 x 12.50 = 300.00, Fixed 10 -> 10.00 off
    assert num(first["subTotal"]) == D("300.00") and num(first["discountAmount"]) == D("10.00")
    assert first["discountAmountFormatted"] == "$10.00"
    assert first["discount"] == {"code": None, "type": "Fixed", "value": 10.0, "description": None}
    # line 2: 12 x 11.00 = 132.00, 12.5% -> 16.50 off
    assert num(second["subTotal"]) == D("132.00") and num(second["discountAmount"]) == D("16.50")
    assert second["discount"]["code"] == "RED12" and second["discount"]["type"] == "Percentage"
    assert num(second["discount"]["value"]) == D("12.5") and second["discount"]["description"] == "Red week"
    # order: 7.5% of (432.00 - 26.50 = 405.50) = 30.4125 -> 30.41; everything deducted: 56.91
    assert num(o["subtotal"]) == D("432.00")
    assert num(o["discountAmount"]) == D("56.91") and o["discountAmountFormatted"] == "$56.91"
    assert o["discount"]["code"] == "SPRING" and o["discount"]["description"] == "Spring promotion"
    assert o["discount"]["type"] == "Percentage" and num(o["discount"]["value"]) == D("7.5")
    # 432.00 - 56.91 + 28.80 tax + 18.50 shipping
    assert num(o["orderTotal"]) == D("422.39") and o["orderTotalFormatted"] == "$422.39"


async def test_percentage_rounds_half_up_to_the_cent(http: httpx.AsyncClient, headers: dict) -> None:
    # 10 x 4.25 = 42.50; 1% = 0.425 -> 0.43 (half-even would give 0.42)
    o = await create(http, headers["admin"], order("DISC-ROUND", [
        {"sku": "PART-A1", "quantity": 10, "price": 4.25, "discount": {"type": "Percentage", "value": 1}}]))
    assert num(o["items"][0]["discountAmount"]) == D("0.43")
    # order level, half a cent exactly again
    o2 = await create(http, headers["admin"], order("DISC-ROUND-2", [{"sku": "PART-A1", "quantity": 10, "price": 0.05}],
                                                    discount={"type": "Percentage", "value": 5}))
    # 10 x 0.05 = 0.50; 5% = 0.025 -> 0.03
    assert num(o2["discountAmount"]) == D("0.03") and num(o2["orderTotal"]) == D("0.50") - D("0.03") + D("47.30")


async def test_fixed_above_the_subtotal_takes_the_subtotal(http: httpx.AsyncClient, headers: dict) -> None:
    o = await create(http, headers["admin"], order("DISC-CAP", [
        {"sku": "WDG-RED-M", "quantity": 2, "price": 11.00, "discount": {"type": "Fixed", "value": 500}},
        {"sku": "WDG-BLU-L", "quantity": 1, "price": 12.50},
    ], discount={"type": "Fixed", "value": 1000}))
    line = o["items"][0]
    assert num(line["subTotal"]) == D("22.00") and num(line["discountAmount"]) == D("22.00")
    # the order discount takes what is left after the lines (12.50), never more: goods cost nothing
    assert num(o["discountAmount"]) == D("34.50") and num(o["subtotal"]) == D("34.50")
    assert num(o["orderTotal"]) == D("47.30")  # tax + shipping only


async def test_percentage_over_100_is_refused_naming_the_field(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    before = await count_orders(http, h)
    r = await http.post("/api/orders", headers=h, json=order("DISC-BAD-1", [
        {"sku": "WDG-BLU-L", "quantity": 1, "discount": {"type": "Percentage", "value": 100.01}}]))
    body = assert_problem(r, 400, "Items[0].Discount.Value")
    assert "100" in body["errors"]["Items[0].Discount.Value"][0]
    r = await http.post("/api/orders", headers=h, json=order("DISC-BAD-2", [{"sku": "WDG-BLU-L", "quantity": 1}],
                                                              discount={"type": "Percentage", "value": 150}))
    assert_problem(r, 400, "Discount.Value")
    assert await count_orders(http, h) == before
    assert (await http.get("/api/orders?filters=externalId:startswith:DISC-BAD", headers=h)).json()["totalCount"] == 0
    # exactly 100% is allowed: the line costs nothing
    o = await create(http, h, order("DISC-FULL", [
        {"sku": "WDG-BLU-L", "quantity": 2, "price": 12.50, "discount": {"type": "Percentage", "value": 100}}]))
    assert num(o["discountAmount"]) == D("25.00")


async def test_bad_discounts_are_refused_naming_the_field_and_store_nothing(http: httpx.AsyncClient,
                                                                             headers: dict) -> None:
    h = headers["admin"]
    item = {"sku": "WDG-BLU-L", "quantity": 1}
    cases = [
        (order("X1", [{**item, "discount": {"type": "Coupon", "value": 5}}]), "Items[0].Discount.Type"),
        (order("X2", [item, {**item, "discount": {"value": 5}}]), "Items[1].Discount.Type"),
        (order("X3", [{**item, "discount": {"type": "Fixed", "value": -1}}]), "Items[0].Discount.Value"),
        (order("X4", [{**item, "discount": {"type": "Fixed"}}]), "Items[0].Discount.Value"),
        (order("X5", [{**item, "discount": {"type": "Fixed", "value": "lots"}}]), "Items[0].Discount.Value"),
        (order("X6", [{**item, "discount": "TENOFF"}]), "Items[0].Discount"),
        (order("X7", [item], discount={"type": "Fixed", "value": True}), "Discount.Value"),
        (order("X8", [item], discount={"type": 3, "value": 1}), "Discount.Type"),
        (order("X9", [item], discount={"type": "Fixed", "value": "NaN"}), "Discount.Value"),
        (order("X10", [item], discount={"type": "Fixed", "value": 1, "code": "x" * 501}), "Discount.Code"),
    ]
    before = await count_orders(http, h)
    for body, field in cases:
        assert_problem(await http.post("/api/orders", headers=h, json=body), 400, field)
    assert await count_orders(http, h) == before
    # an existing order is left as it was when a bad discount comes for it
    good = await create(http, h, MIXED)
    r = await http.post("/api/orders", headers=h, json={**MIXED, "discount": {"type": "Percentage", "value": 101}})
    assert_problem(r, 400, "Discount.Value")
    after = (await http.get(f"/api/orders/{good['id']}", headers=h)).json()
    assert after == good


async def test_property_names_and_type_any_case(http: httpx.AsyncClient, headers: dict) -> None:
    o = await create(http, headers["admin"], order("DISC-CASE", [
        {"Sku": "WDG-BLU-L", "Quantity": 4, "Price": 10, "Discount": {"Type": "fixed", "Value": 2.5}}],
        Discount={"Code": "C1", "Type": "PERCENTAGE", "Value": 10, "Description": "Ten"}))
    assert o["items"][0]["discount"]["type"] == "Fixed" and num(o["items"][0]["discountAmount"]) == D("2.50")
    assert o["discount"]["type"] == "Percentage" and o["discount"]["code"] == "C1"
    assert num(o["discountAmount"]) == D("2.50") + D("3.75")  # 10% of 37.50


async def test_upsert_by_external_id_changes_and_drops_the_discount(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    first = await create(http, h, MIXED)
    plain = {**MIXED, "items": [{k: v for k, v in i.items() if k != "discount"} for i in MIXED["items"]]}
    plain.pop("discount")
    again = await create(http, h, plain)
    assert again["id"] == first["id"] and again["discount"] is None and num(again["discountAmount"]) == 0
    assert all(i["discount"] is None and num(i["discountAmount"]) == 0 for i in again["items"])
    assert num(again["orderTotal"]) == D("479.30")


async def test_shipping_change_keeps_the_discount(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    o = await create(http, h, MIXED)
    r = await http.put(f"/api/orders/{o['id']}/shipping", headers=h, json={"method": "UPS", "total": 42.00})
    assert r.status_code == 200, r.text
    changed = r.json()
    assert num(changed["discountAmount"]) == D("56.91") and changed["discount"] == o["discount"]
    assert num(changed["orderTotal"]) == D("432.00") - D("56.91") + D("28.80") + D("42.00")


async def test_bulk_orders_with_discounts(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    bad = order("DISC-BULK-3", [{"sku": "WDG-BLU-L", "quantity": 1}], discount={"type": "Half", "value": 1})
    r = await http.post("/api/orders/bulk", headers=h, json={"orders": [
        {**MIXED, "orderNumber": "ORD-DISC-1"},
        order("DISC-BULK-2", [{"sku": "PART-B3", "quantity": 25, "price": 9.99,
                               "discount": {"type": "Percentage", "value": 3}}],
              discount={"code": "BULK5", "type": "Fixed", "value": 5}),
        bad,
    ]})
    assert r.status_code == 201, r.text
    results = r.json()
    assert results[2]["data"] is None and "Orders[2].Discount.Type" in results[2]["error"]["errors"]
    one = (await http.get(f"/api/orders/{results[0]['data']['id']}", headers=h)).json()
    assert one["orderNumber"] == "ORD-DISC-1" and num(one["discountAmount"]) == D("56.91")
    assert num(one["orderTotal"]) == D("422.39")
    two = (await http.get(f"/api/orders/{results[1]['data']['id']}", headers=h)).json()
    # 25 x 9.99 = 249.75; 3% = 7.4925 -> 7.49; then Fixed 5.00: 12.49 in all
    assert num(two["items"][0]["discountAmount"]) == D("7.49")
    assert num(two["discountAmount"]) == D("12.49") and two["discount"]["code"] == "BULK5"
    assert num(two["orderTotal"]) == D("249.75") - D("12.49") + D("47.30")
    assert (await http.get("/api/orders?filters=externalId:equals:DISC-BULK-3", headers=h)).json()["totalCount"] == 0


async def test_invoice_from_a_discounted_order_carries_the_discount(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    o = await create(http, h, MIXED)
    r = await http.post(f"/api/orders/{o['id']}/invoices", headers=h, json={"status": "Issued"})
    assert r.status_code == 201, r.text
    inv = r.json()
    assert num(inv["subtotal"]) == D("432.00")
    assert num(inv["discountAmount"]) == D("56.91") and inv["discountAmountFormatted"] == "$56.91"
    assert inv["discount"] == o["discount"]
    assert num(inv["invoiceTotal"]) == num(o["orderTotal"]) == D("422.39")
    assert num(inv["balance"]) == D("422.39")
    # paying the discounted total settles it
    r = await http.post(f"/api/invoices/{inv['id']}/payments", headers=h, json={"amount": 422.39, "method": "EFT"})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "Paid" and num(r.json()["balance"]) == 0


async def test_invoice_without_a_discount_shows_none(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    o = await create(http, h, order("DISC-NONE", [{"sku": "WDG-BLU-L", "quantity": 2, "price": 12.50}]))
    assert o["discount"] is None and num(o["discountAmount"]) == 0 and o["items"][0]["discount"] is None
    inv = (await http.post(f"/api/orders/{o['id']}/invoices", headers=h, json={})).json()
    assert inv["discount"] is None and num(inv["discountAmount"]) == 0 and num(inv["invoiceTotal"]) == D("72.30")


async def test_openapi_documents_the_discount(http: httpx.AsyncClient) -> None:
    spec = (await http.get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    assert schemas["DiscountIn"]["properties"]["type"]["enum"] == ["Fixed", "Percentage"]
    for name in ("OrderOut", "OrderItemOut", "InvoiceOut"):
        assert "discount" in schemas[name]["properties"], name
    assert "discount" in schemas["OrderCreateIn"]["properties"] and "discount" in schemas["OrderItemIn"]["properties"]


async def test_split_invoices_share_the_discount_and_add_up_to_the_order(http: httpx.AsyncClient,
                                                                         headers: dict) -> None:
    h = headers["admin"]
    o = await create(http, h, MIXED)
    r = await http.post(f"/api/orders/{o['id']}/invoices", headers=h,
                        json={"status": "Issued", "items": [{"sku": "WDG-RED-M", "quantity": 2}]})
    assert r.status_code == 201, r.text
    first = r.json()
    # 22.00 of goods: the 56.91 discount takes at most that; tax and shipping come on the first invoice
    assert num(first["discountAmount"]) == D("22.00") and num(first["invoiceTotal"]) == D("47.30")
    assert first["discount"]["code"] == "SPRING"
    rest = (await http.post(f"/api/orders/{o['id']}/invoices", headers=h, json={"status": "Issued"})).json()
    assert num(rest["subtotal"]) == D("410.00") and num(rest["discountAmount"]) == D("34.91")
    assert num(first["invoiceTotal"]) + num(rest["invoiceTotal"]) == num(o["orderTotal"])
    # voiding one gives its share back to the next invoice of those lines
    r = await http.post(f"/api/invoices/{first['id']}/void", headers=h, json={})
    assert r.status_code == 200, r.text
    again = (await http.post(f"/api/orders/{o['id']}/invoices", headers=h, json={"status": "Draft"})).json()
    assert num(again["discountAmount"]) == D("22.00")


async def test_a_file_from_before_discounts_gains_the_columns(sandbox_dir: Path) -> None:
    from nymble_desk.sandbox import create_app

    con = sqlite3.connect(sandbox_dir / "sandbox.sqlite3")
    for table in ("orders", "order_items", "invoices"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN discount_spec")  # as the sandbox wrote it before
    con.commit()
    con.close()
    app = create_app(sandbox_dir, **SIZES)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as http:
        h = {"Authorization": f"Bearer {await token_for(http, 'admin')}"}
        old = (await http.get("/api/orders/ORD-00044", headers=h)).json()
        assert old["discount"] is None and num(old["discountAmount"]) == 0
        o = await create(http, h, MIXED)
        assert num(o["discountAmount"]) == D("56.91") and o["discount"]["code"] == "SPRING"
