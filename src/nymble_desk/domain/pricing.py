"""Tier prices, quantity breaks, minimum order quantities and increments.

A product has a list price and tier prices ``[{tier, price, atQuantity}]``.  The price
for a customer is, within the customer's tier, the break with the largest
``atQuantity`` at or below the ordered quantity; below every break of the tier, or
with no entry for the tier, it is the list price.  Tier names are compared without
regard to case (``"wholesale"`` matches ``"Wholesale"``).

A quantity is valid when it is at least the minimum and a multiple of the increment
counted from zero (``quantity % increment == 0``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from collections.abc import Iterable

from nymble_desk.domain.money import to_decimal


@dataclass(frozen=True)
class TierPrice:
    tier: str
    price: Decimal
    at_quantity: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "price", to_decimal(self.price))
        if self.at_quantity is None:  # the API may leave it out: the break applies from 1
            object.__setattr__(self, "at_quantity", 1)
        if isinstance(self.at_quantity, bool) or not isinstance(self.at_quantity, int):
            raise TypeError("at_quantity is a whole number")


def _tier_breaks(prices: Iterable[TierPrice], tier: str | None) -> list[TierPrice]:
    if not tier:
        return []
    wanted = tier.strip().casefold()
    return sorted((p for p in prices if p.tier.strip().casefold() == wanted), key=lambda p: p.at_quantity)


def current_break(prices: Iterable[TierPrice], tier: str | None, quantity: int) -> TierPrice | None:
    """The tier break that applies at ``quantity`` (largest at_quantity <= quantity), or None."""
    applicable = [p for p in _tier_breaks(prices, tier) if p.at_quantity <= quantity]
    if not applicable:
        return None
    # With two entries at the same at_quantity, the cheaper one wins.
    top = applicable[-1].at_quantity
    return min((p for p in applicable if p.at_quantity == top), key=lambda p: p.price)


def unit_price(list_price: Decimal, prices: Iterable[TierPrice], tier: str | None, quantity: int) -> Decimal:
    """The unit price for ``quantity`` in ``tier``: the applicable break's price, else the list price."""
    found = current_break(prices, tier, quantity)
    return found.price if found is not None else to_decimal(list_price)


def next_break(
    prices: Iterable[TierPrice], tier: str | None, quantity: int, *, list_price: Decimal | None = None
) -> TierPrice | None:
    """The next break above ``quantity`` that is cheaper than the price paid at ``quantity``,
    for hints such as "buy 48 for $11.75"; None when there is none.

    The price paid now is the applicable break's price; below every break it is
    ``list_price`` when given (an extension of docs/internals.md), otherwise any higher
    break counts as cheaper.
    """
    prices = list(prices)
    now = current_break(prices, tier, quantity)
    paying = now.price if now is not None else (to_decimal(list_price) if list_price is not None else None)
    for p in _tier_breaks(prices, tier):
        if p.at_quantity > quantity and (paying is None or p.price < paying):
            return p
    return None


@dataclass(frozen=True)
class QuantityRule:
    """A product's minimum order quantity and quantity increment.  Values below 1 or None
    (the API sends ``0`` or nothing for "no rule") are read as 1."""

    minimum: int = 1
    increment: int = 1

    def __post_init__(self) -> None:
        for name in ("minimum", "increment"):
            value = getattr(self, name)
            value = 1 if value is None else value
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} is a whole number")
            object.__setattr__(self, name, max(1, value))

    @classmethod
    def of_product(cls, product: object) -> QuantityRule:
        """The rule of an API product (its ``minimum_order_quantity`` and ``quantity_increment``;
        either may be missing, None or 0: no rule)."""
        return cls(getattr(product, "minimum_order_quantity", None) or 1,
                   getattr(product, "quantity_increment", None) or 1)

    @property
    def smallest(self) -> int:
        """The smallest valid quantity: the first multiple of the increment >= the minimum."""
        return -(-self.minimum // self.increment) * self.increment

    def allows(self, quantity: int) -> bool:
        return quantity > 0 and quantity >= self.minimum and quantity % self.increment == 0

    def describe(self, sku: str | None = None) -> str:
        """Plain words: "PART-A1 is sold in multiples of 10 (minimum 10)"."""
        name = sku or "This item"
        if self.increment > 1:
            text = f"{name} is sold in multiples of {self.increment}"
            return f"{text} (minimum {self.minimum})" if self.minimum > 1 else text
        if self.minimum > 1:
            return f"{name} has a minimum order of {self.minimum}"
        return f"{name} is sold in any whole quantity of at least 1"


@dataclass(frozen=True)
class QuantityCheck:
    ok: bool
    reason: str | None = None
    nearest: tuple[int, ...] = ()


def check_quantity(quantity: int, rule: QuantityRule, *, sku: str | None = None) -> QuantityCheck:
    """Is ``quantity`` valid under ``rule``?  When not, ``reason`` says why in plain words
    and ``nearest`` holds the valid quantities just below and just above (below omitted when
    there is none).  A valid quantity gives ``nearest == ()``.  ``sku`` (an extension of
    docs/internals.md) names the product in the reason.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise TypeError("quantity is a whole number")
    if rule.allows(quantity):
        return QuantityCheck(True, None, ())
    smallest = rule.smallest
    if smallest == 1:  # no rule: only a quantity below 1 is wrong
        prefix = f"{sku}: quantity" if sku else "Quantity"
        return QuantityCheck(False, f"{prefix} must be at least 1, not {quantity}", (1,))
    reason = f"{rule.describe(sku)}, not {quantity}"
    if quantity < smallest:
        return QuantityCheck(False, reason, (smallest,))
    below = quantity // rule.increment * rule.increment
    return QuantityCheck(False, reason, (below, below + rule.increment))
