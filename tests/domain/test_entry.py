import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nymble_desk.domain import MAX_QUANTITY, Entry, EntryError, parse_entry


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("WDG-BLU-L", Entry("WDG-BLU-L", None, False)),
        ("  wdg-blu-l  ", Entry("WDG-BLU-L", None, False)),
        ("WDG-BLU-L*12", Entry("WDG-BLU-L", 12, False)),
        ("wdg-blu-l * 12", Entry("WDG-BLU-L", 12, False)),
        ("12*WDG-BLU-L", Entry("WDG-BLU-L", 12, False)),
        ("WDG-BLU-L 12", Entry("WDG-BLU-L", 12, False)),
        ("12 WDG-BLU-L", Entry("WDG-BLU-L", 12, False)),
        ("WDG-BLU-L x 12", Entry("WDG-BLU-L", 12, False)),
        ("PART-A1 X 10", Entry("PART-A1", 10, False)),
        ("PART-A1\t007", Entry("PART-A1", 7, False)),
        ("ABC*99999", Entry("ABC", 99999, False)),
        ("012345678905", Entry("012345678905", 1, True)),
        ("12345670", Entry("12345670", 1, True)),
        ("4006381333931", Entry("4006381333931", 1, True)),
        ("012345678905*3", Entry("012345678905", 3, True)),
        ("3*012345678905", Entry("012345678905", 3, True)),
        ("012345678905 3", Entry("012345678905", 3, True)),
        ("12345", Entry("12345", None, False)),
        ("sku_1.2/b", Entry("SKU_1.2/B", None, False)),
    ],
)
def test_parse_entry(text, entry):
    assert parse_entry(text) == entry


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Type a SKU"),
        ("   ", "Type a SKU"),
        ("12*34", "ambiguous"),
        ("1 2", "ambiguous"),
        ("A1*B2", "no quantity"),
        ("PART-A1*0", "at least 1"),
        ("PART-A1*-5", "whole number"),
        ("PART-A1*2.5", "whole number"),
        (f"PART-A1*{MAX_QUANTITY + 1}", "at most 99,999"),
        ("a*b*c", "one '*'"),
        ("*5", "both sides"),
        ("PART-A1*", "both sides"),
        ("012345678905*012345678905", "two UPCs"),
        ("PART A1 5", "Could not read"),
        ("2.5", "is a number"),
        ("WDG!*5", "not a SKU"),
        ("X" * 65, "at most 64"),
    ],
)
def test_parse_entry_refuses_with_plain_words(text, words):
    with pytest.raises(EntryError) as err:
        parse_entry(text)
    assert words in err.value.message
    assert err.value.field in ("entry", "quantity")


def test_quantity_errors_point_at_the_quantity_field():
    with pytest.raises(EntryError) as err:
        parse_entry("PART-A1*0")
    assert err.value.field == "quantity"


# A SKU has a letter or a dash, so it can never be read as a number.
skus = st.from_regex(r"[A-Za-z0-9]{0,6}[A-Za-z-][A-Za-z0-9._/-]{0,10}", fullmatch=True).filter(
    lambda s: s[0].isalnum()
)
quantities = st.integers(1, MAX_QUANTITY)


@settings(deadline=None)
@given(skus, quantities)
def test_sku_star_qty_round_trips(sku, qty):
    assert parse_entry(f"{sku}*{qty}") == Entry(sku.upper(), qty, False)


@settings(deadline=None)
@given(skus, quantities)
def test_qty_star_sku_round_trips(sku, qty):
    assert parse_entry(f"{qty}*{sku}") == Entry(sku.upper(), qty, False)


@settings(deadline=None)
@given(skus, quantities, st.sampled_from(["{s} {q}", "{s} x {q}", " {q} * {s} ", "{s}  X  {q}"]))
def test_other_forms_agree(sku, qty, form):
    assert parse_entry(form.format(s=sku, q=qty)) == Entry(sku.upper(), qty, False)


@settings(deadline=None)
@given(st.text(max_size=30))
def test_anything_either_parses_or_raises_entry_error(text):
    try:
        entry = parse_entry(text)
    except EntryError as err:
        assert err.message
    else:
        assert entry.code and entry.code == entry.code.upper()
        assert entry.quantity is None or 1 <= entry.quantity <= MAX_QUANTITY
