"""The customer summary is read once for the cart's panel, ship-to and checkout screens,
read again on request (after a payment) and after an order is placed."""

from __future__ import annotations

from typing import Any

from test_desk_index import Counting

from nymble_desk.drafts.store import DraftStore
from nymble_desk.sync.desk import CheckoutInput, Desk

SUMMARY_PATHS = ("GET /api/customers/CUST-1042", "GET /api/invoices", "GET /api/orders")


def summary_reads(counting: Counting) -> int:
    return sum(counting.calls[p] for p in SUMMARY_PATHS)


async def test_summary_is_reused_then_read_again_when_asked_or_after_an_order(
    make_client: Any, asgi: Any, store: DraftStore
) -> None:
    counting = Counting(asgi)
    desk = Desk(make_client(transport=counting), store)
    await desk.sign_in()

    first = await desk.customer_summary("CUST-1042")
    assert summary_reads(counting) == 3  # customer, invoices, last orders
    again = await desk.customer_summary("CUST-1042")  # ship-to, then checkout: no new reads
    assert again is first and summary_reads(counting) == 3

    fresh = await desk.customer_summary("CUST-1042", max_age=0)  # after a payment
    assert fresh is not first and summary_reads(counting) == 6

    draft = desk.open_draft(fresh.customer)
    product = await desk.find_product("WDG-BLU-L")
    desk.add_line(draft.id, product, 48)
    desk.set_ship_to(draft.id, {"address1": "500 Commerce Drive", "city": "Austin", "stateProvince": "TX",
                                "postalCode": "78701", "country": "US"})
    outcome = await desk.checkout(draft.id, CheckoutInput(channel="Phone", billing=None, card=None, use_terms=True))
    assert outcome.state == "placed"
    before = summary_reads(counting)
    after_order = await desk.customer_summary("CUST-1042")
    assert summary_reads(counting) == before + 3  # the new order and invoice are read
    assert after_order.customer.balance > fresh.customer.balance
