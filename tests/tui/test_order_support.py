"""Shared steps for the order-screen tests (cart, ship-to/PO, checkout), and the pure helpers' tests.

The Pilot helpers drive the real app (E1's shell and lookup, E2's order screens)
from the keyboard alone, counting every key sent.
"""

from __future__ import annotations

import time
from typing import Any
from collections.abc import Callable

from nymble_desk.domain.pricing import QuantityRule
from nymble_desk.tui.screens.quantity import refusal
from nymble_desk.tui.ship_to import address_line, validate_address
from nymble_desk.tui.widgets.line_table import rule_text
from test_shell_support import front


async def until(pilot: Any, cond: Callable[[], object], timeout: float = 20.0) -> None:
    """Let the app run until ``cond()`` holds (generous: CI machines are shared and slow)."""
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "condition not met before the timeout"
        await pilot.pause(0.02)


class Keys:
    """Sends keys through the pilot and counts them."""

    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.count = 0

    async def type(self, text: str) -> None:
        await self.press(*text)

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)


def screen_name(app: Any) -> str:
    """The screen in front once mounted (see ``test_shell_support.front``)."""
    return front(app)


async def open_customer(keys: Keys, app: Any, number: str = "CUST-1042") -> None:
    """From the lookup screen: type the number, wait for the hit, Enter opens the cart."""
    from nymble_desk.tui.widgets.hit_table import HitTable

    await until(keys.pilot, lambda: screen_name(app) == "CustomerLookupScreen")
    await keys.type(number)
    await until(
        keys.pilot,
        lambda: any(number in str(c) for row in _rows(app.screen.query_one("#results", HitTable)) for c in row),
    )
    await keys.press("enter")
    await until(keys.pilot, lambda: screen_name(app) == "CartScreen")


def _rows(table: Any) -> list[list[Any]]:
    return [table.get_row(key) for key in table.keys]


async def add_entry(keys: Keys, app: Any, text: str, *, expect_sku: str | None = None, qty: int | None = None) -> None:
    """Type an entry and Enter; wait until the line shows ``qty`` (or the message changes)."""
    from nymble_desk.tui.widgets.line_table import LineTable

    await keys.type(text)
    await keys.press("enter")
    if expect_sku is not None:
        table = app.screen.query_one(LineTable)
        await until(
            keys.pilot,
            lambda: expect_sku in table.rows and (qty is None or str(table.get_row(expect_sku)[2]) == str(qty)),
        )
        await until(keys.pilot, lambda: app.screen.query_one("#entry").value == "")


def entry_message(app: Any) -> str:
    return str(app.screen.query_one("#entry-message").render())


# -- the pure helpers of the order screens ---------------------------------------------


def test_refusal_offers_the_valid_neighbours() -> None:
    assert refusal("PART-A1", QuantityRule(10, 10), 15) == "PART-A1: minimum 10, multiples of 10. Try 10 or 20"
    assert refusal("PART-B3", QuantityRule(25, 25), 5) == "PART-B3: minimum 25, multiples of 25. Try 25"


def test_rule_text_is_short_and_empty_without_a_rule() -> None:
    assert rule_text(10, 10) == "min 10 x10"
    assert rule_text(1, 1) == ""
    assert rule_text(1, 6) == "x6"


def test_address_validation_names_each_missing_field() -> None:
    problems = validate_address(
        {"address1": "1 Main", "city": "", "stateProvince": "TX", "postalCode": "", "country": "USA"}
    )
    assert [f for f, _ in problems] == ["city", "postalCode", "country"]
    assert "City is required" in [m for _, m in problems]
    assert address_line({"address1": "1 Main", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
                         "country": "US"}) == "1 Main, Austin TX 78701 US"


def test_refusal_counts_what_is_already_in_the_cart() -> None:
    # 20 in the cart, 15 more typed: 35 is wrong; adding 10 or 20 makes 30 or 40
    text = refusal("PART-A1", QuantityRule(10, 10), 15, already=20)
    assert text == "PART-A1: minimum 10, multiples of 10. Try 10 or 20 (20 already in the cart)"
    assert refusal("PART-A1", QuantityRule(10, 10), 5, already=20) == (
        "PART-A1: minimum 10, multiples of 10. Try 10 (20 already in the cart)"
    )
