"""Paste rate: 500 `SKU*QTY` lines pasted into the cart's entry line, until the one summary is on screen.

The real app (``NymbleApp`` headless through ``run_test``, 80x24) over the real sandbox in process
(httpx ASGI transport) and a real draft cache file, signed in as the demo rep, in the cart of
CUST-1042. Two pastes, each into a fresh cart:

- bracketed: one Textual ``Paste`` event with the 500 lines;
- unbracketed: the same lines as keys with Enter between them, posted in one burst (what a terminal
  without bracketed paste, or a scanner, delivers).

Baseline in the same run: the same 500 lines through the Desk directly (``find_product`` then
``add_line`` for each, as the cart does), into a fresh draft of another customer, no screen.
Target: each paste under 2 s; the ratio against the baseline is printed beside it.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common

LINES = 500
LIMIT_S = 2.0
CUSTOMERS = ("CUST-1042", "CUST-0082", "CUST-0042")


def paste_lines(skus: list[str], n: int) -> list[str]:
    """``n`` lines over ``skus`` (so most SKUs come back and merge), quantities 1..9."""
    return [f"{skus[i % len(skus)]}*{1 + i % 9}" for i in range(n)]


async def wait_for(cond: Any, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.005)


async def run(root: Path, n: int) -> dict[str, float]:
    import httpx

    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.config import Settings
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.sandbox import create_app
    from nymble_desk.sync.desk import Desk
    from nymble_desk.tui.app import NymbleApp
    from nymble_desk.tui.widgets.entry_line import EntryLine

    sandbox = create_app(root / "sandbox", customers=50, products=300)
    transport = httpx.ASGITransport(app=sandbox, raise_app_exceptions=False)
    client = NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"), transport=transport)
    desk = Desk(client, DraftStore(root / "drafts.sqlite3"))
    await desk.sign_in()
    page = await client.products.search(page_size=200, sort_on="sku", sort_direction="asc")
    skus = [p.sku for p in page.items if p.active and (p.minimum_order_quantity or 1) == 1
            and (p.quantity_increment or 1) == 1][:100]
    lines = paste_lines(skus, n)
    figures: dict[str, float] = {}

    async def customer(number: str) -> Any:
        return (await desk.customer_summary(number)).customer

    # baseline: the Desk directly, as the cart adds each line
    draft = desk.open_draft(await customer(CUSTOMERS[2]))
    start = time.perf_counter()
    for text in lines:
        sku, qty = text.split("*")
        product = await desk.find_product(sku)
        desk.add_line(draft.id, product, int(qty))
    figures["baseline"] = time.perf_counter() - start

    app = NymbleApp(desk=desk, settings=Settings(), signed_in=True, animation="none", cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for how, number in (("bracketed", CUSTOMERS[0]), ("unbracketed", CUSTOMERS[1])):
            await wait_for(lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen", "CartScreen"))
            app.start_order(await customer(number))
            await wait_for(lambda: type(app.screen).__name__ == "CartScreen" and app.screen.query("#entry")
                           and app.screen.query_one("#entry").has_focus)
            await pilot.pause()
            message = app.screen.query_one("#entry-message")
            done = f"{n} lines:"
            start = time.perf_counter()
            if how == "bracketed":
                from textual import events

                app.post_message(events.Paste("\n".join(lines) + "\n"))
            else:
                from textual import events

                for text in lines:
                    for char in text:
                        app.post_message(events.Key("asterisk" if char == "*" else
                                                    "minus" if char == "-" else char, char))
                    app.post_message(events.Key("enter", "\r"))
            await wait_for(lambda: done in str(message.render()))  # noqa: B023 (awaited here)
            figures[how] = time.perf_counter() - start
            entered = app.screen.query_one(EntryLine)
            draft_now = desk.get_draft(app.screen.draft_id)
            figures[f"{how} lines"] = float(len(draft_now.lines))
            figures[f"{how} refused"] = float(len(entered.to_fix))
    await client.aclose()
    return figures


def main(argv: list[str] | None = None) -> int:
    b = common.bench("paste_rate", __doc__.splitlines()[0], argv)
    n = LINES
    root = Path(tempfile.mkdtemp(prefix="nymble-paste-"))
    try:
        figures = asyncio.run(run(root, n))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    base = figures["baseline"]
    for how in ("bracketed", "unbracketed"):
        b.ratio(f"{how} paste of {n} lines to summary", figures[how], base, "s",
                note=f"{figures[f'{how} lines']:.0f} cart lines, {figures[f'{how} refused']:.0f} refused")
        b.at_most(f"{how} paste of {n} lines", figures[how], LIMIT_S, "s")
    b.notes.append(f"baseline: the same {n} lines through Desk.find_product + Desk.add_line, no screen")
    return b.finish()


if __name__ == "__main__":
    common.run_main(lambda: main(sys.argv[1:]))
