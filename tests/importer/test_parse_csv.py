from decimal import Decimal as D
from pathlib import Path

import pytest

from nymble_desk.importer import ImportFileError, parse_csv, parse_file
from importer_files import HEADER, csv_line, order_lines


def test_rows_with_the_same_external_id_form_one_order(sample_csv):
    result = parse_csv(sample_csv, "orders.csv")
    assert [r.external_id for r in result.rows] == ["ERP-10001", "ERP-10002"]
    assert all(r.ok for r in result.rows) and result.warnings == ()
    first, second = result.rows
    assert first.lines == (2,) and second.lines == (3, 4)
    assert first.payload == {
        "externalId": "ERP-10001",
        "orderNumber": "ORD-2023-001",
        "terms": "Net60",
        "orderDate": "2023-06-15T09:30:00Z",
        "customer": {"customerNumber": "CUST-0055", "companyName": "Apex Distributors"},
        "orderType": "EDI",
        "poNumber": "PO-55001",
        "priceTier": "Wholesale",
        "currencyCode": "USD",
        "primarySalesRep": {"repNumber": "REP-003"},
        "items": [{"sku": "PART-A1", "productName": "Part A1", "quantity": 100, "price": D("4.25")}],
    }
    assert second.payload["items"] == [
        {"sku": "PART-B3", "productName": "Part B3", "quantity": 50, "price": D("9.99")},
        {"sku": "WDG-RED-M", "productName": "Widget Red Medium", "quantity": 12, "price": D("11.00")},
    ]
    assert second.payload["customer"]["companyName"] == "Cornerstone Goods"


def test_money_is_decimal_never_float(sample_csv):
    for row in parse_csv(sample_csv).rows:
        for item in row.payload["items"]:
            assert type(item["price"]) is D and type(item["quantity"]) is int


def test_non_adjacent_rows_of_one_order_are_grouped():
    text = "\n".join([HEADER, *order_lines("A-1"), *order_lines("B-2"),
                      *order_lines("A-1", items=(("PART-A1", "10", "4.25"),))])
    rows = parse_csv(text).rows
    assert [(r.external_id, r.lines) for r in rows] == [("A-1", (2, 4)), ("B-2", (3,))]
    assert [i["sku"] for i in rows[0].payload["items"]] == ["WDG-BLU-L", "PART-A1"]


def test_order_type_defaults_to_import_and_dates_become_utc():
    text = "\n".join([HEADER, *order_lines("A-1", date="2024-03-15T10:22:00+02:00"), *order_lines("B-2", date="")])
    a, b = parse_csv(text).rows
    assert a.payload["orderType"] == "Import"
    assert a.payload["orderDate"] == "2024-03-15T08:22:00Z"
    assert "orderDate" not in b.payload


def test_validation_messages_name_field_and_line():
    text = "\n".join([
        HEADER,
        csv_line(externalId="X-1", customerNumber="CUST-1042", poNumber="PO-1", priceTier="Wholesale",
                 currencyCode="USD", repNumber="REP-007", sku="WDG-BLU-L", quantity="2.5", price="12.50"),
        csv_line(externalId="X-1", sku="", quantity="0", price="abc"),
        csv_line(externalId="X-2", orderDate="15/03/2024", customerNumber="", poNumber="PO-2", priceTier="Retail",
                 currencyCode="dollars", sku="A-1", quantity="1", price="-3"),
    ])
    x1, x2 = parse_csv(text, "orders.csv").rows
    assert [str(e) for e in x1.errors] == [
        "orders.csv line 2: quantity: must be a whole number from 1 to 99,999, not '2.5'",
        "orders.csv line 3: sku: is required",
        "orders.csv line 3: quantity: must be at least 1, not 0",
        "orders.csv line 3: price: must be an amount such as 12.50, not 'abc'",
    ]
    messages = {(e.field, e.line) for e in x2.errors}
    assert messages == {("orderDate", 4), ("customerNumber", 4), ("currencyCode", 4), ("repNumber", 4), ("price", 4)}
    assert not x1.ok and not x2.ok


def test_conflicting_order_fields_are_errors_on_the_later_line():
    text = "\n".join([HEADER, *order_lines("A-1", po="PO-1"),
                      *order_lines("A-1", po="PO-2", items=(("PART-A1", "10", "4.25"),))])
    (row,) = parse_csv(text).rows
    assert [str(e) for e in row.errors] == [
        "orders.csv line 3: poNumber: 'PO-2' differs from 'PO-1' on line 2 of the same order"
    ]


def test_missing_external_id_is_derived_stably():
    lines = order_lines("", items=(("WDG-BLU-L", "24", "12.50"), ("WDG-RED-M", "12", "11.00")))
    text = "\n".join([HEADER, *lines])
    (row,) = parse_csv(text).rows
    assert row.derived_id and row.external_id.startswith("IMP-") and len(row.external_id) == 28
    assert row.payload["externalId"] == row.external_id
    # The same content, reordered lines and a different price spelling: the same id.
    again = "\n".join([HEADER, lines[1].replace("11.00", "11"), lines[0]])
    assert parse_csv(again).rows[0].external_id == row.external_id
    # A different PO, customer, date or line is a different order.
    for changed in (order_lines("", po="PO-9"), order_lines("", customer="CUST-0055"),
                    order_lines("", date="2024-03-16"), order_lines("", items=(("WDG-BLU-L", "25", "12.50"),))):
        assert parse_csv("\n".join([HEADER, *changed])).rows[0].external_id != row.external_id


def test_rows_without_external_id_group_by_customer_po_and_date():
    text = "\n".join([HEADER, *order_lines("", po="PO-1"), *order_lines("", po="PO-2"),
                      *order_lines("", po="PO-1", items=(("PART-A1", "10", "4.25"),))])
    rows = parse_csv(text).rows
    assert [r.lines for r in rows] == [(2, 4), (3,)]


def test_headers_are_matched_loosely_and_unknown_columns_warned():
    header = HEADER.replace("externalId", "External ID").replace("poNumber", "po_number") + ",colour"
    text = "\n".join([header, order_lines("A-1")[0] + ",blue"])
    result = parse_csv(text)
    assert result.rows[0].ok and result.rows[0].payload["poNumber"] == "PO-1"
    assert result.warnings == ("orders.csv line 1: unknown column 'colour' ignored",)


def test_semicolon_files_and_bom(tmp_path: Path):
    text = "\n".join([HEADER, *order_lines("A-1")]).replace(",", ";")
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = parse_file(path)
    assert result.rows[0].ok and result.rows[0].external_id == "A-1"
    assert len(result.digest) == 64


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is empty"),
        (
            "sku,quantity,price\nA,1,2\n",
            "missing column(s) customerNumber, poNumber, priceTier, currencyCode, repNumber",
        ),
        (HEADER + ",sku\n", "a column appears twice"),
    ],
)
def test_file_level_errors(text, words):
    with pytest.raises(ImportFileError) as err:
        parse_csv(text)
    assert words in str(err.value)


def test_unreadable_files(tmp_path: Path):
    with pytest.raises(ImportFileError, match="cannot read"):
        parse_file(tmp_path / "nope.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(HEADER.encode() + b"\n\xe9\n")
    with pytest.raises(ImportFileError, match="not UTF-8"):
        parse_file(bad)


def test_blank_lines_are_skipped_and_line_numbers_stay_true():
    text = "\n".join([HEADER, "", *order_lines("A-1"), ",,,,", *order_lines("B-2", items=(("A-1", "x", "1"),))])
    a, b = parse_csv(text).rows
    assert a.lines == (3,) and b.lines == (5,)
    assert str(b.errors[0]).startswith("orders.csv line 5: quantity")


def test_quoted_multiline_notes_keep_line_numbers():
    first = order_lines("A-1", notes='"call first\nthen ship"')[0]
    text = "\n".join([HEADER, first, *order_lines("B-2")])
    a, b = parse_csv(text).rows
    assert a.payload["notes"] == "call first\nthen ship"
    assert (a.lines, b.lines) == ((2,), (4,))


def test_rows_with_only_line_columns_continue_the_order_above():
    text = "\n".join([HEADER, *order_lines("", po="PO-7"), csv_line(sku="PART-A1", quantity="10", price="4.25"),
                      *order_lines("E-1"), csv_line(sku="PART-B3", quantity="25", price="9.99")])
    first, second = parse_csv(text).rows
    assert first.ok and second.ok
    assert (first.lines, second.lines) == ((2, 3), (4, 5))
    assert [i["sku"] for i in first.payload["items"]] == ["WDG-BLU-L", "PART-A1"]
    assert [i["sku"] for i in second.payload["items"]] == ["WDG-BLU-L", "PART-B3"]


def test_a_first_row_without_order_columns_is_an_error_not_a_crash():
    (row,) = parse_csv("\n".join([HEADER, csv_line(sku="PART-A1", quantity="10", price="4.25")])).rows
    assert {e.field for e in row.errors} == {"customerNumber", "poNumber", "priceTier", "currencyCode", "repNumber"}


def test_quantities_follow_the_desks_one_rule():
    """The entry line's rule (domain.quantity): grouped thousands read, past 99,999 refused, a
    24-digit quantity refused by its length (it once reached SQLite as an integer too large)."""
    text = "\n".join([
        HEADER,
        csv_line(externalId="Q-1", customerNumber="CUST-1042", poNumber="PO-Q1", priceTier="Wholesale",
                 currencyCode="USD", repNumber="REP-007", sku="WDG-BLU-L", quantity='"1,200"', price="12.50"),
        csv_line(externalId="Q-2", customerNumber="CUST-1042", poNumber="PO-Q2", priceTier="Wholesale",
                 currencyCode="USD", repNumber="REP-007", sku="WDG-BLU-L", quantity="150000", price="12.50"),
        csv_line(externalId="Q-3", customerNumber="CUST-1042", poNumber="PO-Q3", priceTier="Wholesale",
                 currencyCode="USD", repNumber="REP-007", sku="WDG-BLU-L", quantity="1" * 24, price="12.50"),
    ])
    q1, q2, q3 = parse_csv(text, "orders.csv").rows
    assert q1.ok and q1.payload["items"][0]["quantity"] == 1200
    assert [str(e) for e in q2.errors] == ["orders.csv line 3: quantity: must be at most 99,999, not 150,000"]
    assert [str(e) for e in q3.errors] == [
        "orders.csv line 4: quantity: must be at most 99,999 (got a 24-digit number)"
    ]


def test_a_given_external_id_that_repeats_a_derived_one_is_an_error_either_way_round():
    derived_order = order_lines("", po="PO-D")
    (row,) = parse_csv("\n".join([HEADER, *derived_order])).rows
    given = order_lines(row.external_id, po="PO-G")
    first, later = parse_csv("\n".join([HEADER, *derived_order, *given])).rows
    assert first.ok and [(e.field, e.line) for e in later.errors] == [("externalId", 3)]
    assert f"{row.external_id} has the same externalId as the order on line 2" in str(later.errors[0])
    first, later = parse_csv("\n".join([HEADER, *given, *derived_order])).rows
    assert first.ok and "the same order content as the order on line 2" in str(later.errors[0])
    # two orders giving the same id are one order (its rows are grouped), never a repeat
    (both,) = parse_csv("\n".join([HEADER, *order_lines("G-1"), *order_lines("", po="PO-X"),
                                   *order_lines("G-1", items=(("PART-A1", "10", "4.25"),))])).rows[:1]
    assert both.external_id == "G-1" and both.lines == (2, 4)
