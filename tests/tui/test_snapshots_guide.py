"""The look of stock and the order guide at 80x24 and 120x40: CUST-1042's cart with a line over stock
(marked "!", the totals bar naming it) and the order guide screen (F11) over the seeded history.

The sandbox, Desk and app are real; the status line's feed is frozen as in test_snapshots_order.
The ages read "as of now": the pictures are taken within a minute of the index's fill.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from test_order_support import until
from test_snapshots_order import SIZES, _cart_draft, _settle, quiet_app  # noqa: F401  (quiet_app is a fixture)

OVER_STOCK = [("WDG-BLU-L", 48), ("WDG-RED-M", 24), ("WDG-100-BLU", 12)]  # 500, 20 and 8 on hand


async def _cart(pilot: Pilot, lines: list[tuple[str, int]]) -> None:
    app: Any = pilot.app
    draft = await _cart_draft(pilot, lines)
    app.open_cart(draft.id)
    await until(pilot, lambda: type(app.screen).__name__ == "CartScreen" and app.screen.history_read)
    await _settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_cart_over_stock(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _cart(pilot, OVER_STOCK)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_order_guide(snap_compare: Any, quiet_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _cart(pilot, [("WDG-BLU-L", 48)])
        await pilot.press("f11")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "OrderGuideScreen")
        await _settle(pilot)

    assert snap_compare(quiet_app(), terminal_size=size, run_before=run_before)
