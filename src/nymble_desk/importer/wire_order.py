"""One checked order's create-order JSON, written straight from its payload (no model per order).

The bulk call's body is what ``encode(OrderCreate.model_validate(payload).to_wire())`` gives,
byte for byte: the model's field order, no ``None`` values, Decimals as exact numbers,
``orderDate`` as ``+00:00``.  Validating and dumping a pydantic model per order, then walking
the dump again to encode it, was half of the importer's own CPU per order (issue #17).

Only the plain shape is written here: the keys the importer's checks produce, each holding
text (an int quantity, finite Decimal amounts).  Anything else (a JSON order's addresses,
shipping details, an unknown key, a value of another type) gives ``None`` and the caller
goes through the model as before, so its checks and error messages apply unchanged.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring_ascii as _text
from typing import Any

# Field names in the model's order (OrderCreate, OrderCustomer, SalesRep, OrderItem, OrderUser):
# to_wire writes them so, and so do we (tests/importer/test_wire_order.py compares the bytes).
_CUSTOMER = ("customerNumber", "companyName", "companyEmail", "companyPhone", "companyFax")
_REP = ("repNumber", "firstName", "lastName", "fullName", "email", "phoneNumber")
_USER = ("userId", "userType")
_ITEM_TEXT = ("sku", "productName", "externalId")
_ITEM_KEYS = frozenset((*_ITEM_TEXT, "quantity", "price"))
_CUSTOMER_KEYS, _REP_KEYS, _USER_KEYS = frozenset(_CUSTOMER), frozenset(_REP), frozenset(_USER)
_LATER_TEXT = ("terms", "notes", "orderStatus", "channel", "externalId")
_TOP_KEYS = frozenset(("customer", "orderType", "poNumber", "priceTier", "currencyCode", "primarySalesRep", "items",
                       "user", "takenBySalesRep", *_LATER_TEXT, "tax", "originationCartId", "orderNumber",
                       "orderDate"))
_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")  # what importer.rows.order_date_value writes


class _NotPlain(Exception):
    """The payload is not in the plain shape: the model handles it."""


def _amount(value: object) -> str:
    if type(value) is not Decimal or not value.is_finite():
        raise _NotPlain
    return format(value, "f")


def _texts(value: object, names: tuple[str, ...], allowed: frozenset[str], required: str | None) -> str:
    """A nested object whose fields are all text (``None`` ones left out)."""
    if type(value) is not dict or not value.keys() <= allowed:
        raise _NotPlain
    parts = []
    for name in names:
        text = value.get(name)
        if text is None:
            if name == required:
                raise _NotPlain
            continue
        if type(text) is not str:
            raise _NotPlain
        parts.append(f'"{name}":{_text(text)}')
    return "{" + ",".join(parts) + "}"


def _items(value: object) -> str:
    if type(value) is not list:
        raise _NotPlain
    out = []
    for item in value:
        if type(item) is not dict or not item.keys() <= _ITEM_KEYS:
            raise _NotPlain
        sku = item.get("sku")
        quantity = item.get("quantity")
        if type(sku) is not str or type(quantity) is not int:
            raise _NotPlain
        head = f'{{"sku":{_text(sku)}'
        for name in ("productName", "externalId"):
            text = item.get(name)
            if text is not None:
                if type(text) is not str:
                    raise _NotPlain
                head += f',"{name}":{_text(text)}'
        out.append(f'{head},"quantity":{int.__repr__(quantity)},"price":{_amount(item.get("price"))}}}')
    return "[" + ",".join(out) + "]"


@lru_cache(maxsize=4096)  # a file's orders share few dates
def _date(text: str) -> str:
    if not _UTC_TEXT.fullmatch(text):
        raise _NotPlain
    try:
        return f'"{datetime.fromisoformat(text).isoformat()}"'
    except ValueError:
        raise _NotPlain from None


def _optional_text(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    if value is None:
        return ""
    if type(value) is not str:
        raise _NotPlain
    return f',"{name}":{_text(value)}'


def _required_text(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    if type(value) is not str:
        raise _NotPlain
    return f',"{name}":{_text(value)}'


def order_json(payload: dict[str, Any], user: dict[str, str]) -> str | None:
    """The order's JSON object text as the bulk call sends it (``user`` when the payload has
    none), or None when the payload is not in the plain shape (validate it with the model)."""
    if not payload.keys() <= _TOP_KEYS or type(payload.get("externalId")) is not str or not payload["externalId"]:
        return None
    try:
        parts = [
            '{"customer":', _texts(payload.get("customer"), _CUSTOMER, _CUSTOMER_KEYS, "customerNumber"),
            _required_text(payload, "orderType"),
            _optional_text(payload, "poNumber"),
            _required_text(payload, "priceTier"),
            _required_text(payload, "currencyCode"),
            ',"primarySalesRep":', _texts(payload.get("primarySalesRep"), _REP, _REP_KEYS, "repNumber"),
            ',"items":', _items(payload.get("items")),
            ',"user":', _texts(payload.get("user", user), _USER, _USER_KEYS, None),
        ]
        if (taken := payload.get("takenBySalesRep")) is not None:
            parts += (',"takenBySalesRep":', _texts(taken, _REP, _REP_KEYS, "repNumber"))
        parts += [_optional_text(payload, name) for name in _LATER_TEXT]
        if (tax := payload.get("tax")) is not None:
            parts.append(f',"tax":{_amount(tax)}')
        parts.append(_optional_text(payload, "originationCartId"))
        parts.append(_optional_text(payload, "orderNumber"))
        if (date := payload.get("orderDate")) is not None:
            if type(date) is not str:
                return None
            parts += (',"orderDate":', _date(date))
    except _NotPlain:
        return None
    parts.append("}")
    return "".join(parts)
