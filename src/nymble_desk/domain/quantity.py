"""The one rule for a quantity a rep types: entry line, quantity dialog, order edit (and the importer).

``parse_quantity("1,000") == 1000``. Accepted: a whole number written with digits, optionally
grouped in threes by commas (``1,000``, ``12,500``) or by spaces/underscores as some keyboards and
spreadsheets paste them (``12 500``), surrounded by spaces. Refused with a :class:`QuantityError` that
names the field and says why, in plain words: empty text, signs, decimals, letters, badly grouped
separators (``1,00``), and anything above :data:`MAX_QUANTITY` (99,999, what a cart line holds) or
below the allowed minimum (1, or 0 where 0 means "remove the line").

The length is checked before ``int()`` runs, so a 24-digit paste is refused as "too large" and never
reaches SQLite as an integer it cannot store.
"""

from __future__ import annotations

import re
from typing import NoReturn

from nymble_desk.errors import QuantityError as QuantityError  # re-exported; defined in errors

#: the largest quantity one line may hold (five digits; a UPC is 8, 12 or 13 digits, so never a quantity)
MAX_QUANTITY = 99_999

_GROUPED = re.compile(r"^\d{1,3}(?:([,_ ])\d{3})?(?:\1\d{3})*$")


def _label(field: str) -> str:
    return field[:1].upper() + field[1:]


def parse_quantity(text: str, *, field: str = "quantity", allow_zero: bool = False,
                   maximum: int = MAX_QUANTITY) -> int:
    """The whole number in ``text``; raises :class:`QuantityError` naming ``field``.

    ``allow_zero`` accepts 0 (the quantity dialog's "remove the line")."""
    if not isinstance(text, str):
        raise TypeError("parse_quantity reads text")
    label = _label(field)
    lowest = 0 if allow_zero else 1
    wanted = f"a whole number from {lowest} to {maximum:,}"
    stripped = text.strip()
    if not stripped:
        raise QuantityError(f"{label}: type {wanted}", field, f"is required: {wanted}")
    if not (stripped.isascii() and (stripped.isdigit() or _GROUPED.match(stripped))):
        _refuse(label, field, f"must be {wanted}, not {stripped!r}")
    digits = re.sub(r"[,_ ]", "", stripped).lstrip("0") or "0"
    if len(digits) > 15:  # never handed to int() and a database as it is: named by its length
        _refuse(label, field, f"must be at most {maximum:,} (got a {len(digits)}-digit number)")
    value = int(digits)
    if value > maximum:
        _refuse(label, field, f"must be at most {maximum:,}, not {value:,}")
    if value < lowest:
        _refuse(label, field, f"must be at least {lowest}, not {value}")
    return value


def _refuse(label: str, field: str, reason: str) -> NoReturn:
    raise QuantityError(f"{label} {reason}", field, reason)


def check_total(already: int, adding: int, *, field: str = "quantity", maximum: int = MAX_QUANTITY) -> int:
    """``already + adding`` when a line may hold it; raises :class:`QuantityError` when the merged
    line would pass ``maximum`` (an entry adds to the line already in the cart)."""
    total = already + adding
    if total > maximum:
        raise QuantityError(
            f"{_label(field)}: {already:,} already in the cart + {adding:,} = {total:,}, "
            f"over the {maximum:,} a line holds", field)
    return total
