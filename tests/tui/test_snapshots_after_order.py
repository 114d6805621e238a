"""The look of the after-the-order screens at 80x24 and 120x40: orders, order detail, invoices (with a
refusal shown), the payment, refund, void-confirmation and ship-to modals.

The sandbox, Desk and app are real; only the status line's feed is frozen (it shows
the wall clock otherwise), and the payment date is typed, not today's.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from nymble_desk.sync.desk import Desk
from nymble_desk.sync.status import SyncStatus
from test_shell_support import front

SIZES = [(80, 24), (120, 40)]


class QuietDesk(Desk):
    @property
    def status(self) -> SyncStatus:  # type: ignore[override]
        return SyncStatus(online=True, queued=0, last_error=None, prices_as_of=None)


@pytest.fixture
def quiet_app(make_app: Any, make_client: Any, draft_store: Any) -> Any:
    return lambda: make_app(desk=QuietDesk(make_client(), draft_store))


async def wait(pilot: Pilot, cond: Any, tries: int = 400) -> None:
    for _ in range(tries):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError("the screen did not reach the expected state")


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    pilot.app.clear_notifications()
    await pilot.pause()


def on(app: Any, name: str) -> Any:
    return lambda: front(app) == name


async def orders(pilot: Pilot) -> None:
    app: Any = pilot.app
    await wait(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"))
    await settle(pilot)
    await pilot.press("f4")
    await wait(pilot, lambda: on(app, "OrdersScreen")() and app.screen.page is not None)
    await settle(pilot)


async def detail(pilot: Pilot, number: str = "ORD-00051") -> None:
    from nymble_desk.tui.screens.order_detail import OrderDetailScreen

    app: Any = pilot.app
    await orders(pilot)
    app.push_screen(OrderDetailScreen(number))
    await wait(pilot, lambda: on(app, "OrderDetailScreen")() and app.screen.bundle is not None)
    await settle(pilot)


async def invoices(pilot: Pilot, select: str) -> None:
    app: Any = pilot.app
    await orders(pilot)
    await pilot.press("f9")
    await wait(pilot, on(app, "InvoicesScreen"))
    app.screen.query_one("#i-customer", Input).value = "CUST-1042"
    app.screen.query_one("#i-customer", Input).focus()
    await pilot.press("enter")
    table = app.screen.query_one("#invoices", DataTable)
    await wait(
        # 3 invoices of its recent orders and 4 paid ones of its repeat orders (sandbox.demo.HISTORY)
        pilot, lambda: table.row_count == 7 and "CUST-1042" in str(app.screen.query_one("#invoices-title").render())
    )
    await settle(pilot)
    table.focus()
    for index, key in enumerate(table.rows):
        if str(table.get_row(key)[0]) == select:
            table.move_cursor(row=index)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_orders(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    assert snap_compare(quiet_app(), terminal_size=size, run_before=orders)


@pytest.mark.parametrize("size", SIZES)
def test_order_detail(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    assert snap_compare(quiet_app(), terminal_size=size, run_before=detail)


@pytest.mark.parametrize("size", SIZES)
def test_invoices_refusing_a_void(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await invoices(pilot, "INV-000044")
        await pilot.press("f8")
        await settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_payment(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await invoices(pilot, "INV-000050")
        await pilot.press("f6")
        await wait(pilot, on(pilot.app, "PaymentScreen"))
        screen = pilot.app.screen
        screen.query_one("#pay-amount", Input).value = "40.00"
        screen.query_one("#pay-reference", Input).value = "CHK-1001"
        screen.query_one("#pay-date", Input).value = "2026-11-20"
        await settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_refund(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await invoices(pilot, "INV-000051")
        await pilot.press("f7")
        await wait(pilot, on(pilot.app, "RefundScreen"))
        pilot.app.screen.query_one("#refund-amount", Input).value = "100"
        await settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_confirm_void(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await invoices(pilot, "INV-000050")
        await pilot.press("f8")
        await wait(pilot, on(pilot.app, "ConfirmScreen"))
        await settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_ship_to(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await detail(pilot, "ORD-00050")
        await pilot.press("f6")
        await wait(pilot, on(pilot.app, "ShipToScreen"))
        await wait(pilot, lambda: pilot.app.screen.query_one("#ship-saved").option_count == 2)
        await settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


def test_invoices_no_color(snap_compare: Any, quiet_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: the cursor row and the refusal still read (bold/underline, "!" marker)."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot: Pilot) -> None:
        await invoices(pilot, "INV-000044")
        await pilot.press("f8")
        await settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_split_invoice(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    """Invoice part of an order (issue #16): a two-line order, 10 of the first line typed."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from nymble_desk.api.models import OrderCreate, OrderCustomer, OrderItem, SalesRep

    async def run_before(pilot: Pilot) -> None:
        app: Any = pilot.app
        await wait(pilot, lambda: type(app.screen).__name__ in ("CustomerLookupScreen", "DraftsScreen"))
        ref = await app.after_sales.client.orders.create(OrderCreate(
            customer=OrderCustomer(customer_number="CUST-1042"), order_type="Direct", po_number="PO-SNAP-SPLIT",
            price_tier="Wholesale", currency_code="USD", primary_sales_rep=SalesRep(rep_number="REP-007"),
            items=[OrderItem(sku="WDG-BLU-L", quantity=24, price=Decimal("12.50")),
                   OrderItem(sku="WDG-RED-M", quantity=12, price=Decimal("11.00"))],
            external_id="SNAP-SPLIT-1", order_date=datetime(2025, 11, 3, 9, 0, tzinfo=UTC)))
        await detail(pilot, ref.order_number)
        await pilot.press("f12")
        await wait(pilot, on(app, "SplitInvoiceScreen"))
        await pilot.press("1", "0")
        await settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)
