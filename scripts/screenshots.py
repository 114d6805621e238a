"""Write an SVG of each screen at 100x30 to screenshots/, from the sandbox's demo data.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--customers 200] [--products 500]

Drives the real app through a demo order: sign-in, customer lookup, help, cart,
order guide, drafts, ship-to/PO, checkout, order terms, last look, confirmation, orders and invoices, and a split
invoice. Everything
runs in process against
a fresh sandbox in a temporary directory; nothing touches your config, data or
keyring. A screen that cannot be reached (for example while the order screens are
being built) is reported and skipped, and the script exits non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from collections.abc import Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
SIZE = (100, 30)


async def until(pilot: Any, cond: Callable[[], object], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not reach the expected state")
        await pilot.pause(0.02)


def screen_is(app: Any, name: str) -> Callable[[], bool]:
    return lambda: type(app.screen).__name__ == name


async def settle(pilot: Any) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await until(pilot, lambda: not app.syncing)
    await pilot.pause(0.05)
    app.clear_notifications()


async def drive(app: Any, out: Path) -> list[str]:
    failures: list[str] = []
    written: list[str] = []

    async with app.run_test(size=SIZE) as pilot:

        async def shot(name: str, step: Callable[[], Awaitable[None]]) -> None:
            try:
                await step()
                await settle(pilot)
                app.save_screenshot(f"{name}.svg", str(out))
                written.append(name)
            except Exception as exc:  # keep going: one missing screen should not hide the others
                failures.append(f"{name}: {type(exc).__name__}: {exc}")

        async def sign_in() -> None:
            await until(pilot, screen_is(app, "SignInScreen"))
            await pilot.press(*"DEMO", "enter", *"demo-rep", "enter", *"demo-rep-secret")
            app.screen.query_one("#profile").value = ""

        async def lookup() -> None:
            await pilot.press("f9")
            await until(pilot, screen_is(app, "CustomerLookupScreen"))
            await pilot.press(*"CUST-00")
            await until(pilot, lambda: app.screen.last_query == "CUST-00")

        async def help_screen() -> None:
            await pilot.press("f1")
            await until(pilot, screen_is(app, "HelpScreen"))

        async def cart() -> None:
            await pilot.press("escape")
            await until(pilot, screen_is(app, "CustomerLookupScreen"))
            box = app.screen.query_one("#search")
            box.value = ""
            await pilot.press(*"CUST-1042")
            await until(pilot, lambda: app.screen.last_query == "CUST-1042")
            await pilot.press("enter")
            await until(pilot, screen_is(app, "CartScreen"))
            for entry in ("WDG-BLU-L*48", "PART-A1*20", "WDG-RED-M 6"):
                await pilot.press(*entry, "enter")
                await settle(pilot)

        async def order_guide() -> None:
            await until(pilot, lambda: app.screen.history_read)
            await pilot.press("f11")
            await until(pilot, screen_is(app, "OrderGuideScreen"))

        async def drafts() -> None:
            if type(app.screen).__name__ == "OrderGuideScreen":
                await pilot.press("f7")
                await until(pilot, screen_is(app, "CartScreen"))
            await pilot.press("f3")
            await until(pilot, screen_is(app, "DraftsScreen"))
            await pilot.press("f5")  # send the cart now, so the list shows it synced
            await until(pilot, lambda: app.syncs_done > 0 and not app.syncing, timeout=20)

        async def shipping() -> None:
            await pilot.press("enter")
            await until(pilot, screen_is(app, "CartScreen"))
            await pilot.press("f6")
            await until(pilot, screen_is(app, "ShippingScreen"))
            await settle(pilot)
            await pilot.press("enter")  # pick the first (default) address
            po = app.screen.query_one("#po")
            po.focus()
            await pilot.press(*"PO-DEMO-1001", "enter")

        async def checkout() -> None:
            await pilot.press("f8")
            await until(pilot, screen_is(app, "CheckoutScreen"))

        async def order_terms() -> None:
            await pilot.press("f8")  # the order's own terms (issue #13)
            await until(pilot, screen_is(app, "OrderTermsScreen"))
            for text in ("Deliver to dock 4", "UPS Ground", "25.00", "", "5%"):
                await pilot.press(*text, "tab")

        async def last_look() -> None:
            if screen_is(app, "OrderTermsScreen")():
                await pilot.press("enter")  # save the terms
                await until(pilot, screen_is(app, "CheckoutScreen"))
            await pilot.press("f9")  # the last look before the order is placed
            await until(pilot, screen_is(app, "ReviewScreen"))

        async def confirmation() -> None:
            await pilot.press("f9")
            await until(pilot, screen_is(app, "ConfirmationScreen"), timeout=20)
            await until(pilot, lambda: getattr(app.screen, "facts", None) is not None
                        and app.screen.facts.source == "API")

        await shot("01-sign-in", sign_in)
        await shot("02-customer-lookup", lookup)
        await shot("03-help", help_screen)
        await shot("04-cart", cart)
        await shot("04b-order-guide", order_guide)
        await shot("05-drafts", drafts)
        await shot("06-ship-to-po", shipping)
        await shot("07-checkout", checkout)
        await shot("07a-order-terms", order_terms)
        await shot("07b-last-look", last_look)
        await shot("08-confirmation", confirmation)

        async def orders() -> None:
            await pilot.press("f8")  # done: back to the area the order was started from
            await until(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"))
            await pilot.press("f4")
            await until(pilot, screen_is(app, "OrdersScreen"))

        async def order_detail() -> None:
            table = app.screen.query_one("#orders")
            await until(pilot, lambda: table.row_count > 0)
            table.focus()
            await pilot.press("enter")  # the newest: the order just placed
            await until(pilot, lambda: screen_is(app, "OrderDetailScreen")() and app.screen.bundle is not None)

        async def invoices() -> None:
            await pilot.press("f9")  # this order's invoices
            await until(pilot, lambda: screen_is(app, "InvoicesScreen")() and app.screen.invoices)
            app.screen.query_one("#invoices").focus()

        async def payment() -> None:
            await pilot.press("f6")
            await until(pilot, screen_is(app, "PaymentScreen"))
            app.screen.query_one("#pay-amount").value = "250.00"
            app.screen.query_one("#pay-reference").value = "CHK-20417"

        async def refund() -> None:
            await pilot.press("f9")  # record it
            await until(pilot, screen_is(app, "InvoicesScreen"))
            await until(pilot, lambda: any(i.payments for i in app.screen.invoices.values()))
            await settle(pilot)
            await pilot.press("f7")
            await until(pilot, screen_is(app, "RefundScreen"))
            app.screen.query_one("#refund-amount").value = "50"

        async def void_refused() -> None:
            await pilot.press("f7")  # back without refunding
            await until(pilot, screen_is(app, "InvoicesScreen"))
            await pilot.press("f8")  # part paid: the screen says why it cannot be voided

        async def conflicts() -> None:
            # another device changes the server cart of a synced draft; the next sync asks the rep
            desk = app.desk
            app.start_order((await desk.customer_summary("CUST-0082")).customer)
            await until(pilot, screen_is(app, "CartScreen"))
            await pilot.press(*"WDG-BLU-L*12", "enter")
            await settle(pilot)
            await desk.sync_now()
            draft = desk.get_draft(app.screen.draft_id)
            await desk.client.carts.update_item("CUST-0082", draft.remote_cart_id, "WDG-BLU-L", 30)
            desk.set_quantity(draft.id, "WDG-BLU-L", 24)
            await pilot.press("f5")
            await until(pilot, screen_is(app, "ConflictsScreen"), timeout=20)

        await shot("09-orders", orders)
        await shot("10-order-detail", order_detail)
        await shot("11-invoices", invoices)
        await shot("12-payment", payment)
        await shot("13-refund", refund)
        await shot("14-void-refused", void_refused)
        await shot("15-conflicts", conflicts)

        async def split_invoice() -> None:
            # a two-line order not yet invoiced (as an import would leave it): invoice a first shipment of it
            from datetime import UTC, datetime
            from decimal import Decimal

            from nymble_desk.api.models import OrderCreate, OrderCustomer, OrderItem, SalesRep
            from nymble_desk.tui.screens.order_detail import OrderDetailScreen

            await pilot.press("escape")  # the conflicts: later
            await until(pilot, screen_is(app, "CartScreen"))
            ref = await app.desk.client.orders.create(OrderCreate(
                customer=OrderCustomer(customer_number="CUST-1042"), order_type="Direct", po_number="PO-2026-SPLIT",
                price_tier="Wholesale", currency_code="USD", primary_sales_rep=SalesRep(rep_number="REP-007"),
                items=[OrderItem(sku="WDG-BLU-L", quantity=48, price=Decimal("11.75")),
                       OrderItem(sku="WDG-RED-M", quantity=24, price=Decimal("11.00"))],
                external_id="SHOTS-SPLIT-1", channel="Phone", order_date=datetime(2026, 11, 2, 15, 0, tzinfo=UTC)))
            app.push_screen(OrderDetailScreen(ref.order_number))
            await until(pilot, lambda: screen_is(app, "OrderDetailScreen")() and app.screen.bundle is not None)
            await pilot.press("f12")
            await until(pilot, screen_is(app, "SplitInvoiceScreen"))
            await pilot.press("2", "4", "tab", "1", "2")

        async def order_invoiced() -> None:
            await pilot.press("f9")
            await until(pilot, lambda: screen_is(app, "OrderDetailScreen")() and app.screen.bundle is not None
                        and app.screen.bundle.invoices)

        await shot("16-split-invoice", split_invoice)
        await shot("17-order-split-invoiced", order_invoiced)

    for name in written:
        print(f"wrote {out / (name + '.svg')}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--products", type=int, default=500)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="nymble-shots-") as tmp:
        for var in ("CONFIG", "DATA", "LOG"):
            os.environ[f"NYMBLE_DESK_{var}_DIR"] = str(Path(tmp) / var.lower())
        os.environ.pop("NO_COLOR", None)

        import httpx
        import keyring
        from keyring.backends import fail

        from nymble_desk.api import Credentials, NymbleClient
        from nymble_desk.config import Settings
        from nymble_desk.drafts.store import DraftStore
        from nymble_desk.sandbox import create_app
        from nymble_desk.sync.desk import Desk
        from nymble_desk.tui.app import NymbleApp

        keyring.set_keyring(fail.Keyring())
        sandbox = create_app(Path(tmp) / "sandbox", customers=args.customers, products=args.products)
        store = DraftStore(Path(tmp) / "drafts.sqlite3")

        def connect(base_url: str, org: str, client: str, secret: str) -> Any:
            transport = httpx.ASGITransport(app=sandbox, raise_app_exceptions=False)
            return Desk(NymbleClient("http://sandbox", Credentials(org, client, secret), transport=transport), store)

        app = NymbleApp(None, Settings(), signed_in=False, connect=connect, animation="none", cursor_blink=False)
        failures = asyncio.run(drive(app, args.out))
    for failure in failures:
        print(f"skipped {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
