"""The look of the order screens: cart (with lines), ship-to/PO, checkout, last look and confirmation,
at 80x24 and 120x40, plus the cart with NO_COLOR. Card fields are always empty here.

The sandbox, Desk and app are real. Only the status line's feed is frozen (online,
nothing queued, no price timestamp): it shows the wall clock and starts a background
sync when changes are queued, neither of which belongs in a picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from textual.pilot import Pilot

from nymble_desk.sync.desk import Desk
from nymble_desk.sync.status import SyncStatus
from test_order_support import until
from test_shell_support import front

SIZES = [(80, 24), (120, 40)]
LINES = [("WDG-BLU-L", 24), ("PART-A1", 20), ("WDG-RED-M", 12)]


class QuietStatusDesk(Desk):
    """The real Desk with a fixed status for the status line (see the module doc)."""

    @property
    def status(self) -> SyncStatus:  # type: ignore[override]
        return SyncStatus(online=True, queued=0, last_error=None, prices_as_of=None)


@pytest.fixture
def quiet_app(make_app: Any, make_client: Any, draft_store: Any) -> Any:
    def factory() -> Any:
        return make_app(desk=QuietStatusDesk(make_client(), draft_store))

    return factory


async def _settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    pilot.app.clear_notifications()
    await pilot.pause()


async def _cart_draft(pilot: Pilot, lines: Sequence[tuple[str, int]]) -> Any:
    """A draft of CUST-1042 with ``lines``, made through the Desk once the local index is filled (the
    stock column comes from it: the picture is taken once it is there)."""
    app: Any = pilot.app
    await app.workers.wait_for_complete()
    desk = app.desk
    await until(pilot, lambda: desk.index is not None and desk.index.is_ready("products"), timeout=30)
    draft = desk.open_draft((await desk.customer_summary("CUST-1042")).customer)
    for sku, qty in lines:
        draft = desk.add_line(draft.id, await desk.find_product(sku), qty)
    return draft


async def _open_cart(pilot: Pilot) -> Any:
    """CUST-1042's cart with three lines, made through the Desk, shown in the CartScreen."""
    app: Any = pilot.app
    draft = await _cart_draft(pilot, LINES)
    app.open_cart(draft.id)
    def ready() -> bool:
        panels = app.screen.query("CustomerPanel") if type(app.screen).__name__ == "CartScreen" else []
        return bool(panels and panels.first().summary is not None and app.screen.query("#totals"))

    await until(pilot, ready)
    await _settle(pilot)
    return draft


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_cart(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open_cart(pilot)
        await pilot.press(*"PART-A1*15", "enter")  # the refusal, with the text kept
        await until(pilot, lambda: "PART-A1:" in str(pilot.app.screen.query_one("#entry-message").render()))
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


def test_cart_no_color(snap_compare: Any, quiet_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot: Pilot) -> None:
        await _open_cart(pilot)
        await pilot.press("f7")  # focus the lines: the row cursor must show without colour

    assert snap_compare(quiet_app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_shipping(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open_cart(pilot)
        await pilot.press("f6")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "ShippingScreen" and pilot.app.screen.addresses)
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checkout(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        app: Any = pilot.app
        draft = await _open_cart(pilot)
        app.desk.set_ship_to(draft.id, {"address1": "500 Commerce Drive", "address2": "Suite 200", "city": "Austin",
                                        "stateProvince": "TX", "postalCode": "78701", "country": "US"})
        app.desk.set_po(draft.id, "PO-2024-88412")
        await pilot.press("f8")
        await until(pilot, lambda: front(app) == "CheckoutScreen" and app.screen.billing)
        await pilot.press("tab", "down", "enter")  # payment: Card, which shows the (empty) card fields
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        app: Any = pilot.app
        draft = await _open_cart(pilot)
        app.desk.set_po(draft.id, "PO-2024-77001")  # used before: the last look names the earlier order
        await pilot.press("f9")  # the default ship-to is preselected, then the last look
        await until(pilot, lambda: front(app) == "ReviewScreen")
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirmation(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        from nymble_desk.sync.desk import CheckoutInput
        from nymble_desk.tui.screens.confirmation import ConfirmationScreen

        app: Any = pilot.app
        draft = await _open_cart(pilot)
        app.desk.set_ship_to(draft.id, {"address1": "500 Commerce Drive", "address2": "Suite 200", "city": "Austin",
                                        "stateProvince": "TX", "postalCode": "78701", "country": "US"})
        app.desk.set_po(draft.id, "PO-2024-88412")
        outcome = await app.desk.checkout(draft.id, CheckoutInput(use_terms=True))
        # the confirmation id is random: a fixed one keeps the picture stable
        await app.push_screen(ConfirmationScreen(outcome.order_number, "conf_a3f91bc2",
                                                 email="orders@brightfield.example", draft_id=draft.id))
        await until(pilot, lambda: app.screen.facts is not None and app.screen.facts.source == "API")
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


def test_conflicts(snap_compare: Any, quiet_app: Any) -> None:
    async def run_before(pilot: Pilot) -> None:
        from nymble_desk.tui.screens.conflicts import ConflictsScreen

        await _open_cart(pilot)
        await pilot.app.push_screen(ConflictsScreen([
            "WDG-BLU-L: changed elsewhere to 30 on the server cart (was 24); this draft wants 36",
            "ship-to: changed elsewhere to 9 Harbour Road, Portland, OR 97201 on the server cart; "
            "this draft ships to 500 Commerce Drive, Austin, TX 78701",
        ]))
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=(80, 24), run_before=run_before)
