"""The quick-entry grammar of the cart screen: what a rep types or a scanner sends.

Accepted forms (surrounding spaces ignored, spaces around ``*`` and ``x`` allowed)::

    WDG-BLU-L            a SKU alone                 -> Entry("WDG-BLU-L", None, False)
    WDG-BLU-L*12         SKU*QTY                     -> Entry("WDG-BLU-L", 12, False)
    12*WDG-BLU-L         QTY*SKU                     -> Entry("WDG-BLU-L", 12, False)
    WDG-BLU-L 12         SKU QTY                     -> Entry("WDG-BLU-L", 12, False)
    WDG-BLU-L x 12       SKU x QTY (x or X or ×)     -> Entry("WDG-BLU-L", 12, False)
    012345678905         a UPC: 8, 12 or 13 digits   -> Entry("012345678905", 1, True)
    012345678905*3       a UPC with a quantity       -> Entry("012345678905", 3, True)

How the two sides of a pair are told apart:

1. A side of exactly 8, 12 or 13 digits is a UPC (a quantity never has more than
   5 digits, since quantities stop at 99,999).
2. Otherwise a digits-only side is the quantity when the other side has a letter or
   a dash (so it is a SKU), whichever order they come in.
3. Anything else is ambiguous and refused with a plain message: ``12*34`` (two
   numbers, neither a UPC: which is the SKU?), ``A1*B2`` (two SKUs), two UPCs.
   A bare number that is not UPC-sized (``12345``) is read as a numeric SKU.

SKUs are upper-cased and may hold letters, digits and ``- _ . /``.  Quantities are
whole numbers from 1 to 99,999 (``1,000`` reads as 1000), by the one rule of
:mod:`nymble_desk.domain.quantity`.  A SKU alone has no quantity (``None``: the caller
picks the product's smallest valid quantity); a UPC alone means one scan, quantity 1.
Whether a UPC-shaped code is really a UPC or an 8-digit SKU is for the product lookup
to decide (the API's product lookup matches both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nymble_desk.domain.quantity import MAX_QUANTITY, QuantityError, parse_quantity
from nymble_desk.errors import EntryError as EntryError  # re-exported; defined in errors

__all__ = ["MAX_QUANTITY", "Entry", "EntryError", "is_upc", "parse_entry"]

UPC_LENGTHS = (8, 12, 13)

_SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_NUMBERISH_RE = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)$")
_X_SEPARATORS = {"x", "X", "×"}
MAX_SKU_LENGTH = 64


@dataclass(frozen=True)
class Entry:
    code: str
    quantity: int | None
    is_upc: bool


def is_upc(token: str) -> bool:
    return token.isascii() and token.isdigit() and len(token) in UPC_LENGTHS


def _is_digits(token: str) -> bool:
    return token.isascii() and token.isdigit()


def _check_sku(token: str) -> str:
    if len(token) > MAX_SKU_LENGTH:
        raise EntryError(f"A SKU has at most {MAX_SKU_LENGTH} characters; this one has {len(token)}")
    if not _SKU_RE.match(token):
        raise EntryError(f"{token!r} is not a SKU: use letters, digits and - _ . / only")
    return token.upper()


def _quantity(token: str) -> int:
    try:
        return parse_quantity(token)  # the one quantity rule (domain/quantity.py): 1,000 reads as 1000
    except QuantityError as exc:
        raise EntryError(exc.message, exc.field) from None


def _pair(text: str, a: str, b: str) -> Entry:
    if not a or not b:
        raise EntryError(f"Type a SKU and a quantity on both sides of '*' (got {text!r})")
    if is_upc(a) and is_upc(b):
        raise EntryError(f"{text!r} has two UPCs: scan one at a time")
    for code, qty in ((a, b), (b, a)):
        if is_upc(code) and not is_upc(qty):
            return Entry(code, _quantity(qty), True)
    a_qty, b_qty = _NUMBERISH_RE.match(a), _NUMBERISH_RE.match(b)
    if a_qty and b_qty:
        raise EntryError(
            f"{text!r} is ambiguous: both sides are numbers, so which is the SKU? "
            "Type a number-only SKU alone, then change its quantity"
        )
    if not a_qty and not b_qty:
        raise EntryError(f"{text!r} has no quantity: write it as SKU*QTY, e.g. {a.upper()}*2")
    sku, qty = (b, a) if a_qty else (a, b)
    return Entry(_check_sku(sku), _quantity(qty), False)


def parse_entry(text: str) -> Entry:
    """Read one quick entry; raises :class:`EntryError` on empty or ambiguous input."""
    if not isinstance(text, str):
        raise TypeError("parse_entry reads text")
    stripped = text.strip()
    if not stripped:
        raise EntryError("Type a SKU (optionally with *quantity) or scan a UPC")
    if "*" in stripped:
        parts = stripped.split("*")
        if len(parts) != 2:
            raise EntryError(f"Use one '*' between the SKU and the quantity (got {stripped!r})")
        a, b = parts[0].strip(), parts[1].strip()
        if any(ch.isspace() for ch in a + b):
            raise EntryError(f"{stripped!r} has spaces inside a SKU or quantity")
        return _pair(stripped, a, b)
    tokens = stripped.split()
    if len(tokens) == 3 and tokens[1] in _X_SEPARATORS:
        tokens = [tokens[0], tokens[2]]
    if len(tokens) == 2:
        return _pair(stripped, tokens[0], tokens[1])
    if len(tokens) > 2:
        raise EntryError(f"Could not read {stripped!r}: type SKU, SKU*QTY, QTY*SKU or SKU QTY")
    token = tokens[0]
    if is_upc(token):
        return Entry(token, 1, True)
    if _NUMBERISH_RE.match(token) and not _is_digits(token):
        raise EntryError(f"{token!r} is a number, not a SKU: type the SKU, then *quantity")
    return Entry(_check_sku(token), None, False)
