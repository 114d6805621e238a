"""One order to import: its create-order payload, where it came from, what is wrong with it.

Payloads are plain dicts in the Orders API's create shape (camelCase keys).  Money
values in them are :class:`~decimal.Decimal` (never float); the API client's wire
encoder writes them as exact JSON numbers, :func:`jsonable` as exact text.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, UTC
from decimal import Decimal
from functools import lru_cache
from typing import Any

from nymble_desk.domain.money import parse_money
from nymble_desk.domain.quantity import QuantityError, parse_quantity

EXTERNAL_ID_PREFIX = "IMP-"

# Field names of the create-order shape (and what nests in it), for matching keys
# case-insensitively as the API does ("PONumber" -> "poNumber").
KNOWN_KEYS = (
    "customer orderType poNumber priceTier currencyCode primarySalesRep items user shippingDetails "
    "takenBySalesRep terms notes orderStatus channel externalId tax originationCartId orderNumber orderDate "
    "customerNumber companyName companyEmail companyPhone companyFax billingAddress shippingAddress "
    "address1 address2 city stateProvince zipPostalCode country name phone email "
    "repNumber firstName lastName fullName phoneNumber userId userType method total "
    "sku productName quantity price discount discountAmount code type value description"
).split()
CANONICAL = {k.lower(): k for k in KNOWN_KEYS}
# Plain amounts as files usually hold them ("12.50"): read as Decimal directly, as parse_money
# would read them; anything else ("$1,234.50", "12.") goes through parse_money.
_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
ORDER_KEYS = frozenset(KNOWN_KEYS[: KNOWN_KEYS.index("customerNumber")])


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, not CSV/JSON, required columns absent)."""


@dataclass(frozen=True)
class RowError:
    """One thing wrong with an order, naming the field and the source line."""

    field: str
    message: str
    line: int | None = None
    source: str = ""

    def __str__(self) -> str:
        where = f"{self.source} line {self.line}" if self.line is not None else self.source
        return f"{where}: {self.field}: {self.message}" if where else f"{self.field}: {self.message}"


@dataclass(frozen=True)
class ImportRow:
    """One order of the file.  ``lines`` are the source lines it came from (CSV rows, or the
    line where the JSON object starts); ``derived_id`` is true when the file gave no
    externalId and one was made from the content."""

    external_id: str
    payload: dict[str, Any]
    source: str
    lines: tuple[int, ...]
    errors: tuple[RowError, ...] = ()
    derived_id: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0


@dataclass
class Problems:
    """Collects :class:`RowError` s for one order."""

    source: str
    errors: list[RowError] = field(default_factory=list)

    def add(self, field_name: str, message: str, line: int | None) -> None:
        self.errors.append(RowError(field_name, message, line, self.source))


def text_value(value: Any) -> str | None:
    """A trimmed string, or None for empty/missing."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ValueError("must be text, not a list or an object")
    text = str(value).strip()
    return text or None


# A file's cells repeat a few quantities and prices: each text is read once (the answers are immutable).
@lru_cache(maxsize=4096)
def _plain_quantity(text: str) -> int:
    """Plain digits, 1 to 99,999: what parse_quantity answers for them, without its checks; else 0."""
    return int(text) if 0 < len(text) <= 5 and text.isascii() and text.isdigit() else 0


@lru_cache(maxsize=4096)
def _plain_amount(text: str) -> Decimal | None:
    """Digits, maybe a fraction: what amount_value answers for them, without its checks; else None."""
    return Decimal(text) if _PLAIN_AMOUNT.fullmatch(text) else None


def quantity_value(value: Any) -> int:
    """A quantity by the desk's one rule (``domain.quantity``: 1 to 99,999, ``1,000`` accepted),
    from an int, a whole Decimal (``12.0`` in JSON) or text; a ``ValueError`` says why not."""
    if type(value) is str and (quantity := _plain_quantity(value)):
        return quantity
    if isinstance(value, bool) or value is None:
        raise ValueError("is required: a whole number from 1 to 99,999")
    if isinstance(value, float):
        raise ValueError("must be a whole number")
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise ValueError(f"must be a whole number from 1 to 99,999, not {str(value)!r}")
        text = format(value.quantize(Decimal(1)) if value.adjusted() < 16 else value, "f")
    else:
        text = re.sub(r"\.0+$", "", str(value).strip())  # "12.0" from a spreadsheet is 12
    try:
        return parse_quantity(text)
    except QuantityError as exc:
        raise ValueError(exc.reason) from None


def amount_value(value: Any) -> Decimal:
    """A non-negative Decimal amount from a Decimal, an int or text such as "12.50" / "$12.50"."""
    if type(value) is str and (amount := _plain_amount(value)) is not None:
        return amount
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("is required: an amount such as 12.50")
    if isinstance(value, float):
        raise ValueError("must be an exact decimal amount")
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, str) and _PLAIN_AMOUNT.fullmatch(plain := value.strip()):
        return Decimal(plain)  # digits, maybe a fraction: finite and not negative
    else:
        try:
            amount = parse_money(str(value))
        except ValueError:
            raise ValueError(f"must be an amount such as 12.50, not {str(value).strip()!r}") from None
    if not amount.is_finite():
        raise ValueError("must be a finite amount")
    if amount < 0:
        raise ValueError(f"cannot be negative ({amount})")
    return amount


def order_date_value(value: Any) -> str:
    """ISO-8601 date or date-time -> ``YYYY-MM-DDTHH:MM:SSZ`` in UTC.  A date alone is
    midnight UTC; a time without an offset is read as UTC."""
    return _utc_text(str(value).strip())


@lru_cache(maxsize=4096)  # a file's orders share few dates: each is read once
def _utc_text(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueError(f"must be a date such as 2023-06-15 or 2023-06-15T09:30:00Z, not {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _canonical_number(amount: Any) -> str:
    if isinstance(amount, Decimal):
        text = format(amount.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    return str(amount)


def derive_external_id(payload: dict[str, Any]) -> str:
    """A stable externalId from what identifies the order: customer, PO, order date,
    order number and the lines (sorted, so the lines' order in the file does not matter).
    The same content gives the same id on every run, so a rerun updates, never duplicates."""
    customer = payload.get("customer") or {}
    items = sorted(
        (str(i.get("sku", "")), _canonical_number(i.get("quantity")), _canonical_number(i.get("price")))
        for i in payload.get("items") or []
        if isinstance(i, dict)
    )
    key = {
        "customer": str(customer.get("customerNumber", "")) if isinstance(customer, dict) else "",
        "poNumber": str(payload.get("poNumber") or ""),
        "orderDate": str(payload.get("orderDate") or ""),
        "orderNumber": str(payload.get("orderNumber") or ""),
        "items": items,
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return EXTERNAL_ID_PREFIX + digest[:24].upper()


def jsonable(obj: Any) -> Any:
    """A copy with Decimals turned into their exact text, for reports and checkpoints."""
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    return obj
