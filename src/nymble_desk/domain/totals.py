"""Order totals: line subtotals, an order discount, tax and shipping.

* A line's ``subtotal`` is ``quantity * unit_price`` (the API's item ``subTotal``:
  before the line's own discount); its ``net`` is ``subtotal - discount_amount``.
* The order ``subtotal`` is the sum of the lines' ``net`` amounts.
* A ``Percentage`` discount takes ``value`` percent of the order subtotal, rounded
  half-up to minor units; a ``Fixed`` discount takes ``value`` but never more than the
  subtotal.  So the discount never makes the total of the goods negative.
* Tax and shipping are amounts (the API sends them as numbers), not rates.
* ``total = subtotal - discount_amount + tax + shipping``; every figure is quantized.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol
from collections.abc import Iterable

from nymble_desk.domain.money import format_money, quantize, to_decimal

DiscountType = Literal["Fixed", "Percentage"]


@dataclass(frozen=True)
class Discount:
    type: DiscountType
    value: Decimal
    code: str | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        kind = str(self.type).strip().capitalize()
        if kind not in ("Fixed", "Percentage"):
            raise ValueError(f"discount type must be Fixed or Percentage, not {self.type!r}")
        object.__setattr__(self, "type", kind)
        value = to_decimal(self.value)
        if value < 0:
            raise ValueError(f"a discount cannot be negative ({value})")
        if kind == "Percentage" and value > 100:
            raise ValueError(f"a percentage discount cannot exceed 100 ({value})")
        object.__setattr__(self, "value", value)

    def amount_for(self, subtotal: Decimal, currency: str = "USD") -> Decimal:
        """The discount on ``subtotal``: never negative, never more than the subtotal."""
        base = max(Decimal(0), to_decimal(subtotal))
        if self.type == "Percentage":
            amount = quantize(base * self.value / Decimal(100), currency)
        else:
            amount = quantize(self.value, currency)
        return min(amount, quantize(base, currency))


class LineLike(Protocol):
    @property
    def quantity(self) -> int: ...
    @property
    def unit_price(self) -> Decimal: ...


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    unit_price: Decimal
    discount_amount: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise TypeError("quantity is a whole number")
        object.__setattr__(self, "unit_price", to_decimal(self.unit_price))
        object.__setattr__(self, "discount_amount", to_decimal(self.discount_amount))

    @property
    def subtotal(self) -> Decimal:
        """``quantity * unit_price``, exact (quantize for display with the order's currency)."""
        return self.quantity * self.unit_price

    @property
    def net(self) -> Decimal:
        return self.subtotal - self.discount_amount


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_amount: Decimal
    tax: Decimal
    shipping: Decimal
    total: Decimal
    currency: str = "USD"

    def formatted(self, field: str) -> str:
        """``totals.formatted("total")`` -> ``"$479.30"``."""
        return format_money(getattr(self, field), self.currency)


def line_net(line: LineLike, currency: str = "USD") -> Decimal:
    """A line's amount after its own discount, quantized.  Accepts any object with
    ``quantity`` and ``unit_price`` (and optionally ``discount_amount``), e.g. a draft line."""
    gross = to_decimal(line.quantity) * to_decimal(line.unit_price)
    discount = to_decimal(getattr(line, "discount_amount", None) or Decimal(0))
    return quantize(gross - discount, currency)


def compute_totals(
    lines: Iterable[LineLike],
    *,
    discount: Discount | None = None,
    tax: Decimal = Decimal(0),
    shipping: Decimal = Decimal(0),
    currency: str = "USD",
) -> Totals:
    """Totals for ``lines`` (see the module docstring for the rules)."""
    subtotal = quantize(sum((line_net(line, currency) for line in lines), Decimal(0)), currency)
    tax_q, shipping_q = quantize(tax, currency), quantize(shipping, currency)
    if tax_q < 0:
        raise ValueError(f"tax cannot be negative ({tax_q})")
    if shipping_q < 0:
        raise ValueError(f"shipping cannot be negative ({shipping_q})")
    discount_amount = discount.amount_for(subtotal, currency) if discount else quantize(0, currency)
    total = quantize(subtotal - discount_amount + tax_q + shipping_q, currency)
    return Totals(subtotal, discount_amount, tax_q, shipping_q, total, currency.upper())
