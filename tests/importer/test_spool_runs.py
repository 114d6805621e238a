"""The spool keeps a run of one order's consecutive CSV rows as one record: orders still come out
whole and in the order of their first line, whether their rows are together or scattered, and
across the spool's chunks of records."""

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
    # orders of 1-5 rows, so runs straddle the spool's chunk boundaries (every _CHUNK records)
    rows = [(f"E-{o:05d}", n) for o in range(_CHUNK) for n in range(rng.randint(1, 5))]
    assert len(rows) > 2 * _CHUNK
    for _ in range(scatter):  # move a row of some order to somewhere else in the file
        rows.insert(rng.randrange(len(rows)), rows.pop(rng.randrange(len(rows))))
    assert got(file_of(rows)) == expected(rows)


def test_an_order_split_only_by_a_chunk_boundary_is_not_scattered():
    rows = [(f"F-{o:05d}", 0) for o in range(_CHUNK - 1)] + [("F-LONG", n) for n in range(4)] + [("F-LAST", 0)]
    parsed = parse_csv(file_of(rows))
    assert got(file_of(rows)) == expected(rows)
    list(parsed.stream())
    assert not parsed.spool._scattered  # the plain scan, not the sort by key


def test_a_key_that_comes_back_in_a_later_chunk_is_grouped():
    rows = [("G-FIRST", 0)] + [(f"G-{o:05d}", 0) for o in range(_CHUNK + 10)] + [("G-FIRST", 1)]
    parsed = parse_csv(file_of(rows))
    list(parsed.stream())
    assert parsed.spool._scattered
    assert got(file_of(rows)) == expected(rows)
