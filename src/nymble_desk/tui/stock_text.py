"""Stock and last-price words shared by the cart, the checkout and the order guide.

Stock is what the local index last read (``quantityOnHand``), so it always comes with
its age ("as of 2 min"). A line over stock is marked with "!" (never colour alone) and
named with what was asked and what is on hand; it is never refused (a backorder is the
rep's call).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from nymble_desk.domain.money import format_money
from nymble_desk.tui.age_text import coarse_age

if TYPE_CHECKING:
    from nymble_desk.sync.history import GuideItem, StockLevel

#: the mark beside a stock figure that is short of the line's quantity
SHORT = "!"


def as_of(moment: datetime | None, now: datetime | None = None) -> str:
    """ "as of now", "as of 2 min", "as of 3 h", "as of 2 d"; "age unknown" without a time."""
    if moment is None:
        return "age unknown"
    age = coarse_age(moment, now)
    if age is None:
        return "as of now"
    n, unit = age
    return f"as of {n} {'min' if unit == 'm' else unit}"


def stock_cell(level: StockLevel | None, quantity: int) -> str:
    """The cart's stock cell: "500", "20!" when the line asks for more; "" when unknown."""
    if level is None:
        return ""
    return f"{level.on_hand:,}{SHORT if level.short_of(quantity) else ''}"


def short_lines(lines: Iterable[tuple[str, int]], stock: Mapping[str, StockLevel]) -> list[tuple[str, int, int]]:
    """(SKU, asked, on hand) of each line that asks for more than is on hand."""
    out = []
    for sku, quantity in lines:
        level = stock.get(sku)
        if level is not None and level.short_of(quantity):
            out.append((sku, quantity, level.on_hand))
    return out


def short_warning(short: list[tuple[str, int, int]], stock: Mapping[str, StockLevel],
                  now: datetime | None = None) -> str | None:
    """ "! Over stock (as of 2 min): WDG-RED-M 24 asked, 20 on hand; ..." or None when none is short."""
    if not short:
        return None
    age = as_of(_oldest(stock[sku] for sku, _, _ in short), now)
    named = "; ".join(f"{sku} {asked:,} asked, {on_hand:,} on hand" for sku, asked, on_hand in short)
    return f"! Over stock ({age}): {named}. Backorder or change the quantity"


def stock_note(lines: Iterable[tuple[str, int]], stock: Mapping[str, StockLevel],
               now: datetime | None = None) -> str | None:
    """The totals bar's stock words: "Stock as of 2 min" or "! 2 over stock, as of 2 min"; None when unknown."""
    lines = list(lines)
    known = [stock[sku] for sku, _ in lines if sku in stock]
    if not known:
        return None
    age = as_of(_oldest(known), now)
    short = short_lines(lines, stock)
    return f"! {len(short)} over stock, {age}" if short else f"Stock {age}"


def _oldest(levels: Iterable[StockLevel]) -> datetime | None:
    ages = [level.as_of for level in levels if level.as_of is not None]
    return min(ages) if ages else None


def last_paid(item: GuideItem | None, currency: str) -> str:
    """ "$11.75 on 2025-09-08" (the last price this customer paid and when), or ""."""
    if item is None:
        return ""
    return f"{format_money(item.last_price, item.currency or currency)} on {item.last_date.date().isoformat()}"
