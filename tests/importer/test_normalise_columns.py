"""normalise_columns (a CSV order's cells) gives what normalise_order gives the same order: payload and problems."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nymble_desk.importer.csv_orders import ORDER_COLUMNS
from nymble_desk.importer.normalise import normalise_columns, normalise_order
from nymble_desk.importer.rows import Problems

cells = st.one_of(
    st.text(min_size=1, max_size=8),
    st.sampled_from(["12", "0", "1,000", "100000", "12.0", "ten", "-3", "4.25", "$1,234.50", "12.", "abc",
                     "2024-03-15", "2024-03-15T09:30:00+02:00", "2024-02-30", "usd", "US", "EURO", "\u00e9t\u00e9"]),
).map(str.strip).filter(bool)
fields = st.dictionaries(st.sampled_from(ORDER_COLUMNS), cells)
item = st.dictionaries(st.sampled_from(("sku", "productName", "quantity", "price")), cells)


@settings(max_examples=400, deadline=None)
@given(fields, st.lists(item, min_size=1, max_size=4), st.sampled_from(["Import", "EDI"]), st.data())
def test_a_csv_order_is_normalised_as_the_general_case_would(fields_, items, default, data):
    lines = sorted(data.draw(st.lists(st.integers(2, 99), min_size=len(items), max_size=len(items), unique=True)))
    field_lines = {k: data.draw(st.sampled_from(lines)) for k in fields_}

    raw: dict[str, Any] = {k: v for k, v in fields_.items() if k not in ("customerNumber", "companyName", "repNumber")}
    customer = {k: fields_[k] for k in ("customerNumber", "companyName") if k in fields_}
    if customer:
        raw["customer"] = customer
    if "repNumber" in fields_:
        raw["primarySalesRep"] = {"repNumber": fields_["repNumber"]}
    raw["items"] = copy.deepcopy(items)
    general = Problems("f.csv")
    expected = normalise_order(raw, general, line=lines[0], item_lines=lines, field_lines=field_lines,
                               default_order_type=default)

    columns = Problems("f.csv")
    got = normalise_columns(dict(fields_), field_lines, copy.deepcopy(items), lines, columns,
                            default_order_type=default)
    assert got == expected
    assert list(got) == list(expected)  # the same key order too
    assert columns.errors == general.errors
