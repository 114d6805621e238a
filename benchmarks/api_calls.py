"""API calls of the scripted order (the TUI issue's) against the minimum the endpoints need.

The real app (``NymbleApp`` with the real ``Desk``, ``DraftStore`` and API client) runs
headless (``run_test``) over the in-process sandbox through a transport that counts
every request.  The rep has signed in and the local search index has been filled (a
background job after sign-in, counted and reported apart: at real scale it is a paged
fill and then incremental refreshes, not part of any one order).  Script: find
CUST-1042 by typing its number, five lines by SKU*QTY (one refused for its minimum,
then fixed), ship-to (the default address), PO, checkout on terms; then wait until
nothing is queued.

Minimum (what the endpoints need for that order once customers and products are
searchable locally): the customer panel's customer, open invoices and recent orders 3,
active-cart check 1, create cart with the first line 1, add four lines 4, shipping 1,
PO number 1, PO reuse check 1, checkout 1, the confirmation's read of the placed order 1
(checkout answers only orderNumber and confirmationId; the Cart page: "Use orderNumber
to look up the full order details via GET /api/orders/{orderNumber}"; the confirmation
shows lines, total, ship-to and PO as the API holds them, and emailing reuses that read) = 14.
Reconciliation reads are the server
cart reads the outbox makes before it pushes, to find changes made elsewhere (issue
#4: a difference is kept and reported, never overwritten): one per sync pass that
pushes something.  How many passes there are depends on how fast the rep types (the
app syncs what is queued every couple of seconds): 3 or 4 here.  Targets: the calls
other than reconciliation reads <= 14; no cart read that no push follows (a wasted
read); total <= 14 + the reconciliation reads.  Ratio: total / minimum.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import common

MINIMUM = 14
CART_READ = "GET carts/{n or id}"
CART_PUSHES = ("POST carts/", "PUT carts/", "DELETE carts/")


def reads_before_a_push(sequence: list[str]) -> tuple[int, int]:
    """(cart reads followed by a change to the cart before the next read, cart reads that are not)."""
    pushed = wasted = 0
    for i, call in enumerate(sequence):
        if call != CART_READ:
            continue
        nxt = next((c for c in sequence[i + 1:] if c == CART_READ or c.startswith(CART_PUSHES)), None)
        if nxt is not None and nxt != CART_READ:
            pushed += 1
        else:
            wasted += 1
    return pushed, wasted

_ROUTES = [
    (r"^/api/auth/login$", "auth/login"),
    (r"^/api/customers$", "customers?search"),
    (r"^/api/customers/[^/]+$", "customers/{n}"),
    (r"^/api/products$", "products?search"),
    (r"^/api/products/[^/]+$", "products/{sku}"),
    (r"^/api/carts/customer/[^/]+$", "carts/customer/{n}"),
    (r"^/api/carts/[^/]+/[^/]+/items/[^/]+$", "carts/{n}/{id}/items/{sku}"),
    (r"^/api/carts/[^/]+/[^/]+/items$", "carts/{n}/{id}/items"),
    (r"^/api/carts/[^/]+/[^/]+/shipping$", "carts/{n}/{id}/shipping"),
    (r"^/api/carts/[^/]+/[^/]+/po-number$", "carts/{n}/{id}/po-number"),
    (r"^/api/carts/[^/]+/[^/]+/complete-checkout$", "carts/{n}/{id}/complete-checkout"),
    (r"^/api/carts/[^/]+/checkout$", "carts/{id}/checkout"),
    (r"^/api/carts/[^/]+$", "carts/{n or id}"),
    (r"^/api/orders$", "orders?search"),
    (r"^/api/orders/[^/]+$", "orders/{id}"),
    (r"^/api/invoices$", "invoices?search"),
]


def route(method: str, path: str) -> str:
    for pattern, name in _ROUTES:
        if re.match(pattern, path):
            return f"{method} {name}"
    return f"{method} {path}"


async def run_order(sandbox_app: Any, drafts_path: Path, index_fill: Counter[str], sequence: list[str]) -> Counter[str]:
    import httpx
    from textual.widgets import OptionList

    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.config import Settings
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.sync.desk import Desk
    from nymble_desk.tui.app import NymbleApp
    from nymble_desk.tui.widgets.hit_table import HitTable
    from nymble_desk.tui.widgets.line_table import LineTable

    calls: Counter[str] = Counter()
    inner = httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            calls[route(request.method, request.url.path)] += 1
            sequence.append(route(request.method, request.url.path))
            return await inner.handle_async_request(request)

    client = NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"), transport=Counting())
    desk = Desk(client, DraftStore(drafts_path))
    app = NymbleApp(desk=desk, settings=Settings(), signed_in=True, animation="none", cursor_blink=False)

    async def until(pilot: Any, cond: Any, timeout: float = 15.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError(f"the scripted order got stuck on {type(app.screen).__name__}")
            await pilot.pause(0.02)

    def name() -> str:
        return type(app.screen).__name__

    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: name() == "CustomerLookupScreen")
        await until(pilot, lambda: desk.index is not None and desk.index.is_ready("customers")
                    and desk.index.is_ready("products"), timeout=60)
        await app.workers.wait_for_complete()
        index_fill.update(calls)  # sign-in and the index fill: reported apart
        calls.clear()
        sequence.clear()
        await pilot.press(*"CUST-1042")
        results = app.screen.query_one("#results", HitTable)
        await until(pilot, lambda: "CUST-1042" in results.keys)
        await pilot.press("enter")
        await until(pilot, lambda: name() == "CartScreen")
        table = app.screen.query_one(LineTable)
        for text, sku, qty in (("WDG-BLU-L*48", "WDG-BLU-L", 48), ("WDG-RED-M*12", "WDG-RED-M", 12),
                               ("50*PART-B3", "PART-B3", 50), ("WIDGET-RED-M 3", "WIDGET-RED-M", 3),
                               ("PART-A1*15", None, None), ("PART-A1*20", "PART-A1", 20)):
            entry = app.screen.query_one("#entry")
            if entry.value:
                await pilot.press(*["backspace"] * len(entry.value))
            await pilot.press(*text, "enter")
            if sku is None:
                await until(pilot, lambda: "PART-A1" in str(app.screen.query_one("#entry-message").render()))
            else:
                await until(pilot, lambda s=sku, q=qty: s in table.rows and str(table.get_row(s)[2]) == str(q))
        await pilot.press("f6")
        await until(pilot, lambda: name() == "ShippingScreen")
        addresses = app.screen.query_one("#addresses", OptionList)
        await until(pilot, lambda: addresses.option_count > 0)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query_one("#po").has_focus)
        await pilot.press(*"PO-BENCH-0001", "enter")
        await until(pilot, lambda: "used" in str(app.screen.query_one("#po-message").render()))
        await pilot.press("f8")
        await until(pilot, lambda: name() == "CheckoutScreen")
        await until(pilot, lambda: app.screen.billing != [])
        await pilot.press("f9")  # the last look, then the order
        await until(pilot, lambda: name() == "ReviewScreen")
        await pilot.press("f9")
        await until(pilot, lambda: name() == "ConfirmationScreen", timeout=30)
        await until(pilot, lambda: desk.status.queued == 0, timeout=30)
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
    return calls


def main(argv: list[str] | None = None) -> int:
    b = common.bench("api_calls", __doc__.splitlines()[0], argv)
    root = Path(tempfile.mkdtemp(prefix="nymble-calls-"))
    try:
        from nymble_desk.sandbox import create_app

        sandbox_app = create_app(root / "sandbox", customers=50, products=100)
        index_fill: Counter[str] = Counter()
        sequence: list[str] = []
        calls = asyncio.run(run_order(sandbox_app, root / "drafts.sqlite3", index_fill, sequence))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    total = sum(calls.values())
    reconciling, wasted = reads_before_a_push(sequence)

    def listing(counter: Counter[str]) -> str:
        return ", ".join(f"{k} x{v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

    b.ratio("API calls for the scripted order", total, MINIMUM, "calls", note=f"minimum {MINIMUM}")
    b.at_most("order calls other than reconciliation reads", total - reconciling - wasted, MINIMUM, "calls")
    b.at_most("cart reads that no push follows (wasted)", wasted, 0, "calls")
    b.at_most("API calls (target: minimum + reconciliation reads)", total, MINIMUM + reconciling, "calls",
              note=f"{reconciling} sync passes pushed changes, each after one read of the server cart")
    b.notes.append(f"calls by endpoint: {listing(calls)}")
    b.notes.append(f"before the order (sign-in, local index fill at demo size): {sum(index_fill.values())} calls: "
                   f"{listing(index_fill)}")
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
