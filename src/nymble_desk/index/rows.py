"""Turn API rows into index rows.

Rows may be wire dicts (camelCase, as the API answers) or objects such as the
API client's pydantic models (snake_case attributes); this module reads both so
that the index does not import the API layer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, UTC
from functools import lru_cache
from decimal import Decimal
from typing import Any

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@lru_cache(maxsize=256)
def _keys(names: tuple[str, ...]) -> tuple[str, ...]:
    """Each camelCase name followed by its snake_case form (when different)."""
    out: list[str] = []
    for name in names:
        out.append(name)
        snake = _CAMEL.sub("_", name).lower()
        if snake != name:
            out.append(snake)
    return tuple(out)


def pick(row: Any, *names: str, default: Any = None) -> Any:
    """The first present, non-None field among ``names`` (camelCase; snake_case tried too)."""
    keys = _keys(names)
    if type(row) is dict or isinstance(row, Mapping):
        for key in keys:
            value = row.get(key)
            if value is not None:
                return value
        return default
    for key in keys:
        value = getattr(row, key, None)
        if value is not None:
            return value
    return default


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "value") and not isinstance(value, (str, bytes)):  # enums
        value = value.value
    return str(value)


def _money(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):  # the wire may carry JSON numbers; keep their shortest text form
        value = repr(value)
    return str(Decimal(str(value)))


def iso(value: Any) -> str | None:
    """``updatedAt`` as ISO-8601 text (datetimes keep their offset; text passes through)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


#: ASCII text to its digits (for ASCII, ``str.isdigit`` is exactly 0-9).
_KEEP_ASCII_DIGITS = {code: None for code in range(128) if not chr(code).isdigit()}


def digits(text: str) -> str:
    if text.isascii():
        return text.translate(_KEEP_ASCII_DIGITS)
    return "".join(ch for ch in text if ch.isdigit())


def _default_shipping(addresses: Any) -> Any:
    if not addresses:
        return None
    shipping = [a for a in addresses if _text(pick(a, "addressType")).lower() == "shipping"]
    pool = shipping or list(addresses)
    for a in pool:
        if pick(a, "default", "isDefault"):
            return a
    return pool[0]


CUSTOMER_COLUMNS = (
    "number", "number_key", "name", "name_key", "email", "phone", "phone_digits", "active", "credit_hold",
    "tier", "terms", "currency", "rep_number", "city", "region", "credit_limit", "balance", "updated_at",
)


def _wire_money(value: Any) -> str | None:
    """``_money`` for a JSON value, without the round trip through ``Decimal`` where it changes nothing:
    a float's shortest text in fixed notation and an int's digits are already what ``Decimal`` prints."""
    kind = type(value)
    if kind is float:
        text = repr(value)
        return text if "e" not in text and "n" not in text else str(Decimal(text))  # 1e+16, inf, nan
    if kind is int:
        return str(value)
    if value is None or value == "":
        return None
    if kind is str:
        return str(Decimal(value))
    return _money(value)


def _wtext(value: Any) -> str:
    """``_text`` with the JSON's usual case (a str) first."""
    return value if type(value) is str else _text(value)


#: A str as JSON text, as ``json.dumps`` writes it (ASCII, escaped, quoted).
_json_text: Callable[[str], str] = json.encoder.encode_basestring_ascii


def _wire_shipping(addresses: Any) -> Any:
    """The default shipping address of a wire customer (camelCase dicts), else the first address."""
    if not addresses:
        return None
    first_shipping = None
    for a in addresses:
        if str(a.get("addressType") or "").lower() == "shipping":
            if a.get("default") or a.get("isDefault"):
                return a
            if first_shipping is None:
                first_shipping = a
    if first_shipping is not None:
        return first_shipping
    for a in addresses:
        if a.get("default") or a.get("isDefault"):
            return a
    return addresses[0]


def customer_row_wire(row: dict[str, Any]) -> tuple[Any, ...]:
    """``customer_row`` for the API's JSON as it arrives (camelCase keys): plain ``dict.get``, no look-ups
    through alternative names (a fill converts 100,000 of these)."""
    get = row.get
    number = get("customerNumber") or get("number")
    if not number:
        raise ValueError("a customer row without customerNumber")
    number = str(number)
    name = str(get("companyName") or get("name") or "")
    phone = str(get("companyPhone") or get("phone") or "")
    address = _wire_shipping(get("addresses"))
    active = get("active")
    hold = get("creditHold")
    return (
        number,
        number.upper(),
        name,
        name.casefold(),
        str(get("companyEmail") or get("email") or ""),
        phone,
        digits(phone) if phone else "",
        0 if active is False or (active is not None and not active) else 1,
        1 if hold or (hold is None and get("onHold")) else 0,
        _wtext(get("pricing") or get("priceTier") or get("tier")),
        _wtext(get("terms")),
        _wtext(get("currencyCode") or get("currency") or "USD"),
        _wtext(get("repNumber")),
        _wtext(address.get("city")) if address is not None else "",
        _wtext(address.get("stateProvince") or address.get("state")) if address is not None else "",
        _wire_money(get("creditLimit")),
        _wire_money(get("balance")),
        iso(get("updatedAt")),
    )


def product_row_wire(row: dict[str, Any]) -> tuple[Any, ...]:
    """``product_row`` for the API's JSON as it arrives (camelCase keys)."""
    get = row.get
    sku = get("sku")
    if not sku:
        raise ValueError("a product row without sku")
    sku = str(sku)
    on_hand = get("quantityOnHand")
    active = get("active")
    prices = get("prices")
    # the JSON json.dumps(..., separators=(",", ":")) writes, put together here: the money text needs no
    # escaping (digits, sign, point, exponent, Infinity, NaN), the tier is escaped by json's own encoder
    tiers = "[" + ",".join(
        f'[{_json_text(_wtext(p.get("tier")))},"{_wire_money(p.get("price")) or "0"}",'
        f'{int(1 if p.get("atQuantity") is None else p["atQuantity"])}]' for p in prices) + "]" if prices else "[]"
    return (
        sku,
        sku.upper(),
        _wtext(get("name")),
        _wtext(get("upc")),
        _wire_money(get("price")) or "0",
        _wtext(get("currencyCode") or get("currency") or "USD"),
        0 if active is not None and not active else 1,
        int(get("minimumOrderQuantity") or get("minimum") or 1),
        int(get("quantityIncrement") or get("increment") or 1),
        None if on_hand is None else int(on_hand),
        _wtext(get("category")),
        tiers,
        iso(get("updatedAt")),
    )


def customer_row(row: Any) -> tuple[Any, ...]:
    if type(row) is dict:
        return customer_row_wire(row)
    number = _text(pick(row, "customerNumber", "number"))
    if not number:
        raise ValueError("a customer row without customerNumber")
    name = _text(pick(row, "companyName", "name"))
    phone = _text(pick(row, "companyPhone", "phone"))
    address = _default_shipping(pick(row, "addresses", default=()))
    return (
        number,
        number.upper(),
        name,
        name.casefold(),
        _text(pick(row, "companyEmail", "email")),
        phone,
        digits(phone),
        1 if pick(row, "active", default=True) else 0,
        1 if pick(row, "creditHold", "onHold", default=False) else 0,
        _text(pick(row, "pricing", "priceTier", "tier")),
        _text(pick(row, "terms")),
        _text(pick(row, "currencyCode", "currency", default="USD")),
        _text(pick(row, "repNumber")),
        _text(pick(address, "city")) if address is not None else "",
        _text(pick(address, "stateProvince", "state")) if address is not None else "",
        _money(pick(row, "creditLimit")),
        _money(pick(row, "balance")),
        iso(pick(row, "updatedAt")),
    )


PRODUCT_COLUMNS = (
    "sku", "sku_key", "name", "upc", "price", "currency", "active", "minimum", "increment", "on_hand",
    "category", "prices_json", "updated_at",
)


def _prices_json(prices: Iterable[Any] | None) -> str:
    out = []
    for p in prices or ():
        out.append([_text(pick(p, "tier")), _money(pick(p, "price")) or "0", int(pick(p, "atQuantity", default=1))])
    return json.dumps(out, separators=(",", ":"))


def product_row(row: Any) -> tuple[Any, ...]:
    if type(row) is dict:
        return product_row_wire(row)
    sku = _text(pick(row, "sku"))
    if not sku:
        raise ValueError("a product row without sku")
    on_hand = pick(row, "quantityOnHand")
    return (
        sku,
        sku.upper(),
        _text(pick(row, "name")),
        _text(pick(row, "upc")),
        _money(pick(row, "price")) or "0",
        _text(pick(row, "currencyCode", "currency", default="USD")),
        1 if pick(row, "active", default=True) else 0,
        int(pick(row, "minimumOrderQuantity", "minimum", default=1) or 1),
        int(pick(row, "quantityIncrement", "increment", default=1) or 1),
        None if on_hand is None else int(on_hand),
        _text(pick(row, "category")),
        _prices_json(pick(row, "prices", default=())),
        iso(pick(row, "updatedAt")),
    )


def max_updated(rows: Iterable[tuple[Any, ...]], current: str | None) -> str | None:
    """The largest ``updated_at`` (last column) among ``rows`` and ``current``.

    ISO-8601 texts in one zone compare as text; mixed offsets are compared as datetimes.
    """
    values = [r[-1] for r in rows if r[-1] is not None]
    if values and _same_utc_shape(values):  # a page from the API: "2025-01-06T09:00:00Z" on every row
        values = [max(values)]
    return _max_updated(values, current)


def _same_utc_shape(values: list[Any]) -> bool:
    """Whether ``values`` are ISO-8601 texts in UTC ("...Z") of one length, whose text order is their time
    order."""
    first = values[0]
    if type(first) is not str or len(first) < 20 or first[10:11] != "T":
        return False
    size = len(first)
    return all(type(v) is str and len(v) == size and v[-1] == "Z" and v[10] == "T" for v in values)


def _max_updated(values: Iterable[Any], current: str | None) -> str | None:
    best = current
    best_dt = _parse(current)
    for value in values:
        dt = _parse(value)
        if best is None or (dt is not None and best_dt is not None and dt > best_dt) or (
            (dt is None or best_dt is None) and value > best
        ):
            best, best_dt = value, dt
    return best


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
