"""Card rules, pure: the Luhn check, the expiry, the CVV, the card's type.

One rule on both sides: the checkout screen checks a card with these before it is sent, and the
sandbox refuses with the same rules. Nothing here keeps a card number: every function takes the
text and answers about it.
"""

from __future__ import annotations

from datetime import datetime, UTC
from typing import Literal

CardField = Literal["number", "holder", "month", "year", "cvv"]

MIN_DIGITS = 12
MAX_DIGITS = 19


def card_digits(number: str) -> str | None:
    """The digits of a card number typed with spaces or dashes; None when anything else is in it."""
    if any(not (c.isdigit() or c in " -") for c in number):
        return None
    return "".join(c for c in number if c.isdigit())


def luhn_valid(digits: str) -> bool:
    """12 to 19 digits (nothing else) whose Luhn check digit is right."""
    if not digits.isdigit() or not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_ok(number: str) -> bool:
    """A card number as typed (spaces and dashes allowed) that passes the Luhn check."""
    digits = card_digits(number)
    return digits is not None and luhn_valid(digits)


def expiry_year(text: str) -> int | None:
    """``"28"`` -> 2028, ``"2028"`` -> 2028; None for anything else."""
    if not text.isdigit() or len(text) not in (2, 4):
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def expired(year: int, month: int, now: datetime | None = None) -> bool:
    """A card is good through the last day of its expiry month."""
    now = now or datetime.now(UTC)
    return (year, month) < (now.year, now.month)


def card_type(digits: str) -> str:
    """Visa, Amex, Mastercard, Discover or Card, from the leading digits."""
    if digits.startswith("4"):
        return "Visa"
    if digits[:2] in ("34", "37"):
        return "Amex"
    if digits[:2].isdigit() and 51 <= int(digits[:2]) <= 55:
        return "Mastercard"
    if digits[:4].isdigit() and len(digits) >= 4 and 2221 <= int(digits[:4]) <= 2720:
        return "Mastercard"
    if digits.startswith(("6011", "65")):
        return "Discover"
    return "Card"


def card_problems(number: str, holder: str, month: str, year: str, cvv: str,
                  now: datetime | None = None) -> list[tuple[CardField, str]]:
    """[(field, plain message)] for a card that must not be sent; [] for one that may."""
    problems: list[tuple[CardField, str]] = []
    if not luhn_ok(number):
        problems.append(("number", "Card number is not valid (check the digits)"))
    if not holder.strip():
        problems.append(("holder", "Cardholder name is required"))
    month_ok = month.isdigit() and 1 <= int(month) <= 12
    if not month_ok:
        problems.append(("month", "Expiry month: 1 to 12"))
    full_year = expiry_year(year)
    if full_year is None:
        problems.append(("year", "Expiry year: YYYY"))
    elif month_ok and expired(full_year, int(month), now):
        problems.append(("month", "The card has expired"))
    if not (cvv.isdigit() and len(cvv) in (3, 4)):
        problems.append(("cvv", "CVV: 3 or 4 digits"))
    return problems
