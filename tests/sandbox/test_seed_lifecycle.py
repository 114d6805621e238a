"""The order/invoice/payment lifecycle page (seeds/003): its example, then invoice states, payments,
refunds, void and cancel, and the customer's balance."""

from __future__ import annotations

from decimal import Decimal

import httpx

from .conftest import assert_problem

LIFECYCLE_EXAMPLE = {
    "Customer": {
        "CustomerNumber": "CUST-0042",
        "CompanyName": "Acme Wholesale Ltd.",
        "CompanyEmail": "[email protected]",
    },
    "OrderType": "Standard",
    "PONumber": "PO-2024-8821",
    "PriceTier": "Wholesale",
    "CurrencyCode": "USD",
    "PrimarySalesRep": {"RepNumber": "REP-007"},
    "Items": [{"Sku": "WDG-100-BLU", "Quantity": 24, "Price": 18.50}],
    "Terms": "Net30",
    "Channel": "Web",
}


def num(value: object) -> Decimal:
    return Decimal(str(value))


async def balance(http: httpx.AsyncClient, h: dict, customer: str = "CUST-0042") -> Decimal:
    return num((await http.get(f"/api/customers/{customer}", headers=h)).json()["balance"])


async def test_lifecycle_example_creates_the_order(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    r = await http.post("/api/orders", headers=h, json=LIFECYCLE_EXAMPLE)
    assert r.status_code == 201, r.text
    o = (await http.get(f"/api/orders/{r.json()['data']['id']}", headers=h)).json()
    assert o["orderStatus"] == "Pending" and o["orderType"] == "Standard" and o["poNumber"] == "PO-2024-8821"
    assert o["customer"]["customerNumber"] == "CUST-0042" and o["customer"]["companyName"] == "Acme Wholesale Ltd."
    assert o["items"][0]["sku"] == "WDG-100-BLU" and o["items"][0]["subTotalFormatted"] == "$444.00"
    assert o["orderTotalFormatted"] == "$444.00" and o["user"]["userType"] == "Admin"
    assert o["invoiceNumbers"] == []


async def test_invoice_payment_refund_void_cancel(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    start = await balance(http, h)
    order_id = (await http.post("/api/orders", headers=h, json=LIFECYCLE_EXAMPLE)).json()["data"]["id"]

    # Draft invoice: void is allowed from Draft
    r = await http.post(f"/api/orders/{order_id}/invoices", headers=h, json={"status": "Draft"})
    assert r.status_code == 201, r.text
    draft = r.json()
    assert draft["status"] == "Draft" and draft["invoiceTotalFormatted"] == "$444.00"
    assert await balance(http, h) == start  # a draft is not owed yet
    r = await http.post(f"/api/invoices/{draft['id']}/void", headers=h, json={"reason": "re-issue"})
    assert r.status_code == 200 and r.json()["status"] == "Voided" and r.json()["statusReason"] == "re-issue"

    # Issued invoice for what is left (everything, as the draft was voided)
    inv = (await http.post(f"/api/orders/{order_id}/invoices", headers=h, json={"status": "Issued"})).json()
    assert inv["status"] == "Issued" and num(inv["balance"]) == Decimal("444.00")
    assert inv["dueDate"] > inv["invoiceDate"] and inv["terms"] == "Net30"
    assert await balance(http, h) == start + Decimal("444.00")
    order = (await http.get(f"/api/orders/{order_id}", headers=h)).json()
    assert order["invoiceNumbers"] == sorted([draft["invoiceNumber"], inv["invoiceNumber"]])
    assert_problem(await http.post(f"/api/orders/{order_id}/invoices", headers=h, json={}), 409)

    # the customer's balance changed, so its updatedAt moved (an incremental index refresh sees it)
    cust = (await http.get("/api/customers/CUST-0042", headers=h)).json()
    assert cust["updatedAt"] >= inv["invoiceDate"]

    # Offline payments: PartiallyPaid, then Paid
    r = await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                        json={"amount": 144.00, "method": "Cheque", "reference": "CHQ-1001"})
    assert r.status_code == 201, r.text
    inv = r.json()
    assert (
        inv["status"] == "PartiallyPaid"
        and inv["amountPaidFormatted"] == "$144.00"
        and inv["balanceFormatted"] == "$300.00"
    )
    assert await balance(http, h) == start + Decimal("300.00")
    assert_problem(
        await http.post(f"/api/invoices/{inv['id']}/payments", headers=h, json={"amount": 301, "method": "EFT"}),
        400,
        "Amount",
    )
    inv = (await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                           json={"amount": 300, "method": "EFT", "paymentDate": "2025-01-02"})).json()
    assert inv["status"] == "Paid" and num(inv["balance"]) == 0
    assert await balance(http, h) == start

    # Void is refused once paid, with the reason
    body = assert_problem(await http.post(f"/api/invoices/{inv['id']}/void", headers=h), 409, "Status")
    assert "Paid" in body["detail"]

    # Refund part of the cheque: a negative payment linked to the original
    cheque = next(p for p in inv["payments"] if p["reference"] == "CHQ-1001")
    r = await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                        json={"amount": -44.00, "originalPaymentId": cheque["id"], "notes": "damaged"})
    assert r.status_code == 201, r.text
    inv = r.json()
    cheque = next(p for p in inv["payments"] if p["id"] == cheque["id"])
    refund = next(p for p in inv["payments"] if p["originalPaymentId"] == cheque["id"])
    assert num(refund["amount"]) == Decimal("-44.00") and num(refund["netAmount"]) == Decimal("-44.00")
    assert num(cheque["refundedAmount"]) == Decimal("44.00") and num(cheque["netAmount"]) == Decimal("100.00")
    assert cheque["refunds"][0]["id"] == refund["id"]
    assert inv["status"] == "PartiallyPaid" and inv["balanceFormatted"] == "$44.00"
    assert await balance(http, h) == start + Decimal("44.00")
    # cannot refund more than is left of the payment, nor without the original
    r = await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                        json={"amount": -100.01, "originalPaymentId": cheque["id"]})
    assert_problem(r, 400, "Amount")
    assert_problem(await http.post(f"/api/invoices/{inv['id']}/payments", headers=h, json={"amount": -1}),
                   400, "OriginalPaymentId")

    # Cancel is refused while the invoice holds money: refund it all first (the record stays PartiallyPaid:
    # payments are recorded and Balance > 0, never Issued again)
    body = assert_problem(await http.post(f"/api/invoices/{inv['id']}/cancel", headers=h), 409, "Status")
    assert "refund its payments first" in body["detail"]
    for p in inv["payments"]:
        if num(p["amount"]) > 0 and num(p["netAmount"]) > 0:
            r = await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                                json={"amount": -num(p["netAmount"]).__float__(), "originalPaymentId": p["id"]})
            assert r.status_code == 201, r.text
    inv = r.json()
    assert inv["status"] == "PartiallyPaid" and num(inv["balance"]) == Decimal("444.00")
    # Cancel keeps the record; a cancelled invoice takes no payments and is no longer owed
    r = await http.post(f"/api/invoices/{inv['id']}/cancel", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "Cancelled"
    assert num(r.json()["balance"]) == Decimal("444.00")  # the record as it stood, visible in reporting
    assert await balance(http, h) == start
    assert_problem(await http.post(f"/api/invoices/{inv['id']}/payments", headers=h, json={"amount": 1}), 409)
    assert_problem(await http.post(f"/api/invoices/{inv['id']}/cancel", headers=h), 409)

    # The list filters by customer, order and status
    r = await http.get("/api/invoices", headers=h, params={"filters": [f"orderId:equals:{order_id}"]})
    page = r.json()
    assert page["totalRecords"] == 2 and {i["status"] for i in page["data"]} == {"Voided", "Cancelled"}
    r = await http.get("/api/invoices", headers=h, params={"customerNumber": "CUST-0042", "status": "Cancelled"})
    assert r.json()["totalRecords"] == 1


async def test_partial_invoice_by_items(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["admin"]
    order_id = (await http.post("/api/orders", headers=h, json=LIFECYCLE_EXAMPLE)).json()["data"]["id"]
    r = await http.post(
        f"/api/orders/{order_id}/invoices", headers=h, json={"items": [{"sku": "WDG-100-BLU", "quantity": 10}]}
    )
    assert r.status_code == 201 and r.json()["invoiceTotalFormatted"] == "$185.00"
    r = await http.post(
        f"/api/orders/{order_id}/invoices", headers=h, json={"items": [{"sku": "WDG-100-BLU", "quantity": 15}]}
    )
    assert_problem(r, 400, "Items[0].Quantity")
    r = await http.post(f"/api/orders/{order_id}/invoices", headers=h, json={})
    assert r.status_code == 201 and r.json()["items"][0]["quantity"] == 14


async def test_seeded_history_for_brightfield(http: httpx.AsyncClient, headers: dict) -> None:
    h = headers["rep"]
    r = await http.get("/api/invoices", headers=h, params={"customerNumber": "CUST-1042", "pageSize": 50})
    statuses = sorted(i["status"] for i in r.json()["data"])
    assert statuses == sorted(["Issued", "Paid", "PartiallyPaid"] + ["Paid"] * 4)  # + the repeat orders (demo.HISTORY)
    cust = (await http.get("/api/customers/CUST-1042", headers=h)).json()
    open_due = sum(num(i["balance"]) for i in r.json()["data"] if i["status"] in ("Issued", "PartiallyPaid"))
    assert num(cust["balance"]) == open_due > 0
    r = await http.get(
        "/api/invoices",
        headers=h,
        params={"filters": ["customerNumber:equals:CUST-1042", "balance:gt:0", "status:notequals:Voided"]},
    )
    assert sorted(i["status"] for i in r.json()["data"]) == ["Issued", "PartiallyPaid"]


async def test_invoices_are_tenant_scoped_and_customers_cannot_pay(http: httpx.AsyncClient, headers: dict) -> None:
    inv = (await http.get("/api/invoices", headers=headers["admin"], params={"customerNumber": "CUST-1042",
                                                                           "status": "Issued"})).json()["data"][0]
    assert_problem(await http.get(f"/api/invoices/{inv['id']}", headers=headers["other"]), 404)
    assert_problem(await http.post(f"/api/invoices/{inv['id']}/void", headers=headers["other"]), 404)
    assert (await http.get(f"/api/invoices/{inv['invoiceNumber']}", headers=headers["customer"])).status_code == 200
    r = await http.post(f"/api/invoices/{inv['id']}/payments", headers=headers["customer"], json={"amount": 1})
    assert_problem(r, 403)
