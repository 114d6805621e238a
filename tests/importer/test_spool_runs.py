"""The spool keeps a run of one order's consecutive CSV rows as one record: orders still come out
whole and in the order of their first line, whether their rows are together or scattered, and
across the spool's writes."""

from __future__ import annotations

import random

import pytest
from importer_files import HEADER, csv_line

from nymble_desk.importer import parse_csv
from nymble_desk.importer.parse import _CHUNK


def file_of(lines_per_order: list[tuple[str, int]]) -> str:
    """One CSV row per (externalId, n): the order's n-th item."""
    rows = [csv_line(externalId=ext, customerNumber="CUST-1042", poNumber=f"PO-{ext}", priceTier="Wholesale",
                     currencyCode="USD", repNumber="REP-007", sku=f"SKU-{n}", quantity=str(n + 1), price="1.00")
            for ext, n in lines_per_order]
    return "\n".join([HEADER, *rows]) + "\n"


def expected(lines_per_order: list[tuple[str, int]]) -> list[tuple[str, list[str], list[int]]]:
    """(externalId, skus, source lines) per order, orders in the order of their first row."""
    orders: dict[str, tuple[list[str], list[int]]] = {}
    for line, (ext, n) in enumerate(lines_per_order, start=2):
        skus, lines = orders.setdefault(ext, ([], []))
        skus.append(f"SKU-{n}")
        lines.append(line)
    return [(ext, skus, lines) for ext, (skus, lines) in orders.items()]


def got(text: str) -> list[tuple[str, list[str], list[int]]]:
    return [(r.external_id, [i["sku"] for i in r.payload["items"]], list(r.lines)) for r in parse_csv(text).rows]


@pytest.mark.parametrize("scatter", [0, 1, 40])
def test_orders_come_out_whole_in_first_line_order(scatter):
    rng = random.Random(scatter)
    # orders of 1-5 rows, over several of the spool's writes (_CHUNK runs each)
    rows = [(f"E-{o:05d}", n) for o in range(3 * _CHUNK) for n in range(rng.randint(1, 5))]
    for _ in range(scatter):  # move a row of some order to somewhere else in the file
        rows.insert(rng.randrange(len(rows)), rows.pop(rng.randrange(len(rows))))
    assert got(file_of(rows)) == expected(rows)


def test_orders_with_their_rows_together_are_read_back_in_file_order_without_a_sort():
    rows = [(f"F-{o:05d}", n) for o in range(_CHUNK + 5) for n in range(1 + o % 3)]
    parsed = parse_csv(file_of(rows))
    assert not parsed.spool._scattered  # the plain scan, not the sort by key
    assert got(file_of(rows)) == expected(rows)


def test_a_key_that_comes_back_in_a_later_write_is_grouped():
    rows = [("G-FIRST", 0)] + [(f"G-{o:05d}", 0) for o in range(_CHUNK + 10)] + [("G-FIRST", 1)]
    parsed = parse_csv(file_of(rows))
    assert parsed.spool._scattered
    assert got(file_of(rows)) == expected(rows)
