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
from operator import itemgetter
from typing import Any

# Field names in the model's order (OrderCreate, OrderCustomer, SalesRep, OrderItem, OrderUser):
# to_wire writes them so, and so do we (tests/importer/test_wire_order.py compares the bytes).
_CUSTOMER = ("customerNumber", "companyName", "companyEmail", "companyPhone", "companyFax")
_REP = ("repNumber", "firstName", "lastName", "fullName", "email", "phoneNumber")
_USER = ("userId", "userType")
_ITEM_TEXT = ("sku", "productName", "externalId")
_ITEM_KEYS = frozenset((*_ITEM_TEXT, "quantity", "price"))
_CUSTOMER_KEYS, _REP_KEYS, _USER_KEYS = frozenset(_CUSTOMER), frozenset(_REP), frozenset(_USER)
# OrderCreate's fields, in its order
_FIELDS = ("customer", "orderType", "poNumber", "priceTier", "currencyCode", "primarySalesRep", "items", "user",
           "takenBySalesRep", "terms", "notes", "orderStatus", "channel", "externalId", "tax", "originationCartId",
           "orderNumber", "orderDate")
_TOP_KEYS = frozenset(_FIELDS)
_AT = {name: at for at, name in enumerate(_FIELDS)}
_TEXT_AT = {name: _AT[name] for name in ("orderType", "poNumber", "priceTier", "currencyCode", "terms", "notes",
                                         "orderStatus", "channel", "externalId", "originationCartId", "orderNumber")}
_ITEMS_AT, _USER_AT = _AT["items"], _AT["user"]
_REQUIRED = itemgetter(*(_AT[n] for n in ("customer", "orderType", "priceTier", "currencyCode", "primarySalesRep",
                                           "items")))  # the slots that must be filled
_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")  # what importer.rows.order_date_value writes


class _NotPlain(Exception):
    """The payload is not in the plain shape: the model handles it."""


def _texts(value: object, names: tuple[str, ...], allowed: frozenset[str], required: str | None) -> str:
    """A nested object whose fields are all text (``None`` ones left out)."""
    if type(value) is not dict:
        raise _NotPlain
    if required is not None and len(value) == 1 and type(text := value.get(required)) is str:
        return f'{{"{required}":{_text(text)}}}'  # the usual case: {"repNumber": "REP-007"}
    if not value.keys() <= allowed or (required is not None and value.get(required) is None):
        raise _NotPlain
    parts = []
    for name in names:
        text = value.get(name)
        if text is None:
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
        if type(item) is not dict:
            raise _NotPlain
        sku, quantity, price = item.get("sku"), item.get("quantity"), item.get("price")
        if type(sku) is not str or type(quantity) is not int or type(price) is not Decimal or not price.is_finite():
            raise _NotPlain
        if len(item) == 3:  # sku, quantity and price only
            out.append(f'{{"sku":{_text(sku)},"quantity":{quantity},"price":{price:f}}}')
            continue
        if not item.keys() <= _ITEM_KEYS:
            raise _NotPlain
        head = f'{{"sku":{_text(sku)}'
        for name in ("productName", "externalId"):
            text = item.get(name)
            if text is not None:
                if type(text) is not str:
                    raise _NotPlain
                head += f',"{name}":{_text(text)}'
        out.append(f'{head},"quantity":{quantity},"price":{price:f}}}')
    return "[" + ",".join(out) + "]"


@lru_cache(maxsize=4096)  # a file's orders share few dates
def _date(text: str) -> str:
    if not _UTC_TEXT.fullmatch(text):
        raise _NotPlain
    try:
        return f',"orderDate":"{datetime.fromisoformat(text).isoformat()}"'
    except ValueError:
        raise _NotPlain from None


def _tax(value: object) -> str:
    if type(value) is not Decimal or not value.is_finite():
        raise _NotPlain
    return f',"tax":{value:f}'


class OrderJson:
    """Writes orders' JSON for one run: ``user`` goes into every order that has none."""

    def __init__(self, user: dict[str, str]) -> None:
        try:
            self.user: str | None = ',"user":' + _texts(user, _USER, _USER_KEYS, None)
        except _NotPlain:
            self.user = None

    def __call__(self, payload: dict[str, Any]) -> str | None:
        """The order's JSON object text as the bulk call sends it, or None when the payload is not
        in the plain shape (validate it with the model)."""
        if not payload.keys() <= _TOP_KEYS:
            return None
        slots = [""] * len(_FIELDS)
        try:
            for name, value in payload.items():
                if value is None:
                    continue  # left out, as the model leaves out None (a required field: see below)
                at = _TEXT_AT.get(name)
                if at is not None:
                    if type(value) is not str:
                        return None
                    slots[at] = f',"{name}":{_text(value)}'
                elif name == "items":
                    slots[_ITEMS_AT] = ',"items":' + _items(value)
                elif name == "customer":
                    slots[0] = '{"customer":' + _texts(value, _CUSTOMER, _CUSTOMER_KEYS, "customerNumber")
                elif name == "primarySalesRep" or name == "takenBySalesRep":
                    slots[_AT[name]] = f',"{name}":' + _texts(value, _REP, _REP_KEYS, "repNumber")
                elif name == "user":
                    slots[_USER_AT] = ',"user":' + _texts(value, _USER, _USER_KEYS, None)
                elif name == "tax":
                    slots[_AT["tax"]] = _tax(value)
                elif type(value) is str:  # orderDate
                    slots[_AT["orderDate"]] = _date(value)
                else:
                    return None
        except _NotPlain:
            return None
        if "user" not in payload:
            if self.user is None:
                return None
            slots[_USER_AT] = self.user
        if "" in _REQUIRED(slots) or not payload.get("externalId"):
            return None
        slots.append("}")
        return "".join(slots)


def order_json(payload: dict[str, Any], user: dict[str, str]) -> str | None:
    """One order's JSON (see :class:`OrderJson`, which a run makes once)."""
    return OrderJson(user)(payload)
