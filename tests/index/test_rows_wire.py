"""The wire readers (``rows.*_row_wire``, what the child fill converts 300,000 rows with) write what the
generic reader writes, for the values an API may send: money as floats (exponents, -0.0, inf), ints and
strings, missing and empty fields, non-ASCII text, tiers with and without quantities."""

from __future__ import annotations

import itertools
from types import MappingProxyType
from typing import Any

from nymble_desk.index import rows as rowmod

MONEY: list[Any] = [25000.0, 187.68, 0.1 + 0.2, -0.0, 0.0001, 1e-05, 1e-07, 1e16, 123456789012345.67, float("inf"),
                    0, 42, -7, "12.50", "1E+3", "0.0000001", " 3.5 ", None]
TEXT: list[Any] = ["Brightfield Supply Co.", "Ünïcødé Gmbh ẞ", "", None, "İstanbul Ticaret"]


def _customer(i: int, money: Any, text: Any) -> dict[str, Any]:
    addresses: list[dict[str, Any]] = [
        {"addressType": "Billing", "default": True, "city": "Bill City", "stateProvince": "BC"},
        {"addressType": "SHIPPING", "default": i % 2 == 0, "city": text, "stateProvince": None, "state": "ST"},
        {"addressType": "shipping", "isDefault": i % 3 == 0, "city": "Second", "stateProvince": "SP"},
    ][: i % 4]
    return {"customerNumber": f"cust-{i:04d}", "companyName": text, "companyEmail": text, "companyPhone":
            ["555-410-0013", "+1 (555) 410 0013 x12", "", None, "٥٥٥-١٢٣"][i % 5], "active": [True, False, None][i % 3],
            "creditHold": [True, False, None][i % 3], "onHold": i % 2 == 0, "pricing": text, "terms": text,
            "currencyCode": [None, "EUR", "USD"][i % 3], "repNumber": text, "creditLimit": money, "balance": money,
            "addresses": addresses, "updatedAt": [None, "2025-01-06T09:00:00Z", "2025-01-06T09:00:00+01:00"][i % 3]}


def _product(i: int, money: Any, text: Any) -> dict[str, Any]:
    prices = [{"tier": text, "price": money, "atQuantity": q} for q in (None, 1, 48)][: i % 4]
    return {"sku": f"part-{i}", "name": text, "upc": ["012345678943", "", None][i % 3], "price": money,
            "currencyCode": [None, "CAD"][i % 2], "active": [True, False, None][i % 3],
            "minimumOrderQuantity": [None, 10, 1][i % 3], "quantityIncrement": [None, 5][i % 2],
            "quantityOnHand": [None, 0, 2400][i % 3], "category": text,
            **({"prices": prices} if i % 5 else {}), "updatedAt": "2025-01-06T09:00:00Z"}


def test_wire_readers_match_the_generic_reader_on_varied_values() -> None:
    cases = list(enumerate(itertools.product(MONEY, TEXT)))
    for i, (money, text) in cases:
        customer = _customer(i, money, text)
        assert rowmod.customer_row_wire(customer) == rowmod.customer_row(MappingProxyType(customer)), customer
        product = _product(i, money, text)
        assert rowmod.product_row_wire(product) == rowmod.product_row(MappingProxyType(product)), product
    money_texts = {rowmod.product_row_wire(_product(1, m, "x"))[4] for m in MONEY}
    assert {"25000.0", "0.30000000000000004", "-0.0", "0.00001", "1E-7", "1E+16", "Infinity", "12.50", "1E+3",
            "3.5", "0"} <= money_texts


def _max_one_by_one(values: list[str | None], current: str | None) -> str | None:
    """The high water by the definition: the latest time (texts without a time compare as text)."""
    best = current
    for value in values:
        best = rowmod.max_updated([(value,)], best)
    return best


def test_the_high_water_of_a_page_is_its_latest_time() -> None:
    utc = ["2025-01-06T09:00:00Z", "2026-03-01T00:00:00Z", None, "2025-12-31T23:59:59Z"]
    pages: list[tuple[list[str | None], str | None]] = [
        (utc, None),
        (utc, "2026-03-01T00:00:01Z"),
        (utc, "2026-02-28T23:00:00-05:00"),  # a later time than the page's latest, in another zone
        (["2026-03-01T00:00:00.5Z", "2026-03-01T00:00:00Z"], None),  # lengths differ: compared as times
        (["2026-03-01T02:00:00+01:00", "2026-03-01T00:30:00Z"], "2026-01-01T00:00:00Z"),
        ([None, None], "2025-01-01T00:00:00Z"),
    ]
    expected = ["2026-03-01T00:00:00Z", "2026-03-01T00:00:01Z", "2026-02-28T23:00:00-05:00",
                "2026-03-01T00:00:00.5Z", "2026-03-01T02:00:00+01:00", "2025-01-01T00:00:00Z"]
    for (values, current), want in zip(pages, expected, strict=True):
        rows = [(value,) for value in values]
        assert rowmod.max_updated(rows, current) == want == _max_one_by_one(values, current)


def test_phone_digits_keep_every_digit_character() -> None:
    assert rowmod.digits("+1 (555) 410-0013 x12") == "1555410001312"
    assert rowmod.digits("٥٥٥-١٢٣ ext ²") == "٥٥٥١٢٣²"  # str.isdigit: other scripts' digits count
    assert rowmod.digits("") == ""
