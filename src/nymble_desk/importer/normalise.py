"""Turn one raw order (from a CSV group or a JSON object) into a create-order payload,
collecting every problem with its field and source line instead of stopping at the first.

Rules (the Orders API's create request): ``customer.customerNumber``, ``poNumber``,
``priceTier``, ``currencyCode`` (three letters), ``primarySalesRep.repNumber`` and at
least one item are required; each item needs a ``sku``, a whole ``quantity`` of at least
1 and a ``price`` of at least 0.  ``orderType`` defaults to ``Import``.  ``orderDate`` is
written as UTC ``YYYY-MM-DDTHH:MM:SSZ``.  Keys are matched case-insensitively.
"""

from __future__ import annotations

import re
from typing import Any
from collections.abc import Callable

from nymble_desk.importer.rows import (
    CANONICAL,
    ORDER_KEYS,
    Problems,
    amount_value,
    order_date_value,
    quantity_value,
    text_value,
)

DEFAULT_ORDER_TYPE = "Import"
_TEXT_FIELDS = ("orderNumber", "terms", "channel", "notes", "orderStatus", "originationCartId")
_CURRENCY = re.compile(r"[A-Za-z]{3}")


def canonical_keys(value: Any) -> Any:
    """Rename known keys to the API's camelCase spelling, recursively; ``postalCode`` in an
    order address becomes ``zipPostalCode``."""
    if isinstance(value, list):
        return [canonical_keys(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = CANONICAL.get(str(key).lower(), str(key))
        if name.lower() == "postalcode":
            name = "zipPostalCode"
        out[name] = canonical_keys(item)
    return out


def _rep(value: Any) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    rep = dict(value) if isinstance(value, dict) else {"repNumber": value}
    number = text_value(rep.get("repNumber"))
    if number is None:
        return None
    rep["repNumber"] = number
    return rep


def normalise_order(
    raw: dict[str, Any],
    problems: Problems,
    *,
    line: int,
    item_lines: list[int] | None = None,
    field_lines: dict[str, int] | None = None,
    default_order_type: str = DEFAULT_ORDER_TYPE,
    warn: Callable[[str], None] | None = None,
    merge_duplicates: bool = False,
) -> dict[str, Any]:
    """The create-order payload for ``raw``; problems go to ``problems``."""
    flat = item_lines is not None  # CSV columns (already spelled canonically), not nested JSON objects
    if not flat:
        raw = canonical_keys(raw)
    out: dict[str, Any] = {}

    def path(csv_name: str, json_name: str) -> str:
        return csv_name if flat else json_name

    def where(name: str) -> int:
        return (field_lines or {}).get(name, line)

    def text(name: str, *, required: bool = False, at: int | None = None) -> str | None:
        try:
            value = text_value(raw.get(name))
        except ValueError as err:
            problems.add(name, str(err), at or where(name))
            return None
        if value is None and required:
            problems.add(name, "is required", at or where(name))
        return value

    for key in raw:
        if key not in ORDER_KEYS and warn is not None:
            warn(f"{problems.source} line {line}: unknown field {key!r} ignored")

    if (external_id := text("externalId")) is not None:
        out["externalId"] = external_id
    for name in _TEXT_FIELDS:
        if (value := text(name)) is not None:
            out[name] = value
    if raw.get("orderDate") not in (None, ""):
        try:
            out["orderDate"] = order_date_value(raw["orderDate"])
        except ValueError as err:
            problems.add("orderDate", str(err), where("orderDate"))

    customer = raw.get("customer")
    customer = dict(customer) if isinstance(customer, dict) else ({"customerNumber": customer} if customer else {})
    try:
        number = text_value(customer.get("customerNumber"))
    except ValueError as err:
        number = None
        problems.add(path("customerNumber", "customer.customerNumber"), str(err), where("customerNumber"))
    else:
        if number is None:
            problems.add(path("customerNumber", "customer.customerNumber"), "is required", where("customerNumber"))
    if number is not None:
        customer["customerNumber"] = number
        for key in ("companyName", "companyEmail", "companyPhone", "companyFax"):
            if key in customer:
                value = text_value(customer[key]) if not isinstance(customer[key], (dict, list)) else None
                customer.pop(key) if value is None else customer.__setitem__(key, value)
        out["customer"] = customer

    out["orderType"] = text("orderType") or default_order_type
    for name in ("poNumber", "priceTier"):
        if (value := text(name, required=True)) is not None:
            out[name] = value
    if (currency := text("currencyCode", required=True)) is not None:
        if _CURRENCY.fullmatch(currency):
            out["currencyCode"] = currency.upper()
        else:
            problems.add(
                "currencyCode", f"must be a three-letter code such as USD, not {currency!r}", where("currencyCode")
            )

    if (rep := _rep(raw.get("primarySalesRep"))) is None:
        problems.add(
            path("repNumber", "primarySalesRep.repNumber"), "is required (the primary sales rep)", where("repNumber")
        )
    else:
        out["primarySalesRep"] = rep
    if (taken := _rep(raw.get("takenBySalesRep"))) is not None:
        out["takenBySalesRep"] = taken
    if isinstance(raw.get("user"), dict):
        out["user"] = dict(raw["user"])

    if raw.get("tax") not in (None, ""):
        try:
            out["tax"] = amount_value(raw["tax"])
        except ValueError as err:
            problems.add("tax", str(err), line)
    shipping = raw.get("shippingDetails")
    if isinstance(shipping, dict) and shipping:
        shipping = dict(shipping)
        try:
            shipping["total"] = amount_value(shipping.get("total"))
        except ValueError as err:
            problems.add("shippingDetails.total", str(err), line)
        out["shippingDetails"] = shipping

    out["items"] = _items(raw.get("items"), problems, line, item_lines)
    if not flat:  # CSV rows are compared as written, in parse
        out["items"] = _repeated_items(out["items"], problems, line, merge_duplicates, warn)
    return out


def normalise_columns(
    fields: dict[str, str],
    field_lines: dict[str, int],
    items: list[dict[str, Any]],
    item_lines: list[int],
    problems: Problems,
    *,
    default_order_type: str = DEFAULT_ORDER_TYPE,
) -> dict[str, Any]:
    """:func:`normalise_order` for one CSV order, from what its lines hold: ``fields`` the order
    columns' cells (trimmed, not empty; ``field_lines`` where each was first given), ``items`` one
    dict of the item columns' cells per line (``item_lines``).  The same payload and the same
    problems, in the same order, as ``normalise_order`` gives that order; without its general
    case (nested objects, values of any type, keys in any spelling), which a CSV cell never is
    (tests/importer/test_normalise_columns.py holds the two side by side)."""
    line = item_lines[0]
    get = fields.get
    out: dict[str, Any] = {}
    if (external_id := get("externalId")) is not None:
        out["externalId"] = external_id
    for name in _TEXT_FIELDS:
        if (value := get(name)) is not None:
            out[name] = value
    if (date := get("orderDate")) is not None:
        try:
            out["orderDate"] = order_date_value(date)
        except ValueError as err:
            problems.add("orderDate", str(err), field_lines["orderDate"])
    if (number := get("customerNumber")) is None:
        problems.add("customerNumber", "is required", line)
    else:
        company = get("companyName")
        out["customer"] = {"customerNumber": number} if company is None else \
            {"customerNumber": number, "companyName": company}
    out["orderType"] = get("orderType") or default_order_type
    for name in ("poNumber", "priceTier"):
        if (value := get(name)) is None:
            problems.add(name, "is required", line)
        else:
            out[name] = value
    if (currency := get("currencyCode")) is None:
        problems.add("currencyCode", "is required", line)
    elif _CURRENCY.fullmatch(currency):
        out["currencyCode"] = currency.upper()
    else:
        problems.add("currencyCode", f"must be a three-letter code such as USD, not {currency!r}",
                     field_lines["currencyCode"])
    if (rep := get("repNumber")) is None:
        problems.add("repNumber", "is required (the primary sales rep)", line)
    else:
        out["primarySalesRep"] = {"repNumber": rep}
    if not items:
        problems.add("items", "at least one line is required", line)
    for at, item in zip(item_lines, items, strict=False):  # each dict is the line's own: completed in place
        if "sku" not in item:
            problems.add("sku", "is required", at)
        try:
            item["quantity"] = quantity_value(item.get("quantity"))
        except ValueError as err:
            problems.add("quantity", str(err), at)
        try:
            item["price"] = amount_value(item.get("price"))
        except ValueError as err:
            problems.add("price", str(err), at)
    out["items"] = items
    return out


def _repeated_items(items: list[dict[str, Any]], problems: Problems, line: int, merge: bool,
                    warn: Callable[[str], None] | None) -> list[dict[str, Any]]:
    """An item that repeats an earlier one of the same order exactly is refused (or, with
    ``merge``, kept once): a line typed or exported twice by accident must not double."""
    seen: dict[str, int] = {}
    kept: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        key = repr(sorted((str(k), repr(v)) for k, v in item.items()))
        if key in seen:
            if merge:
                if warn is not None:
                    warn(f"{problems.source} line {line}: items[{n}] repeats items[{seen[key]}]: merged (kept once)")
                continue
            problems.add(f"items[{n}]", f"repeats items[{seen[key]}] of the same order (same sku, quantity and "
                                        f"price): remove it, or pass --merge-duplicates to keep it once", line)
        else:
            seen[key] = n
        kept.append(item)
    return kept


def _items(raw_items: Any, problems: Problems, line: int, item_lines: list[int] | None) -> list[dict[str, Any]]:
    if not isinstance(raw_items, list) or not raw_items:
        problems.add("items", "at least one line is required", line)
        return []
    items: list[dict[str, Any]] = []
    for n, raw in enumerate(raw_items):
        at = item_lines[n] if item_lines and n < len(item_lines) else line
        label = "" if item_lines else f"items[{n}]."
        if not isinstance(raw, dict):
            problems.add(f"items[{n}]", "must be an object with sku, quantity and price", at)
            continue
        item = dict(raw)
        try:
            sku = text_value(item.get("sku"))
        except ValueError as err:
            sku = None
            problems.add(f"{label}sku", str(err), at)
        else:
            if sku is None:
                problems.add(f"{label}sku", "is required", at)
        if sku is not None:
            item["sku"] = sku
        if "productName" in item:
            name = text_value(item["productName"]) if not isinstance(item["productName"], (dict, list)) else None
            item.pop("productName") if name is None else item.__setitem__("productName", name)
        try:
            item["quantity"] = quantity_value(item.get("quantity"))
        except ValueError as err:
            problems.add(f"{label}quantity", str(err), at)
        try:
            item["price"] = amount_value(item.get("price"))
        except ValueError as err:
            problems.add(f"{label}price", str(err), at)
        items.append(item)
    return items
