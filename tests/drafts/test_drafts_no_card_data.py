"""A card checkout pushed through the Desk leaves no card number or CVV in any byte of the
draft database, its -wal and -shm files, or the log records."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import httpx

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.retry import RetryPolicy
from nymble_desk.drafts.store import DraftStore
from nymble_desk.sync.desk import CardDetails, CheckoutInput, Desk

NUMBER = "4111111111111111"
CVV = "8642"
CARD = CardDetails(number=NUMBER, cardholder_name="Pat Doe", expiry_month="12", expiry_year=2030, cvv=CVV)
SHIP = {
    "address1": "500 Commerce Drive",
    "city": "Austin",
    "stateProvince": "TX",
    "postalCode": "78701",
    "country": "US",
}


class _Down(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.down = inner, False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down and not request.url.path.endswith("/login"):
            raise httpx.ConnectError("down", request=request)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        return response


def _leaks(blob: bytes) -> list[str]:
    found = []
    if NUMBER.encode() in blob or b"4111 1111 1111 1111" in blob or NUMBER.encode("utf-16-le") in blob:
        found.append("card number")
    if re.search(rb"(?<![0-9A-Za-z-])" + CVV.encode() + rb"(?![0-9A-Za-z-])", blob):
        found.append("cvv")
    return found


async def test_card_checkouts_leave_no_card_data_on_disk(tmp_path: Path, sandbox_template: Path, caplog) -> None:
    from nymble_desk.sandbox import create_app

    shutil.copytree(sandbox_template, tmp_path / "sandbox")
    edge = _Down(httpx.ASGITransport(app=create_app(tmp_path / "sandbox", customers=50, products=100)))

    async def no_sleep(_: float) -> None:
        return None

    client = NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"), transport=edge,
                          retry=RetryPolicy(sleep=no_sleep))
    db = tmp_path / "drafts" / "drafts.sqlite3"
    store = DraftStore(db)
    desk = Desk(client, store)
    caplog.set_level(logging.DEBUG)
    await desk.sign_in()
    billing = {"address1": "300 Commerce Blvd", "city": "Portland", "postalCode": "97201", "country": "US"}
    placed = []
    for number, offline in (("CUST-1042", False), ("CUST-0082", True)):
        customer = (await desk.customer_summary(number)).customer
        draft = desk.open_draft(customer)
        draft = desk.add_line(draft.id, await desk.find_product("WDG-BLU-L"), 12)
        desk.set_ship_to(draft.id, SHIP)
        edge.down = offline
        out = await desk.checkout(draft.id, CheckoutInput("Phone", billing, CARD))
        edge.down = False
        if out.state == "queued":
            await desk.sync_now()
            out_number = store.get(draft.id).order_number
        else:
            out_number = out.order_number
        assert out_number, out
        placed.append(out_number)
    assert len(set(placed)) == 2

    # the files as they are while the program runs (WAL not checkpointed), then after closing
    files = sorted(p for p in db.parent.iterdir() if p.is_file())
    assert {p.name for p in files} >= {"drafts.sqlite3", "drafts.sqlite3-wal", "drafts.sqlite3-shm"}
    assert (db.parent / "drafts.sqlite3-wal").stat().st_size > 0
    for path in files:
        assert _leaks(path.read_bytes()) == [], path
    assert _leaks("\n".join(r.getMessage() + repr(r.args) for r in caplog.records).encode()) == []
    assert NUMBER not in repr(CARD) and CVV not in repr(CARD)
    await client.aclose()
    store.close()
    for path in sorted(p for p in db.parent.iterdir() if p.is_file()):
        assert _leaks(path.read_bytes()) == [], path
    assert _leaks(b"xx " + NUMBER.encode() + b" " + CVV.encode()) == ["card number", "cvv"]  # the search works
