"""Discounts (lifecycle page, "Discounts"): what a ``{code, type, value, description}`` takes off.

All arithmetic is in integer minor units, as the rest of the sandbox stores money.

* Line level: ``Fixed`` takes ``value`` off the line, at most the line's subtotal
  (``price * quantity``); ``Percentage`` takes ``value``% (0-100) of the line's
  subtotal, rounded half-up to the minor unit.
* Order level: the same, on the order subtotal after the line discounts.
* The order's ``discountAmount`` is everything deducted (its lines' discounts plus the
  order-level one), so ``orderTotal = subtotal - discountAmount + tax + shipping``
  with ``subtotal`` the sum of the lines' ``subTotal`` (before any discount).
* The invoice generated first from an order carries that total as its ``discountAmount``
  (at most its own subtotal) and the order-level discount object.

A discount is stored as JSON text (``discount_spec`` columns) in its wire shape,
with ``value`` as a decimal string so nothing passes through a float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from nymble_desk.sandbox.records import cents, dumps, loads

HUNDRED = Decimal(100)


def spec(discount: Any) -> dict[str, Any] | None:
    """A request body's discount (``DiscountIn``) as the dict stored and shown; None stays None."""
    if discount is None:
        return None
    return {"code": discount.code, "type": discount.type, "value": str(discount.value),
            "description": discount.description}


def amount_off(discount: dict[str, Any] | None, base: int, currency: str) -> int:
    """Minor units taken off ``base`` (minor units) by ``discount``: never negative, never above ``base``."""
    if discount is None or base <= 0:
        return 0
    value = Decimal(str(discount["value"]))
    if discount["type"] == "Percentage":
        off = int((Decimal(base) * value / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    else:
        off = cents(value, currency)
    return max(0, min(off, base))


def stored(discount: dict[str, Any] | None) -> str | None:
    return dumps(discount)


def render(text: str | None) -> dict[str, Any] | None:
    """The stored JSON as the wire object (``value`` a Decimal, a JSON number on the wire)."""
    data = loads(text)
    if not data:
        return None
    return {"code": data.get("code"), "type": data.get("type"), "value": Decimal(str(data.get("value", "0"))),
            "description": data.get("description")}

