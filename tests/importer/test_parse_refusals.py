"""Issue #12 item 7: an import never changes data silently.  A row repeated by accident,
an unquoted decimal comma and a file nested absurdly deep are each refused with the
reason (per order, or per file), and merged only when asked with --merge-duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from importer_files import HEADER, csv_line, order_lines

from nymble_desk.importer import ImportFileError, parse_csv, parse_file, parse_json


def test_a_repeated_csv_row_refuses_its_order_naming_both_lines():
    lines = order_lines("A-1", items=(("WDG-BLU-L", "24", "12.50"), ("PART-A1", "10", "4.25")))
    text = "\n".join([HEADER, *lines, lines[0], *order_lines("B-2")])
    a, b = parse_csv(text).rows
    assert not a.ok and b.ok
    assert [str(e) for e in a.errors] == [
        "orders.csv line 4: sku: line 4 repeats line 2 of the same order (same sku, quantity and price): "
        "remove it, or pass --merge-duplicates to keep it once"
    ]


def test_a_repeated_continuation_row_of_a_derived_order_is_refused_too():
    text = "\n".join([HEADER, *order_lines(""), csv_line(sku="WDG-BLU-L", quantity="24", price="12.50")])
    (row,) = parse_csv(text).rows
    assert not row.ok and "line 3 repeats line 2" in str(row.errors[0])


def test_merge_duplicates_keeps_a_repeated_row_once_and_says_so():
    lines = order_lines("A-1")
    text = "\n".join([HEADER, *lines, *lines])
    result = parse_csv(text, merge_duplicates=True)
    (row,) = result.rows
    assert row.ok and len(row.payload["items"]) == 1 and row.lines == (2,)
    assert result.warnings == ("orders.csv line 3: repeats line 2 of the same order: merged (kept once)",)


def test_same_sku_with_another_quantity_is_not_a_repeat():
    text = "\n".join([HEADER, *order_lines("A-1", items=(("WDG-BLU-L", "24", "12.50"), ("WDG-BLU-L", "48", "12.50")))])
    (row,) = parse_csv(text).rows
    assert row.ok and len(row.payload["items"]) == 2


def test_an_unquoted_decimal_comma_is_refused_not_truncated():
    text = "\n".join([HEADER, *order_lines("A-1", items=(("WDG-BLU-L", "24", "12,50"),)), *order_lines("B-2")])
    a, b = parse_csv(text).rows
    assert b.ok and not a.ok
    (error,) = a.errors
    assert (error.field, error.line) == ("price", 2)
    assert "12,50 is ambiguous" in error.message and "write 12.50" in error.message


def test_any_extra_cell_refuses_the_row_with_the_count():
    text = "\n".join([HEADER, order_lines("A-1", notes="call")[0].replace("call", "call,then ship")])
    (row,) = parse_csv(text).rows
    assert not row.ok
    assert "18 cells where the header has 17" in str(row.errors[0])


def test_a_quoted_decimal_comma_is_refused_as_an_amount():
    text = "\n".join([HEADER, *order_lines("A-1", items=(("WDG-BLU-L", "24", '"12,50"'),))])
    (row,) = parse_csv(text).rows
    assert not row.ok and "price: must be an amount such as 12.50, not '12,50'" in str(row.errors[0])


def _json_order(**extra):
    return {"externalId": "J-1", "customer": {"customerNumber": "CUST-1042"}, "poNumber": "P", "priceTier": "Retail",
            "currencyCode": "USD", "primarySalesRep": {"repNumber": "REP-007"},
            "items": [{"sku": "WDG-BLU-L", "quantity": 2, "price": "12.50"}], **extra}


def test_a_repeated_json_item_is_refused_or_merged():
    order = _json_order()
    order["items"] = order["items"] * 2
    (row,) = parse_json(json.dumps([order])).rows
    assert not row.ok and "items[1]: repeats items[0]" in str(row.errors[0])
    result = parse_json(json.dumps([order]), merge_duplicates=True)
    assert result.rows[0].ok and len(result.rows[0].payload["items"]) == 1
    assert "merged" in result.warnings[0]


def test_a_repeated_json_order_without_an_id_merges_only_when_asked():
    order = {k: v for k, v in _json_order().items() if k != "externalId"}
    assert [r.ok for r in parse_json(json.dumps([order, order])).rows] == [True, False]
    result = parse_json(json.dumps([order, order]), merge_duplicates=True)
    assert [r.ok for r in result.rows] == [True] and "merged (imported once)" in result.warnings[0]


@pytest.mark.parametrize("shape", ["[" * 100_000 + "]" * 100_000,
                                   '{"orders": [' + '{"a":' * 100_000 + "1" + "}" * 100_000 + "]}"],
                         ids=["lists", "objects"])
def test_json_nested_100000_deep_is_a_file_error(tmp_path: Path, shape: str):
    path = tmp_path / "deep.json"
    path.write_text(shape)
    with pytest.raises(ImportFileError, match=r"deep\.json: nested too deeply"):
        parse_file(path)
