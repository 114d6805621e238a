"""Money as the Nymble Commerce API writes it: Decimal amounts, ISO 4217 codes.

Formatting follows the API's ``*Formatted`` fields: ``"$1,234.50"``, negative
``"-$12.00"``.  Known symbols are USD ``$``, CAD ``CA$``, EUR ``€`` and GBP ``£``;
any other currency is written with its code: ``"JPY 1,235"``, ``"-CHF 3.00"``.

Amounts are always :class:`~decimal.Decimal`.  Floats are refused everywhere: a
float has already lost the cents it was meant to hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from collections.abc import Iterable

SYMBOLS: dict[str, str] = {"USD": "$", "CAD": "CA$", "EUR": "€", "GBP": "£"}

# ISO 4217 minor units that differ from the usual two.
_MINOR_UNITS: dict[str, int] = {
    "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "LYD": 3, "IQD": 3,
}

_CODE_RE = re.compile(r"^[A-Z]{3}$")


def _code(currency: str) -> str:
    code = (currency or "").strip().upper()
    if not _CODE_RE.match(code):
        raise ValueError(f"{currency!r} is not a three-letter currency code")
    return code


def minor_units(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (2 unless ISO says otherwise)."""
    return _MINOR_UNITS.get(_code(currency), 2)


def to_decimal(value: Decimal | int | str) -> Decimal:
    """A Decimal from an int, a Decimal or a numeric string; floats are refused."""
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    elif isinstance(value, float):
        raise TypeError("money is never a float: pass a Decimal, an int or a string")
    else:
        raise TypeError(f"cannot use {type(value).__name__} as an amount")
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite amount")
    return result


def quantize(amount: Decimal | int | str, currency: str = "USD") -> Decimal:
    """Round ``amount`` half-up to the currency's minor units (``Decimal("2.345")`` -> ``2.35``)."""
    exp = Decimal(1).scaleb(-minor_units(currency))
    result = to_decimal(amount).quantize(exp, rounding=ROUND_HALF_UP)
    return result if result else abs(result)  # never "-0.00"


def to_minor(amount: Decimal | int | str, currency: str = "USD") -> int:
    """Integer minor units (cents for USD), rounding half-up: ``12.345`` -> ``1235``."""
    return int(quantize(amount, currency).scaleb(minor_units(currency)))


def from_minor(units: int, currency: str = "USD") -> Decimal:
    """The Decimal amount for integer minor units: ``1235`` -> ``Decimal("12.35")``."""
    if isinstance(units, bool) or not isinstance(units, int):
        raise TypeError("minor units are an int")
    return quantize(Decimal(units).scaleb(-minor_units(currency)), currency)


def format_money(amount: Decimal | int | str, currency: str = "USD") -> str:
    """``Decimal("1234.5")`` -> ``"$1,234.50"``; ``Decimal("-12")`` -> ``"-$12.00"``."""
    code = _code(currency)
    value = quantize(amount, code)
    places = minor_units(code)
    digits = f"{abs(value):,.{places}f}"
    sign = "-" if value < 0 else ""
    symbol = SYMBOLS.get(code)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{code} {digits}"


_PARSE_RE = re.compile(
    r"""^(?P<sign1>[-+])?\s*
        (?:(?P<code>[A-Z]{3})\s*|(?P<sym>CA\$|C\$|US\$|\$|€|£))?\s*
        (?P<sign2>[-+])?\s*
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)
        \s*(?P<tail>[A-Z]{3})?$""",
    re.VERBOSE,
)


def parse_money(text: str) -> Decimal:
    """Read an amount back from text such as ``"$1,234.50"``, ``"-$12.00"``, ``"($12.00)"``,
    ``"CA$5"``, ``"€3.10"``, ``"USD 1,234.50"``, ``"1234.5"`` or ``"12.00 EUR"``.

    Returns the Decimal as written (not rounded); raises ValueError on anything else.
    Thousands separators must be in the right places (``"1,23"`` is refused).
    """
    if not isinstance(text, str):
        raise TypeError("parse_money reads text")
    raw = text.strip()
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        raw, negative = raw[1:-1].strip(), True
    m = _PARSE_RE.match(raw.upper())
    if not m or (m["sign1"] and m["sign2"]) or (m["code"] and m["tail"]):
        raise ValueError(f"{text!r} is not an amount of money")
    if negative and (m["sign1"] or m["sign2"]):
        raise ValueError(f"{text!r} is not an amount of money")
    value = Decimal(m["num"].replace(",", ""))
    if negative or "-" in (m["sign1"] or "", m["sign2"] or ""):
        value = -value
    return value if value else abs(value)


@dataclass(frozen=True)
class Money:
    """An amount in one currency.  ``+`` and ``-`` refuse to mix currencies; ``*`` takes a
    whole number or a Decimal; ``sum()`` works (it starts from ``0``).  Amounts are kept
    exact; :attr:`formatted` and :meth:`quantized` round to minor units."""

    amount: Decimal
    currency: str = "USD"

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        object.__setattr__(self, "currency", _code(self.currency))

    @classmethod
    def zero(cls, currency: str = "USD") -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def parse(cls, text: str, currency: str = "USD") -> Money:
        return cls(parse_money(text), currency)

    @property
    def formatted(self) -> str:
        return format_money(self.amount, self.currency)

    @property
    def minor(self) -> int:
        return to_minor(self.amount, self.currency)

    def quantized(self) -> Money:
        return Money(quantize(self.amount, self.currency), self.currency)

    def _same(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot {op} {self.currency} and {other.currency}")
        return other

    def __add__(self, other: object) -> Money:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # lets sum() start from 0
        return Money(self.amount + self._same(other, "add").amount, self.currency)

    def __radd__(self, other: object) -> Money:
        return self.__add__(other)

    def __sub__(self, other: object) -> Money:
        return Money(self.amount - self._same(other, "subtract").amount, self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, (int, Decimal)):
            raise TypeError("Money is multiplied by an int or a Decimal")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __lt__(self, other: object) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: object) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: object) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: object) -> bool:
        return self.amount >= self._same(other, "compare").amount

    def __str__(self) -> str:
        return self.formatted


def sum_money(items: Iterable[Money], currency: str = "USD") -> Money:
    """Sum that also works for an empty iterable (returns zero in ``currency``)."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total
