"""Available credit and the warning before a terms checkout breaks it (pure).

``available = credit limit - balance - open orders not yet invoiced``.  The inputs are
what the API tells (docs/order-terms.md names the fields): the customer's ``creditLimit``,
``balance`` (what its live invoices still owe) and ``creditHold``; the orders part is the
not-yet-invoiced remainder of the customer's open orders the desk has read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nymble_desk.domain.money import format_money, quantize


@dataclass(frozen=True)
class Credit:
    limit: Decimal | None  # None: the API gave no limit (nothing to check against)
    balance: Decimal = Decimal(0)
    uninvoiced: Decimal = Decimal(0)
    on_hold: bool = False
    currency: str = "USD"

    @property
    def available(self) -> Decimal | None:
        if self.limit is None:
            return None
        return quantize(self.limit - self.balance - self.uninvoiced, self.currency)

    def over_by(self, order_total: Decimal) -> Decimal:
        """How much ``order_total`` exceeds the available credit (0 when it fits or there is no limit)."""
        available = self.available
        if available is None:
            return Decimal(0)
        return max(Decimal(0), quantize(order_total - available, self.currency))


@dataclass(frozen=True)
class CreditWarning:
    """Why a terms checkout needs a reason: ``over`` is the amount over the available credit."""

    message: str
    over: Decimal
    on_hold: bool

    def note(self, reason: str) -> str:
        """The line recorded in the order's notes when the rep proceeds."""
        return f"Credit override ({self.message}): {reason.strip()}"


def credit_warning(credit: Credit, order_total: Decimal, *, on_terms: bool) -> CreditWarning | None:
    """The warning before placing ``order_total`` on the customer's terms; None when it fits (or a card pays)."""
    if not on_terms:
        return None
    over = credit.over_by(order_total)
    def money(amount: Decimal) -> str:
        return format_money(amount, credit.currency)

    parts = []
    if credit.on_hold:
        parts.append("customer ON HOLD")
    if over > 0:
        available = credit.available if credit.available is not None else Decimal(0)
        parts.append(f"{money(over)} over credit (available {money(available)}, order {money(order_total)})")
    if not parts:
        return None
    return CreditWarning("; ".join(parts), over, credit.on_hold)
