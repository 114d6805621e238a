"""Keystrokes for a 5-line order once the customer is found, against what its typed text requires.

The real app (``NymbleApp`` with the real ``Desk``, ``DraftStore`` and API client) runs
headless (``run_test``, 80x24) over the in-process sandbox; every key goes through the
pilot one at a time and is counted. The order (issue #11's ergonomics goal): CUST-1042's
cart is open; five SKUs typed in full (``WDG-BLU-L*48`` crosses the Wholesale break to
$11.75; ``PART-B3`` and ``WDG-100-BLU`` take their default quantity), then the checkout
on the customer's terms with the default ship-to. The run fails unless the order read
back from the API has those five lines at those prices, shipped to the default address.

Figures, measured in the same run:
  - the fast path: the typed lines, then F9 (the last look) and F9 (place). Target <= 60.
  - baseline: the keys the typed text itself requires (each entry and its Enter); the
    ratio shows what the flow adds on top.
  - the long path for the same order (ship-to picked by hand: F6, Enter on the default
    address, F8 checkout, F9 last look, F9 place), for comparison.
  - the order guide (issue #13): F11, Enter on each of the guide's first five rows (each
    at its usual quantity: CUST-1042's repeat items), F7 back, F9, F9; read back the same
    way (five lines at their usual quantities and today's prices). Target <= 60.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import common

ENTRIES = ("WDG-BLU-L*48", "WDG-RED-M*6", "PART-A1*20", "PART-B3", "WDG-100-BLU")
EXPECTED = {"WDG-BLU-L": (48, Decimal("11.75")), "WDG-RED-M": (6, Decimal("11.00")), "PART-A1": (20, Decimal("4.25")),
            "PART-B3": (25, Decimal("9.99")), "WDG-100-BLU": (1, Decimal("18.50"))}
#: the first five rows of CUST-1042's order guide over its seeded orders, at their usual quantities
GUIDE_EXPECTED = {"WDG-BLU-L": (48, Decimal("11.75")), "PART-A1": (100, Decimal("4.25")),
                  "WDG-RED-M": (24, Decimal("11.00")), "PART-B3": (50, Decimal("9.99")),
                  "WIDGET-BLU-L": (5, Decimal("14.00"))}
TARGET = 60
FAST_PATH = ("f9", "f9")
LONG_PATH = ("f6", "enter", "f8", "f9", "f9")


class Stuck(RuntimeError):
    pass


async def one_order(sandbox_app: Any, drafts_path: Path, path: tuple[str, ...], *,
                    guide: bool = False) -> tuple[int, str]:
    """(keys pressed from the open cart to the confirmation, the order number)."""
    import httpx

    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.config import Settings
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.sync.desk import Desk
    from nymble_desk.tui.app import NymbleApp
    from nymble_desk.tui.widgets.hit_table import HitTable
    from nymble_desk.tui.widgets.line_table import LineTable

    transport = httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)
    client = NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"), transport=transport)
    desk = Desk(client, DraftStore(drafts_path))
    app = NymbleApp(desk=desk, settings=Settings(), signed_in=True, animation="none", cursor_blink=False)
    count = 0

    def name() -> str:
        return type(app.screen).__name__

    async def until(pilot: Any, cond: Any, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise Stuck(f"the order got stuck on {name()}")
            await pilot.pause(0.02)

    async def press(pilot: Any, *keys: str) -> None:
        nonlocal count
        for key in keys:  # one key a write, as a rep types
            count += 1
            await pilot.press(key)

    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: name() == "CustomerLookupScreen")
        await pilot.press(*"CUST-1042")  # finding the customer is not counted: the goal starts at the cart
        results = app.screen.query_one("#results", HitTable)
        await until(pilot, lambda: "CUST-1042" in results.keys)
        await pilot.press("enter")
        await until(pilot, lambda: name() == "CartScreen")
        table = app.screen.query_one(LineTable)
        if guide:  # the customer's last orders are read into the index as the cart opens (no key)
            cart = app.screen
            await until(pilot, lambda: cart.history_read)
            await press(pilot, "f11")
            await until(pilot, lambda: name() == "OrderGuideScreen")
            for added in range(1, len(GUIDE_EXPECTED) + 1):
                await press(pilot, "enter")
                await until(pilot, lambda n=added: len(desk.get_draft(cart.draft_id).lines) == n
                            and not app.screen.adding)
            await press(pilot, "f7")
            await until(pilot, lambda: name() == "CartScreen" and table.row_count == len(GUIDE_EXPECTED))
        for text in () if guide else ENTRIES:
            sku = text.split("*")[0]
            await press(pilot, *text, "enter")
            await until(pilot, lambda s=sku: s in table.rows and app.screen.query_one("#entry").value == "")
        for key in path:
            await press(pilot, key)
            if key == "f6":  # the ship-to screen: its address list is read before Enter can pick
                await until(pilot, lambda: name() == "ShippingScreen" and bool(app.screen.addresses))
            elif key == "enter":
                await until(pilot, lambda: app.screen.query_one("#po").has_focus)
            elif key == "f8":
                await until(pilot, lambda: name() == "CheckoutScreen" and app.screen.loaded)
            else:
                await until(pilot, lambda: name() in ("ReviewScreen", "ConfirmationScreen"), timeout=30)
        await until(pilot, lambda: name() == "ConfirmationScreen" and bool(app.screen.order_number), timeout=30)
        number = app.screen.order_number
        await app.workers.wait_for_complete()
    async with NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"),
                            transport=httpx.ASGITransport(app=sandbox_app)) as check:
        await check.login()
        order = await check.orders.get(number)
    got = {i.sku: (i.quantity, Decimal(i.price)) for i in order.items}
    expected = GUIDE_EXPECTED if guide else EXPECTED
    if got != expected:
        raise Stuck(f"order {number} holds {got}, not {expected}")
    shipped = order.shipping_details.shipping_address if order.shipping_details else None
    if shipped is None or shipped.address1 != "500 Commerce Drive":
        raise Stuck(f"order {number} ships to {shipped}, not the default address")
    return count, number


def main(argv: list[str] | None = None) -> int:
    b = common.bench("keystrokes", __doc__.splitlines()[0], argv)
    root = Path(tempfile.mkdtemp(prefix="nymble-keys-"))
    try:
        from nymble_desk.sandbox import create_app

        sandbox_app = create_app(root / "sandbox", customers=50, products=100)
        fast, fast_order = asyncio.run(one_order(sandbox_app, root / "fast.sqlite3", FAST_PATH))
        long, long_order = asyncio.run(one_order(sandbox_app, root / "long.sqlite3", LONG_PATH))
        # a sandbox of its own: the orders just placed would be CUST-1042's latest and change its guide
        fresh = create_app(root / "sandbox-guide", customers=50, products=100)
        guided, guide_order = asyncio.run(one_order(fresh, root / "guide.sqlite3", FAST_PATH, guide=True))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    typed = sum(len(text) + 1 for text in ENTRIES)
    b.ratio("keys for the order (F9 last look, F9 place)", fast, typed, "keys",
            note=f"baseline: the typed text and its Enters, {typed} keys; order {fast_order}")
    b.at_most("keys for the order, after the customer is found", fast, TARGET, "keys")
    b.ratio("same order, ship-to picked by hand (F6 Enter F8 F9 F9)", long, typed, "keys",
            note=f"order {long_order}")
    b.ratio("order from the guide (F11, Enter x5, F7, F9, F9)", guided, typed, "keys",
            note=f"order {guide_order}: the guide's first five rows at their usual quantities")
    b.at_most("keys for an order from the guide", guided, TARGET, "keys")
    b.notes.append(f"entries: {', '.join(ENTRIES)}; both orders read back from the API: 5 lines, "
                   "WDG-BLU-L 48 at $11.75, shipped to the default address")
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
