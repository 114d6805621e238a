"""Card rules (domain/cards.py): the checkout screen and the sandbox refuse by the same rules."""

from __future__ import annotations

from datetime import datetime, UTC

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nymble_desk.domain.cards import (
    card_digits,
    card_problems,
    card_type,
    expired,
    expiry_year,
    luhn_ok,
    luhn_valid,
)

NOW = datetime(2026, 11, 23, tzinfo=UTC)


@pytest.mark.parametrize("number", ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111",
                                    "378282246310005", "5555555555554444", "6011111111111117"])
def test_known_test_numbers_pass_luhn(number: str) -> None:
    assert luhn_ok(number)


@pytest.mark.parametrize("number", ["4111111111111112", "4111-1111-abcd-1111", "", "41111111111",
                                    "4" * 20, "0000 0000 000x"])
def test_wrong_digit_letters_and_lengths_fail(number: str) -> None:
    assert not luhn_ok(number)


def test_card_digits_keeps_only_digits_and_refuses_other_characters() -> None:
    assert card_digits("4111 1111-1111 1111") == "4111111111111111"
    assert card_digits("4111.1111") is None


def _check_digit(body: str) -> str:
    for d in "0123456789":
        if luhn_valid(body + d):
            return d
    raise AssertionError("no check digit")


@given(st.text(alphabet="0123456789", min_size=11, max_size=18))
def test_exactly_one_check_digit_makes_a_number_valid(body: str) -> None:
    good = _check_digit(body)
    assert [d for d in "0123456789" if luhn_valid(body + d)] == [good]
    # a single changed digit is always caught
    last = body[-1]
    changed = body[:-1] + str((int(last) + 1) % 10)
    assert not luhn_valid(changed + good)


def test_expiry_year_reads_two_or_four_digits() -> None:
    assert expiry_year("28") == 2028
    assert expiry_year("2028") == 2028
    assert expiry_year("202") is None
    assert expiry_year("28x") is None


def test_a_card_is_good_through_its_expiry_month() -> None:
    assert not expired(2026, 11, NOW)
    assert expired(2026, 10, NOW)
    assert not expired(2027, 1, NOW)


@pytest.mark.parametrize(("digits", "kind"), [("4111111111111111", "Visa"), ("378282246310005", "Amex"),
                                              ("5555555555554444", "Mastercard"), ("2221000000000009", "Mastercard"),
                                              ("6011111111111117", "Discover"), ("9111111111111111", "Card")])
def test_card_type(digits: str, kind: str) -> None:
    assert card_type(digits) == kind


def test_card_problems_name_each_field_in_form_order() -> None:
    assert card_problems("4111111111111111", "Jo Doe", "12", "2028", "123", NOW) == []
    assert card_problems("4111111111111111", "Jo Doe", "12", "28", "1234", NOW) == []
    fields = [f for f, _ in card_problems("4111111111111112", " ", "13", "28x", "12", NOW)]
    assert fields == ["number", "holder", "month", "year", "cvv"]
    assert card_problems("4111111111111111", "Jo", "10", "2026", "123", NOW) == [("month", "The card has expired")]
