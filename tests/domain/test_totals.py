from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nymble_desk.domain import Discount, Line, compute_totals


def test_orders_page_example_adds_up():
    lines = [Line("WDG-BLU-L", 24, D("12.50")), Line("WDG-RED-M", 12, D("11.00"))]
    t = compute_totals(lines, tax=D("28.80"), shipping=D("18.50"))
    assert (t.subtotal, t.discount_amount, t.tax, t.shipping, t.total) == (
        D("432.00"), D("0.00"), D("28.80"), D("18.50"), D("479.30"))
    assert t.formatted("total") == "$479.30"
    assert lines[0].subtotal == D("300.00")


def test_percentage_discount_is_quantized_half_up():
    t = compute_totals([Line("A-1", 3, D("3.33"))], discount=Discount("Percentage", D("12.5")))
    # 9.99 * 12.5% = 1.24875 -> 1.25
    assert t.discount_amount == D("1.25")
    assert t.total == D("8.74")


def test_fixed_discount_never_exceeds_subtotal():
    t = compute_totals([Line("A-1", 1, D("5"))], discount=Discount("Fixed", D("20")), shipping=D("3"))
    assert t.discount_amount == D("5.00")
    assert t.total == D("3.00")


def test_line_discounts_reduce_the_subtotal():
    t = compute_totals([Line("A-1", 2, D("10"), discount_amount=D("1.50")), Line("B-2", 1, D("0.99"))])
    assert t.subtotal == D("19.49")
    assert Line("A-1", 2, D("10"), D("1.50")).net == D("18.50")


def test_empty_order_and_other_currencies():
    t = compute_totals([], currency="JPY", shipping=D("500.4"))
    assert (t.subtotal, t.total, t.currency) == (D("0"), D("500"), "JPY")
    assert t.formatted("total") == "JPY 500"


def test_duck_typed_lines():
    @dataclass
    class DraftLine:
        sku: str
        quantity: int
        unit_price: D

    assert compute_totals([DraftLine("X-1", 4, D("2.25"))]).total == D("9.00")


@pytest.mark.parametrize(
    "make",
    [lambda: Discount("Bogus", D(1)), lambda: Discount("Fixed", D(-1)), lambda: Discount("Percentage", D(101)),
     lambda: compute_totals([], tax=D(-1)), lambda: compute_totals([], shipping=D(-1)),
     lambda: Line("A", 1, 1.5), lambda: Line("A", 1.0, D(1))],
)
def test_refuses_bad_input(make):
    with pytest.raises((ValueError, TypeError)):
        make()


def test_discount_type_is_normalised():
    assert Discount("percentage", D(10)).type == "Percentage"


money = st.decimals(min_value=D("0"), max_value=D("100000"), places=2)
line_st = st.builds(Line, st.just("SKU-1"), st.integers(1, 1000), money)
discount_st = st.one_of(
    st.none(),
    st.builds(Discount, st.just("Fixed"), money),
    st.builds(Discount, st.just("Percentage"), st.decimals(min_value=D(0), max_value=D(100), places=3)),
)


@settings(deadline=None)
@given(st.lists(line_st, max_size=10), discount_st, money, money)
def test_totals_add_up(lines, discount, tax, shipping):
    t = compute_totals(lines, discount=discount, tax=tax, shipping=shipping)
    assert t.total == t.subtotal - t.discount_amount + t.tax + t.shipping
    assert t.subtotal == sum((ln.subtotal for ln in lines), D(0))
    assert D(0) <= t.discount_amount <= t.subtotal
    assert t.total >= t.tax + t.shipping
    for value in (t.subtotal, t.discount_amount, t.tax, t.shipping, t.total):
        assert value == value.quantize(D("0.01"))
