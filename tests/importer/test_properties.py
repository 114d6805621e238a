"""Property tests: what is written as CSV reads back as the same orders, with stable ids."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nymble_desk.importer import CSV_COLUMNS, parse_csv

codes = st.from_regex(r"[A-Z][A-Z0-9-]{0,10}", fullmatch=True)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).map(
    str.strip).filter(bool)
items = st.lists(
    st.tuples(codes, st.integers(1, 99_999), st.decimals(min_value=0, max_value=Decimal("99999.9999"), places=4)),
    min_size=1, max_size=4, unique=True,  # a line repeated exactly is refused (tests/importer/test_parse_refusals.py)
)
orders = st.lists(st.tuples(codes, texts, items), min_size=1, max_size=5)


def to_csv(orders_: list, *, with_ids: bool, reverse_lines: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for n, (customer, po, lines) in enumerate(orders_):
        for sku, qty, price in (reversed(lines) if reverse_lines else lines):
            row = {"externalId": f"X-{n}" if with_ids else "", "customerNumber": customer, "poNumber": f"{po}#{n}",
                   "priceTier": "Wholesale", "currencyCode": "USD", "repNumber": "REP-007",
                   "sku": sku, "quantity": str(qty), "price": str(price)}
            writer.writerow([row.get(c, "") for c in CSV_COLUMNS])
    return buf.getvalue()


@settings(max_examples=50, deadline=None)
@given(orders)
def test_csv_round_trip(orders_):
    rows = parse_csv(to_csv(orders_, with_ids=True)).rows
    assert len(rows) == len(orders_)
    for row, (customer, po, lines) in zip(rows, orders_, strict=False):
        assert row.ok, row.errors
        assert row.payload["customer"]["customerNumber"] == customer
        assert row.payload["poNumber"] == f"{po}#{rows.index(row)}"
        assert [(i["sku"], i["quantity"], i["price"]) for i in row.payload["items"]] == list(lines)


@settings(max_examples=50, deadline=None)
@given(orders)
def test_derived_ids_are_stable_and_ignore_line_order(orders_):
    first = [r.external_id for r in parse_csv(to_csv(orders_, with_ids=False)).rows]
    again = [r.external_id for r in parse_csv(to_csv(orders_, with_ids=False, reverse_lines=True)).rows]
    assert first == again
    assert all(e.startswith("IMP-") for e in first)
    assert len(set(first)) == len(first)  # each order has its own PO, so its own id
