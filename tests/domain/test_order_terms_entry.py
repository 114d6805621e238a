"""The order's own terms as typed: amounts, discounts and line discounts, refused by field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nymble_desk.domain.credit import Credit, credit_warning
from nymble_desk.domain.order_terms import (
    TermsError, discount_text, parse_amount, parse_discount, parse_line_discounts,
)
from nymble_desk.domain.totals import Discount


def test_amounts_and_discounts_as_typed() -> None:
    assert parse_amount(" 1,250.50 ", "Tax") == Decimal("1250.50")
    assert parse_amount("", "Tax") is None
    assert parse_discount("7.5%") == Discount("Percentage", Decimal("7.5"))
    assert parse_discount("$25") == Discount("Fixed", Decimal("25"))
    assert discount_text(Discount("Percentage", Decimal("10.0"))) == "10%"
    assert parse_line_discounts("wdg-red-m 10%; PART-A1 5.00", ["WDG-RED-M", "PART-A1"]) == (
        ("WDG-RED-M", Discount("Percentage", Decimal("10"))), ("PART-A1", Discount("Fixed", Decimal("5.00"))))


@pytest.mark.parametrize(("call", "field", "words"), [
    (lambda: parse_amount("12.345", "Ship cost"), "Ship cost", "more decimals"),
    (lambda: parse_amount("-4", "Tax"), "Tax", "0 or more"),
    (lambda: parse_amount("ten", "Tax"), "Tax", "not an amount"),
    (lambda: parse_discount("120%"), "Discount", "at most 100"),
    (lambda: parse_discount("0"), "Discount", "more than 0"),
    (lambda: parse_line_discounts("NOPE 5%", ["WDG-RED-M"]), "Line discounts", "NOPE is not a line"),
    (lambda: parse_line_discounts("WDG-RED-M", ["WDG-RED-M"]), "Line discounts", "needs a discount"),
])
def test_bad_values_name_their_field(call, field: str, words: str) -> None:
    with pytest.raises(TermsError) as bad:
        call()
    assert bad.value.field == field and words in str(bad.value)


def test_credit_warning_names_the_amount_over_and_a_card_needs_none() -> None:
    credit = Credit(limit=Decimal(50000), balance=Decimal("388.50"), uninvoiced=Decimal(0))
    assert credit.available == Decimal("49611.50")
    warning = credit_warning(credit, Decimal("70065.50"), on_terms=True)
    assert warning is not None and warning.over == Decimal("20454.00")
    assert warning.message == "$20,454.00 over credit (available $49,611.50, order $70,065.50)"
    assert warning.note(" ok by finance ") == f"Credit override ({warning.message}): ok by finance"
    assert credit_warning(credit, Decimal("70065.50"), on_terms=False) is None
    assert credit_warning(Credit(limit=None, on_hold=True), Decimal(1), on_terms=True).message == "customer ON HOLD"
    assert credit_warning(Credit(limit=None), Decimal(10**9), on_terms=True) is None
