from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nymble_desk.domain import Money, format_money, from_minor, parse_money, quantize, sum_money, to_minor


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (D("1234.5"), "USD", "$1,234.50"),
        (D("-12"), "USD", "-$12.00"),
        (D("0"), "USD", "$0.00"),
        (D("-0.001"), "USD", "$0.00"),
        (D("1234567.891"), "USD", "$1,234,567.89"),
        (D("2.345"), "USD", "$2.35"),
        (D("5"), "CAD", "CA$5.00"),
        (D("7.1"), "EUR", "€7.10"),
        (D("-7.1"), "GBP", "-£7.10"),
        (D("1234.5"), "JPY", "JPY 1,235"),
        (D("1234.5"), "CHF", "CHF 1,234.50"),
        (D("1.2345"), "KWD", "KWD 1.235"),
    ],
)
def test_format_money(amount, currency, text):
    assert format_money(amount, currency) == text


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$1,234.50", D("1234.50")),
        ("-$12.00", D("-12.00")),
        ("$-12.00", D("-12.00")),
        ("($12.00)", D("-12.00")),
        ("CA$5", D("5")),
        ("€3.10", D("3.10")),
        ("£0.99", D("0.99")),
        ("USD 1,234.50", D("1234.50")),
        ("-CHF 3.00", D("-3.00")),
        ("12.00 EUR", D("12.00")),
        ("  1234.5 ", D("1234.5")),
        (".5", D("0.5")),
    ],
)
def test_parse_money(text, amount):
    assert parse_money(text) == amount


@pytest.mark.parametrize("text", ["", "$", "abc", "1,23", "$1.2.3", "--5", "-($5)", "USD 5 EUR", "1e5", "NaN"])
def test_parse_money_refuses(text):
    with pytest.raises(ValueError):
        parse_money(text)


def test_quantize_is_half_up_and_never_negative_zero():
    assert quantize(D("0.125")) == D("0.13")
    assert quantize(D("-0.125")) == D("-0.13")
    assert str(quantize(D("-0.001"))) == "0.00"
    assert quantize(D("1.5"), "JPY") == D("2")


def test_minor_units_round_trip():
    assert to_minor(D("12.345")) == 1235
    assert from_minor(1235) == D("12.35")
    assert to_minor(D("1000"), "JPY") == 1000
    assert from_minor(1235, "KWD") == D("1.235")
    with pytest.raises(TypeError):
        from_minor(12.5)  # type: ignore[arg-type]


def test_floats_are_refused():
    with pytest.raises(TypeError):
        format_money(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(D(1)) * 1.5  # type: ignore[operator]


def test_money_arithmetic():
    a, b = Money(D("10.10")), Money(D("0.95"))
    assert a + b == Money(D("11.05"))
    assert a - b == Money(D("9.15"))
    assert b * 3 == Money(D("2.85"))
    assert 3 * b == Money(D("2.85"))
    assert sum([a, b, b]) == Money(D("12.00"))
    assert sum_money([], "EUR") == Money.zero("EUR")
    assert (-a).formatted == "-$10.10"
    assert Money("1234.5", "usd").formatted == "$1,234.50"
    assert Money(D("1.005")).quantized() == Money(D("1.01"))
    assert Money(D("2.5")).minor == 250
    assert a > b and b < a and a >= a and b <= b


def test_money_refuses_mixing_currencies():
    usd, cad = Money(D(1), "USD"), Money(D(1), "CAD")
    with pytest.raises(ValueError, match="USD and CAD"):
        usd + cad
    with pytest.raises(ValueError):
        usd - cad
    with pytest.raises(ValueError):
        assert usd < cad
    with pytest.raises(TypeError):
        usd + D(1)  # type: ignore[operator]
    with pytest.raises(ValueError):
        Money(D(1), "dollars")


amounts = st.decimals(min_value=D("-1e12"), max_value=D("1e12"), allow_nan=False, allow_infinity=False, places=4)
currencies = st.sampled_from(["USD", "CAD", "EUR", "GBP", "JPY", "CHF", "KWD"])


@settings(deadline=None)
@given(amounts, currencies)
def test_format_parse_round_trip(amount, currency):
    assert parse_money(format_money(amount, currency)) == quantize(amount, currency)


@settings(deadline=None)
@given(amounts, currencies)
def test_minor_round_trip(amount, currency):
    assert from_minor(to_minor(amount, currency), currency) == quantize(amount, currency)


@settings(deadline=None)
@given(st.lists(amounts, max_size=20))
def test_money_sum_matches_decimal_sum(values):
    assert sum_money(Money(v) for v in values).amount == sum(values, D(0))
