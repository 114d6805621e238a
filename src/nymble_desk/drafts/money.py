"""Integer minor units for storage (sqlite3 cannot bind Decimal; floats are never used)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK", "XAF", "XOF"}


def _exp(currency: str) -> int:
    return 0 if currency.upper() in _ZERO_DECIMAL else 2


def to_minor(amount: Decimal, currency: str) -> int:
    exp = _exp(currency)
    return int((Decimal(amount) * (10**exp)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor(units: int, currency: str) -> Decimal:
    exp = _exp(currency)
    return (Decimal(units) / (10**exp)).quantize(Decimal(1).scaleb(-exp))
