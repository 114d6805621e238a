"""Child of the kill test: builds a CUST-1042 order with its own terms and checks it out on terms
through the real Desk against a sandbox on a loopback port, then stops at the chosen moment so the
parent can SIGKILL it there.

Usage: python terms_kill_child.py BASE_URL DRAFTS_PATH MARKER {before-send|after-server}

``before-send``: the draft is committed SUBMITTING, the checkout request has not left.
``after-server``: the server placed the order; its reply never reaches the Desk.
The marker file (holding the draft id) tells the parent we are there; then we wait to be killed.
"""

from __future__ import annotations

import asyncio
import sys
from decimal import Decimal
from pathlib import Path

import httpx

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.domain.totals import Discount
from nymble_desk.drafts.models import OrderTerms
from nymble_desk.drafts.store import DraftStore
from nymble_desk.sync.desk import CheckoutInput, Desk

SHIP = {"address1": "500 Commerce Drive", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
        "country": "US"}
TERMS = OrderTerms(shipping_method="Freight", shipping_cost=Decimal("40.00"), tax=Decimal("12.34"),
                   discount=Discount("Fixed", Decimal("20.00")),
                   line_discounts=(("WDG-RED-M", Discount("Percentage", Decimal("50"))),))


class StopAt(httpx.AsyncBaseTransport):
    """The network edge: lets every call through, but parks the checkout at the chosen moment."""

    def __init__(self, moment: str, marker: Path) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.moment, self.marker = moment, marker
        self.draft_id = ""

    async def _park(self) -> None:
        self.marker.write_text(self.draft_id)
        await asyncio.Event().wait()  # until SIGKILL

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        is_checkout = request.method == "POST" and request.url.path.endswith("/checkout")
        if is_checkout and self.moment == "before-send":
            await self._park()
        response = await self.inner.handle_async_request(request)
        if is_checkout and self.moment == "after-server":
            await response.aread()
            await self._park()
        return response


async def main(base_url: str, drafts: Path, marker: Path, moment: str) -> None:
    edge = StopAt(moment, marker)
    client = NymbleClient(base_url, Credentials("DEMO", "demo-rep", "demo-rep-secret"), transport=edge)
    desk = Desk(client, DraftStore(drafts))
    await desk.sign_in()
    draft = desk.open_draft((await desk.customer_summary("CUST-1042")).customer)
    edge.draft_id = draft.id
    desk.add_line(draft.id, await desk.find_product("WDG-BLU-L"), 24)
    desk.add_line(draft.id, await desk.find_product("WDG-RED-M"), 10)
    desk.set_ship_to(draft.id, SHIP)
    desk.set_notes(draft.id, "Killed mid-checkout on purpose")
    desk.set_order_terms(draft.id, TERMS)
    await desk.checkout(draft.id, CheckoutInput("TradeShow", use_terms=True, order_type="Assisted"))
    raise SystemExit("the checkout returned: it should have been parked")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]))
