"""A JSON orders file is read one order at a time in chunks: the orders, their lines and the errors are
those of the whole text decoded at once, wherever the chunks end, and memory stays flat in the file's size."""

from __future__ import annotations

import io
import json
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nymble_desk.importer import ImportFileError, json_stream, parse_file

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.text(max_size=12),
                    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                      max_leaves=12)


def _dumps(value: object, indent: int | None) -> str:
    return json.dumps(value, indent=indent, default=float, ensure_ascii=False)


def _expected(text: str) -> list[tuple[int, object]]:
    """Each element of the orders array with the line its first character is on, from the whole text."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    doc = decoder.decode(text)
    elements = doc if isinstance(doc, list) else next(v for k, v in doc.items() if k.lower() == "orders")
    lines: list[int] = []
    start = text.index("[") if isinstance(doc, list) else text.index("[", text.lower().index('"orders"'))
    pos = start + 1
    for _ in elements:
        while text[pos] in " \t\r\n,":
            pos += 1
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)
    return list(zip(lines, elements, strict=True))


@settings(max_examples=150, deadline=None)
@given(st.lists(values, max_size=6), st.sampled_from([None, 0, 2]), st.integers(1, 40), st.booleans())
def test_any_chunk_size_gives_the_orders_and_lines_of_the_whole_text(elements, indent, chunk, wrapped):
    doc = {"exportedAt": "2024", "meta": {"n": [1, 2.5]}, "Orders": elements, "after": [True]} if wrapped else elements
    text = _dumps(doc, indent)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(json_stream, "CHUNK", chunk)
        got = list(json_stream.orders(io.StringIO(text), "x.json"))
    assert got == _expected(text)


@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
@pytest.mark.parametrize(("text", "words"), [
    ('[{"a": 1},\n{"a": 2}\n]\n]', "line 4: not valid JSON (Extra data)"),
    ('{"orders": [{"a": 1}],\n "x": }', "line 2: not valid JSON (Expecting value)"),
    ('[{"a": 1}\n {"a": 2}]', "line 2: not valid JSON (Expecting ',' delimiter)"),
    ('[{"a": 1},\n\n{"a": "open]', "line 3: not valid JSON (Unterminated string"),
    ('[1, 2,]', "not valid JSON (Expecting value)"),
    ('{"orders": [1], "orders" 2}', "not valid JSON (Expecting ':' delimiter)"),
    ("", "line 1: not valid JSON"),
    ('"orders"', 'expected {"orders": [...]}'),
    ('{"orders": {"a": 1}}', 'expected {"orders": [...]}'),
])
def test_errors_anywhere_are_file_errors_with_the_line(chunk, text, words, monkeypatch):
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    with pytest.raises(ImportFileError) as err:
        list(json_stream.orders(io.StringIO(text), "x.json"))
    assert words in str(err.value)


@pytest.mark.parametrize("chunk", [2, 5])
def test_a_number_cut_by_a_chunk_is_read_whole(chunk, monkeypatch):
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    text = "[123456789, 1.25e3, true, 98765]"
    assert [v for _, v in json_stream.orders(io.StringIO(text), "x.json")] == [123456789, Decimal("1.25e3"), True,
                                                                                98765]


def _write_orders(path: Path, orders: int, items: int) -> None:
    with path.open("w") as f:
        f.write('{"orders": [\n')
        for i in range(orders):
            order = {"externalId": f"MEM-{i:06d}", "customer": {"customerNumber": "CUST-1042"}, "poNumber": f"PO-{i}",
                     "priceTier": "Wholesale", "currencyCode": "USD", "primarySalesRep": {"repNumber": "REP-007"},
                     "items": [{"sku": f"SKU-{k:03d}", "quantity": k + 1, "price": 12.5} for k in range(items)]}
            f.write(("," if i else "") + json.dumps(order) + "\n")
        f.write("]}\n")


def test_memory_stays_flat_in_the_file_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Python's allocations while a 2 MB file is parsed into the spool (SQLite's, on disk) stay under a
    quarter of its size: read whole, the text alone is all of it, and the decoded orders several times it.
    (Reading the spool back holds one page of 500 orders, as for a CSV file.)"""
    monkeypatch.setattr(json_stream, "CHUNK", 1 << 15)
    path = tmp_path / "big.json"
    _write_orders(path, 1_500, 25)
    size = path.stat().st_size
    assert size > 2_000_000
    tracemalloc.start()
    try:
        result = parse_file(path)  # a JSON file's orders are all decoded, checked and spooled here
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    try:
        assert result.count == 1_500 and result.valid_count == 1_500
    finally:
        result.close()
    assert peak < size / 4, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
