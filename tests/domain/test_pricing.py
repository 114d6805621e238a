from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nymble_desk.domain import QuantityRule, TierPrice, check_quantity, next_break, unit_price

WDG_BLU_L = [TierPrice("Wholesale", D("12.50"), 1), TierPrice("Wholesale", D("11.75"), 48)]


@pytest.mark.parametrize(
    ("tier", "qty", "price"),
    [("Wholesale", 1, "12.50"), ("Wholesale", 47, "12.50"), ("Wholesale", 48, "11.75"), ("wholesale", 500, "11.75"),
     ("Retail", 48, "13.50"), (None, 48, "13.50"), ("", 1, "13.50")],
)
def test_unit_price_demo_product(tier, qty, price):
    assert unit_price(D("13.50"), WDG_BLU_L, tier, qty) == D(price)


def test_below_every_break_is_list_price():
    prices = [TierPrice("Retail", D("9"), 10), TierPrice("Retail", D("8"), 100)]
    assert unit_price(D("10"), prices, "Retail", 9) == D("10")
    assert unit_price(D("10"), prices, "Retail", 10) == D("9")
    assert unit_price(D("10"), prices, "Retail", 99) == D("9")
    assert unit_price(D("10"), prices, "Retail", 100) == D("8")


def test_unit_price_ignores_order_of_breaks():
    prices = [TierPrice("Retail", D("8"), 100), TierPrice("Retail", D("9"), 10)]
    assert unit_price(D("10"), prices, "Retail", 50) == D("9")


def test_next_break():
    assert next_break(WDG_BLU_L, "Wholesale", 24) == TierPrice("Wholesale", D("11.75"), 48)
    assert next_break(WDG_BLU_L, "Wholesale", 48) is None
    assert next_break(WDG_BLU_L, "Retail", 1) is None
    # Below every break: the first break counts only if cheaper than the list price.
    prices = [TierPrice("Retail", D("11"), 10)]
    assert next_break(prices, "Retail", 5, list_price=D("10")) is None
    assert next_break(prices, "Retail", 5, list_price=D("12")) == prices[0]
    assert next_break(prices, "Retail", 5) == prices[0]
    # A higher break that is not cheaper is skipped.
    odd = [TierPrice("W", D("5"), 1), TierPrice("W", D("6"), 10), TierPrice("W", D("4"), 20)]
    assert next_break(odd, "W", 2) == TierPrice("W", D("4"), 20)


@pytest.mark.parametrize(
    ("qty", "rule", "ok", "nearest"),
    [
        (10, QuantityRule(10, 10), True, ()),
        (20, QuantityRule(10, 10), True, ()),
        (15, QuantityRule(10, 10), False, (10, 20)),
        (5, QuantityRule(10, 10), False, (10,)),
        (0, QuantityRule(10, 10), False, (10,)),
        (-3, QuantityRule(), False, (1,)),
        (1, QuantityRule(), True, ()),
        (30, QuantityRule(25, 25), False, (25, 50)),
        (7, QuantityRule(5, 10), False, (10,)),
        (12, QuantityRule(5, 10), False, (10, 20)),
        (6, QuantityRule(12, 1), False, (12,)),
        (3, QuantityRule(1, 6), False, (6,)),
        (0, QuantityRule(0, 0), False, (1,)),
    ],
)
def test_check_quantity(qty, rule, ok, nearest):
    check = check_quantity(qty, rule)
    assert (check.ok, check.nearest) == (ok, nearest)
    assert (check.reason is None) == ok


def test_reasons_name_the_numbers():
    assert check_quantity(15, QuantityRule(10, 10), sku="PART-A1").reason == (
        "PART-A1 is sold in multiples of 10 (minimum 10), not 15"
    )
    assert check_quantity(10, QuantityRule(25, 25), sku="PART-B3").reason == (
        "PART-B3 is sold in multiples of 25 (minimum 25), not 10"
    )
    assert check_quantity(3, QuantityRule(12, 1), sku="X-1").reason == "X-1 has a minimum order of 12, not 3"
    assert check_quantity(0, QuantityRule(), sku="X-1").reason == "X-1: quantity must be at least 1, not 0"
    assert "multiples of 6" in check_quantity(4, QuantityRule(1, 6)).reason


def test_quantity_rule_type_checks():
    with pytest.raises(TypeError):
        QuantityRule(D(1), 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        check_quantity(1.0, QuantityRule())  # type: ignore[arg-type]
    assert QuantityRule(0, 0) == QuantityRule(1, 1)
    assert QuantityRule(None, None) == QuantityRule()  # type: ignore[arg-type]
    assert TierPrice("Retail", D("1"), None).at_quantity == 1  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        TierPrice("Retail", 1.5, 1)  # type: ignore[arg-type]


rules = st.builds(QuantityRule, st.integers(0, 200), st.integers(0, 50))


@settings(deadline=None)
@given(st.integers(-1000, 100_000), rules)
def test_nearest_are_valid_and_bracket(qty, rule):
    check = check_quantity(qty, rule)
    if check.ok:
        assert qty >= rule.minimum and qty % rule.increment == 0 and check.nearest == ()
        return
    assert 1 <= len(check.nearest) <= 2
    for n in check.nearest:
        assert check_quantity(n, rule).ok
    above = check.nearest[-1]
    assert above > qty
    # nothing valid strictly between the input and its neighbours
    assert all(not check_quantity(q, rule).ok for q in range(max(qty + 1, 1), above))
    if len(check.nearest) == 2:
        below = check.nearest[0]
        assert below < qty
        assert all(not check_quantity(q, rule).ok for q in range(below + 1, qty + 1))
    else:
        assert all(not check_quantity(q, rule).ok for q in range(1, max(qty, 1)))


prices = st.decimals(min_value=D("0.01"), max_value=D("10000"), places=2)


@settings(deadline=None)
@given(prices, st.lists(st.tuples(st.sampled_from(["Wholesale", "Retail"]), prices, st.integers(1, 500)), max_size=8),
       st.sampled_from(["Wholesale", "Retail", "Other"]), st.integers(1, 1000))
def test_unit_price_never_above_list_when_breaks_are_below(list_price, raw, tier, qty):
    breaks = [TierPrice(t, p, q) for t, p, q in raw]
    assume(all(b.price <= list_price for b in breaks))
    price = unit_price(list_price, breaks, tier, qty)
    assert price <= list_price
    assert price == list_price or any(b.price == price and b.at_quantity <= qty for b in breaks)
