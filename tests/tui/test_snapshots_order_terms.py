"""The look of issue #13's screens at 80x24 and 120x40: the order-terms form, and the last look of a
terms order over the customer's credit (the warning, the reason field, every term)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from textual.pilot import Pilot

from nymble_desk.domain.totals import Discount
from nymble_desk.drafts.models import OrderTerms
from test_order_support import until
from test_snapshots_order import SIZES, _cart_draft, _settle, quiet_app  # noqa: F401  (quiet_app is a fixture)

SHIP = {"address1": "500 Commerce Drive", "address2": "Suite 200", "city": "Austin", "stateProvince": "TX",
        "postalCode": "78701", "country": "US"}
TERMS = OrderTerms(shipping_method="UPS Ground", shipping_cost=Decimal("25.00"), tax=Decimal("30.10"),
                   discount=Discount("Percentage", Decimal("10")),
                   line_discounts=(("WDG-RED-M", Discount("Fixed", Decimal("5.00"))),))


async def _checkout(pilot: Pilot, lines: list[tuple[str, int]]) -> Any:
    app: Any = pilot.app
    desk = app.desk
    draft = await _cart_draft(pilot, lines)  # once the index (the stock column) is filled: it came and went
    desk.set_ship_to(draft.id, SHIP)
    desk.set_po(draft.id, "PO-TS-2026")
    desk.set_notes(draft.id, "Booth 14: deliver after the show")
    desk.set_order_terms(draft.id, TERMS)
    app.open_cart(draft.id)
    await until(pilot, lambda: type(app.screen).__name__ == "CartScreen" and app.screen.is_mounted)
    await pilot.press("f8")
    await until(pilot, lambda: type(app.screen).__name__ == "CheckoutScreen" and app.screen.is_mounted
                and app.screen.loaded)
    return draft


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_order_terms_form(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _checkout(pilot, [("WDG-BLU-L", 48), ("WDG-RED-M", 10)])
        await pilot.press("f8")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "OrderTermsScreen")
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_over_credit_with_terms(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _checkout(pilot, [("WDG-BLU-L", 4800), ("WDG-RED-M", 10)])  # $56,400 + $110: over $50,000
        await pilot.press("f9")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "ReviewScreen")
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)
