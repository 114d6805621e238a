"""The one quantity rule: every place a rep types a quantity reads it with parse_quantity."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nymble_desk.domain import MAX_QUANTITY, EntryError, parse_entry
from nymble_desk.domain.quantity import QuantityError, check_total, parse_quantity


@pytest.mark.parametrize(("text", "value"), [
    ("1", 1), (" 12 ", 12), ("007", 7), ("1,000", 1000), ("12,500", 12500), ("99,999", 99_999),
    ("1_000", 1000), ("12 500", 12500), ("99999", 99_999),
])
def test_reads_whole_numbers_with_thousands_separators(text: str, value: int) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize(("text", "words"), [
    ("", "type a whole number from 1 to 99,999"),
    ("   ", "type a whole number"),
    ("0", "at least 1"),
    ("100000", "at most 99,999, not 100,000"),
    ("150000", "at most 99,999"),
    ("150,000", "at most 99,999"),
    ("9" * 24, "at most 99,999 (got a 24-digit number)"),
    ("1" + "0" * 400, "401-digit"),
    ("1.5", "whole number"),
    ("-3", "whole number"),
    ("+3", "whole number"),
    ("1,00", "whole number"),
    ("1,0000", "whole number"),
    ("1,000 000", "whole number"),
    (",100", "whole number"),
    ("12a", "whole number"),
    ("１２", "whole number"),  # full-width digits: not ASCII
    ("1e3", "whole number"),
])
def test_refuses_in_plain_words_naming_the_field(text: str, words: str) -> None:
    with pytest.raises(QuantityError) as err:
        parse_quantity(text)
    assert words in err.value.message
    assert err.value.field == "quantity" and err.value.message.startswith("Quantity")


def test_zero_only_where_it_means_remove_and_the_field_is_named() -> None:
    assert parse_quantity("0", allow_zero=True) == 0
    with pytest.raises(QuantityError) as err:
        parse_quantity("x", field="new quantity", allow_zero=True)
    assert (
        err.value.field == "new quantity" and "New quantity" in err.value.message and "from 0 to" in err.value.message
    )


def test_a_merged_line_over_the_limit_is_refused() -> None:
    assert check_total(60_000, 39_999) == MAX_QUANTITY
    with pytest.raises(QuantityError, match="60,000 already in the cart"):
        check_total(60_000, 40_000)


def test_the_entry_line_uses_the_same_rule() -> None:
    assert parse_entry("WDG-BLU-L*1,000").quantity == 1000
    assert parse_entry("1,000*WDG-BLU-L").quantity == 1000
    with pytest.raises(EntryError) as err:
        parse_entry("WDG-BLU-L*" + "9" * 24)
    assert err.value.field == "quantity" and "at most 99,999" in err.value.message


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_QUANTITY), st.sampled_from(["", ",", "_", " "]))
def test_every_valid_quantity_round_trips_in_every_writing(value: int, sep: str) -> None:
    written = f"{value:,}".replace(",", sep)
    assert parse_quantity(written) == value
    assert parse_quantity(f"  {written}\t") == value


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=MAX_QUANTITY + 1, max_value=10 ** 40) | st.integers(max_value=0))
def test_nothing_outside_the_range_gets_through(value: int) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(str(value))
    with pytest.raises(QuantityError):
        parse_quantity(f"{value:,}")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_a_quantity_in_range_or_a_quantity_error(text: str) -> None:
    try:
        value = parse_quantity(text)
    except QuantityError as err:
        assert err.field == "quantity" and err.message
    else:
        assert 1 <= value <= MAX_QUANTITY
