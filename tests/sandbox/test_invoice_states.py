"""Issue #16: the invoice and payment state machine, walked cell by cell over the real sandbox,
and the findings of the lifecycle page (seeds/003) and the Orders page (seeds/001)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import httpx
import pytest

from nymble_desk.sandbox.invoice_states import OPERATIONS, SETTLE, STATUSES, TABLE, Allowed, Refused

from .conftest import assert_problem
from .test_seed_lifecycle import LIFECYCLE_EXAMPLE, balance, num

# What each allowed cell must lead to, written out here (not read from the table): SETTLE cells included.
# The PartiallyPaid fixture holds $100 of $444; "pay" pays the rest; Paid's "refund" refunds everything.
EXPECTED: dict[tuple[str, str], str | None] = {
    ("Draft", "issue"): "Issued", ("Draft", "discount"): "Draft", ("Draft", "void"): "Voided",
    ("Draft", "cancel"): "Cancelled",
    ("Issued", "pay"): "PartiallyPaid", ("Issued", "complete"): "PartiallyPaid", ("Issued", "void"): "Voided",
    ("Issued", "cancel"): "Cancelled",
    ("PartiallyPaid", "pay"): "Paid", ("PartiallyPaid", "complete"): "PartiallyPaid",
    ("PartiallyPaid", "refund"): "PartiallyPaid",
    ("Paid", "refund"): "PartiallyPaid",  # paid, then refunded in full: payments recorded, Balance > 0
}
# Cells the table allows but whose guard refuses here: the fixture holds money.
GUARDED = {("PartiallyPaid", "cancel")}


async def _invoice(http: httpx.AsyncClient, h: dict, status: str) -> dict[str, Any]:
    order_id = (await http.post("/api/orders", headers=h, json=LIFECYCLE_EXAMPLE)).json()["data"]["id"]
    first = "Draft" if status in ("Draft", "Voided", "Cancelled") else "Issued"
    inv = (await http.post(f"/api/orders/{order_id}/invoices", headers=h, json={"status": first})).json()
    if status == "PartiallyPaid":
        inv = (await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                               json={"amount": 100, "method": "Cheque"})).json()
    elif status == "Paid":
        inv = (await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                               json={"amount": 444, "method": "EFT"})).json()
    elif status == "Voided":
        inv = (await http.post(f"/api/invoices/{inv['id']}/void", headers=h)).json()
    elif status == "Cancelled":
        inv = (await http.post(f"/api/invoices/{inv['id']}/cancel", headers=h)).json()
    assert inv["status"] == status, inv
    return inv


async def _apply(http: httpx.AsyncClient, h: dict, inv: dict[str, Any], operation: str) -> httpx.Response:
    base = f"/api/invoices/{inv['id']}"
    paid = [p for p in inv["payments"] if num(p["amount"]) > 0]
    if operation == "issue":
        return await http.post(f"{base}/issue", headers=h)
    if operation == "pay":
        amount = float(num(inv["balance"])) if inv["status"] == "PartiallyPaid" else 10
        return await http.post(f"{base}/payments", headers=h, json={"amount": amount, "method": "Cash"})
    if operation == "complete":
        pending_id = "no-such-payment"
        if inv["status"] in ("Issued", "PartiallyPaid"):
            r = await http.post(
                f"{base}/payments", headers=h, json={"amount": 10, "method": "ACH", "status": "Pending"}
            )
            assert r.status_code == 201, r.text
            pending_id = next(p["id"] for p in r.json()["payments"] if p["status"] == "Pending")
        return await http.post(f"{base}/payments/{pending_id}/complete", headers=h)
    if operation == "refund":
        original = paid[0] if paid else {"id": "no-such-payment", "netAmount": 10}
        amount = num(original["netAmount"]) if inv["status"] == "Paid" else Decimal(10)
        return await http.post(f"{base}/payments", headers=h,
                               json={"amount": -float(amount), "originalPaymentId": original["id"]})
    if operation == "discount":
        return await http.put(f"{base}/discount", headers=h, json={"discount": {"type": "Fixed", "value": 4}})
    return await http.post(f"{base}/{operation}", headers=h)


def test_the_table_has_every_cell_once() -> None:
    assert set(TABLE) == set(itertools.product(STATUSES, OPERATIONS))
    allowed = {k for k, v in TABLE.items() if isinstance(v, Allowed)}
    assert allowed == set(EXPECTED) | GUARDED
    assert all(isinstance(v, Refused) and v.reason for k, v in TABLE.items() if k not in allowed)


@pytest.mark.parametrize("status", STATUSES)
async def test_every_cell_of_the_state_machine(http: httpx.AsyncClient, headers: dict, status: str) -> None:
    h = headers["admin"]
    for operation in OPERATIONS:
        inv = await _invoice(http, h, status)
        r = await _apply(http, h, inv, operation)
        cell = TABLE[(status, operation)]
        where = f"{status} x {operation}"
        if (status, operation) in EXPECTED:
            assert r.status_code in (200, 201), f"{where}: {r.text}"
            assert r.json()["status"] == EXPECTED[(status, operation)], where
            assert isinstance(cell, Allowed) and cell.to in (EXPECTED[(status, operation)], SETTLE), where
        else:
            body = assert_problem(r, 409, "Status")
            reason = cell.unless_money_held if isinstance(cell, Allowed) else cell.reason
            assert reason is not None
            assert body["detail"] == reason.format(invoice=inv["invoiceNumber"], status=status), where
            after = (await http.get(f"/api/invoices/{inv['id']}", headers=h)).json()
            assert after["status"] == status and after["payments"] == inv["payments"], where  # nothing changed


async def test_a_draft_takes_no_payment_until_issued(http: httpx.AsyncClient, headers: dict) -> None:
    """Finding 1: a payment on a Draft went straight to PartiallyPaid, and nothing moved Draft to Issued."""
    h = headers["admin"]
    draft = await _invoice(http, h, "Draft")
    body = assert_problem(await http.post(f"/api/invoices/{draft['id']}/payments", headers=h,
                                          json={"amount": 50, "method": "Cheque"}), 409, "Status")
    assert "issue it to the customer first" in body["detail"]
    r = await http.post(f"/api/invoices/{draft['id']}/issue", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "Issued"
    assert r.json()["invoiceDate"] >= draft["invoiceDate"] and r.json()["dueDate"] > r.json()["invoiceDate"]
    r = await http.post(f"/api/invoices/{draft['id']}/payments", headers=h, json={"amount": 50, "method": "Cheque"})
    assert r.status_code == 201 and r.json()["status"] == "PartiallyPaid"


async def test_cancel_needs_the_money_refunded_and_a_full_refund_is_not_issued_again(
        http: httpx.AsyncClient, headers: dict) -> None:
    """Finding 2: cancel from Paid/PartiallyPaid with no refund; a fully refunded invoice went back to Issued."""
    h = headers["admin"]
    inv = await _invoice(http, h, "Paid")
    assert_problem(await http.post(f"/api/invoices/{inv['id']}/cancel", headers=h), 409, "Status")
    pay = inv["payments"][0]
    r = await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                        json={"amount": -444, "originalPaymentId": pay["id"]})
    refunded = r.json()
    assert refunded["status"] == "PartiallyPaid" and num(refunded["balance"]) == Decimal("444.00")
    assert num(refunded["amountPaid"]) == 0
    r = await http.post(f"/api/invoices/{inv['id']}/cancel", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "Cancelled"


async def test_void_leaves_receivables_and_cancel_stays_in_reporting(http: httpx.AsyncClient, headers: dict) -> None:
    """Finding 2: void removes the invoice from receivables (no balance owed); cancel keeps the record visible."""
    h = headers["admin"]
    start = await balance(http, h)
    voided = await _invoice(http, h, "Voided")
    cancelled = await _invoice(http, h, "Cancelled")
    assert num(voided["balance"]) == 0 and voided["balanceFormatted"] == "$0.00"
    assert num(cancelled["balance"]) == Decimal("444.00")  # the record as it stood
    r = await http.get("/api/invoices", headers=h, params={"filters": ["customerNumber:equals:CUST-0042",
                                                                      "balance:gt:0"]})
    numbers = {i["invoiceNumber"] for i in r.json()["data"]}
    assert voided["invoiceNumber"] not in numbers and cancelled["invoiceNumber"] in numbers
    assert await balance(http, h) == start  # neither is owed by the customer


async def test_pending_payment_counts_once_completed(http: httpx.AsyncClient, headers: dict) -> None:
    """Finding 4: payments were always Completed; a Pending payment must not count as paid."""
    h = headers["admin"]
    start = await balance(http, h)
    inv = await _invoice(http, h, "Issued")
    r = await http.post(f"/api/invoices/{inv['id']}/payments", headers=h,
                        json={"amount": 444, "method": "ACH", "status": "Pending"})
    assert r.status_code == 201, r.text
    inv = r.json()
    pending = inv["payments"][0]
    assert pending["status"] == "Pending" and inv["status"] == "Issued"
    assert num(inv["amountPaid"]) == 0 and num(inv["amountPending"]) == Decimal("444.00")
    assert num(inv["balance"]) == Decimal("444.00") and await balance(http, h) == start + Decimal("444.00")
    # not paid twice while pending, not refundable, and the invoice cannot be voided under it
    assert_problem(await http.post(f"/api/invoices/{inv['id']}/payments", headers=h, json={"amount": 1}), 400, "Amount")
    assert_problem(await http.post(f"/api/invoices/{inv['id']}/void", headers=h), 409, "Status")
    r = await http.post(f"/api/invoices/{inv['id']}/payments/{pending['id']}/complete", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "Paid" and r.json()["payments"][0]["status"] == "Completed"
    assert await balance(http, h) == start
    assert_problem(await http.post(f"/api/invoices/{inv['id']}/payments/{pending['id']}/complete", headers=h), 409)


async def test_invoice_level_discount(http: httpx.AsyncClient, headers: dict) -> None:
    """Finding 3: the invoice body took no discount; an invoice only inherited the order's."""
    h = headers["admin"]
    order_id = (await http.post("/api/orders", headers=h, json=LIFECYCLE_EXAMPLE)).json()["data"]["id"]
    r = await http.post(f"/api/orders/{order_id}/invoices", headers=h, json={
        "status": "Draft", "items": [{"sku": "WDG-100-BLU", "quantity": 10}],
        "discount": {"code": "SHOW10", "type": "Percentage", "value": 10, "description": "Trade show"}})
    assert r.status_code == 201, r.text
    inv = r.json()
    assert inv["discount"] == {"code": "SHOW10", "type": "Percentage", "value": 10.0, "description": "Trade show"}
    assert inv["discountAmountFormatted"] == "$18.50" and inv["invoiceTotalFormatted"] == "$166.50"
    r = await http.put(f"/api/invoices/{inv['id']}/discount", headers=h,
                       json={"discount": {"code": None, "type": "Fixed", "value": 25, "description": "Damaged box"}})
    assert r.status_code == 200 and r.json()["discountAmountFormatted"] == "$25.00"
    assert r.json()["invoiceTotalFormatted"] == "$160.00" and r.json()["discount"]["description"] == "Damaged box"
    issued = (await http.post(f"/api/invoices/{inv['id']}/issue", headers=h)).json()
    assert issued["invoiceTotalFormatted"] == "$160.00" and issued["balanceFormatted"] == "$160.00"
    assert_problem(await http.put(f"/api/invoices/{inv['id']}/discount", headers=h,
                                  json={"discount": {"type": "Fixed", "value": 1}}), 409, "Status")
    assert_problem(await http.post(f"/api/orders/{order_id}/invoices", headers=h,
                                   json={"discount": {"type": "Percentage", "value": 101}}), 400)


async def test_order_type_as_sent_and_taken_by_only_when_different(http: httpx.AsyncClient, headers: dict) -> None:
    """Finding 5: takenBySalesRep was filled even when it is the primary rep."""
    rep = headers["rep"]  # REP-007, CUST-0042's primary rep
    body = {**LIFECYCLE_EXAMPLE, "OrderType": "Sample", "User": {"UserType": "SalesRep"}}
    r = await http.post("/api/orders", headers=rep, json=body)
    assert r.status_code == 201, r.text
    order = (await http.get(f"/api/orders/{r.json()['data']['id']}", headers=rep)).json()
    assert order["orderType"] == "Sample" and order["takenBySalesRep"] is None
    body = {**LIFECYCLE_EXAMPLE, "TakenBySalesRep": {"RepNumber": "REP-003"}}
    r = await http.post("/api/orders", headers=headers["admin"], json=body)
    order = (await http.get(f"/api/orders/{r.json()['data']['id']}", headers=headers["admin"])).json()
    assert order["takenBySalesRep"]["repNumber"] == "REP-003"


async def test_tiers_are_the_organisations(http: httpx.AsyncClient, headers: dict) -> None:
    """Finding 7: price tiers were a fixed list; they come from each organisation's data."""
    body = assert_problem(await http.post("/api/orders", headers=headers["admin"],
                                          json={**LIFECYCLE_EXAMPLE, "PriceTier": "Contract"}), 400, "PriceTier")
    assert "Wholesale, Retail, Distributor" in body["detail"] and "Contract" in body["detail"]
    assert_problem(await http.put("/api/customers", headers=headers["admin"],
                                  json={"customerNumber": "CUST-9001", "companyName": "X", "pricing": "Gold"}),
                   400, "Pricing")
    # OTHER configures a Contract tier; the same request is fine there
    r = await http.put("/api/customers", headers=headers["other"],
                       json={"customerNumber": "CUST-9001", "companyName": "X", "pricing": "contract"})
    assert r.status_code == 201 and r.json()["pricing"] == "Contract"


async def test_order_invoice_summary_across_split_invoices(http: httpx.AsyncClient, headers: dict) -> None:
    """Finding 6: the order's invoice summary was only a list of invoice numbers."""
    h = headers["admin"]
    body = {**LIFECYCLE_EXAMPLE, "Items": [{"Sku": "WDG-BLU-L", "Quantity": 24, "Price": 12.50},
                                           {"Sku": "WDG-RED-M", "Quantity": 12, "Price": 11.00}]}
    order_id = (await http.post("/api/orders", headers=h, json=body)).json()["data"]["id"]

    async def summary() -> dict[str, Any]:
        return (await http.get(f"/api/orders/{order_id}", headers=h)).json()["invoiceSummary"]

    assert (await summary())["status"] == "NotInvoiced"
    first = (await http.post(f"/api/orders/{order_id}/invoices", headers=h,
                             json={"items": [{"sku": "WDG-BLU-L", "quantity": 10}]})).json()
    s = await summary()
    assert s["status"] == "PartiallyInvoiced" and s["invoiceCount"] == 1
    assert [(x["sku"], x["ordered"], x["invoiced"], x["remaining"]) for x in s["lines"]] == [
        ("WDG-BLU-L", 24, 10, 14), ("WDG-RED-M", 12, 0, 12)]
    assert s["invoicedTotalFormatted"] == "$125.00" and s["balanceFormatted"] == "$125.00"
    second = (await http.post(f"/api/orders/{order_id}/invoices", headers=h, json={})).json()
    await http.post(f"/api/invoices/{first['id']}/payments", headers=h, json={"amount": 125, "method": "Cheque"})
    s = await summary()
    assert s["status"] == "PartiallyPaid" and s["invoiceCount"] == 2 and all(x["remaining"] == 0 for x in s["lines"])
    assert s["amountPaidFormatted"] == "$125.00" and num(s["balance"]) == num(second["invoiceTotal"])
    await http.post(f"/api/invoices/{second['id']}/void", headers=h)  # a void frees its quantities again
    s = await summary()
    assert s["status"] == "PartiallyInvoiced" and s["lines"][1]["remaining"] == 12 and s["balanceFormatted"] == "$0.00"
