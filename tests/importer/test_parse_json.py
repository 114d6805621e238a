import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from nymble_desk.importer import ImportFileError, parse_bytes, parse_file, parse_json

# The bulk example of the Orders API page, as written.
BULK_EXAMPLE = """{
    "orders": [
      {
        "orderNumber": "ORD-2023-001",
        "orderDate": "2023-06-15T09:30:00Z",
        "externalId": "ERP-10001",
        "customer": {
          "customerNumber": "CUST-0055",
          "companyName": "Apex Distributors"
        },
        "orderType": "EDI",
        "poNumber": "PO-55001",
        "priceTier": "Wholesale",
        "currencyCode": "USD",
        "primarySalesRep": { "repNumber": "REP-003" },
        "items": [
          { "sku": "PART-A1", "productName": "Part A1", "quantity": 100, "price": 4.25 }
        ],
        "user": { "userType": "Admin" },
        "orderStatus": "Complete",
        "terms": "Net60"
      },
      {
        "orderNumber": "ORD-2023-002",
        "orderDate": "2023-07-02T14:00:00Z",
        "externalId": "ERP-10002",
        "customer": {
          "customerNumber": "CUST-0082",
          "companyName": "Cornerstone Goods"
        },
        "orderType": "Direct",
        "poNumber": "PO-82001",
        "priceTier": "Wholesale",
        "currencyCode": "USD",
        "primarySalesRep": { "repNumber": "REP-007" },
        "items": [
          { "sku": "PART-B3", "productName": "Part B3", "quantity": 50, "price": 9.99 }
        ],
        "user": { "userType": "Admin" }
      }
    ]
  }"""


def test_the_orders_page_bulk_example_reads_as_written():
    result = parse_json(BULK_EXAMPLE, "orders.json")
    assert [r.external_id for r in result.rows] == ["ERP-10001", "ERP-10002"]
    assert all(r.ok for r in result.rows) and result.warnings == ()
    assert [r.lines for r in result.rows] == [(3,), (23,)]
    first = result.rows[0].payload
    assert first["items"] == [{"sku": "PART-A1", "productName": "Part A1", "quantity": 100, "price": D("4.25")}]
    assert type(first["items"][0]["price"]) is D
    assert first["user"] == {"userType": "Admin"}
    assert first["orderStatus"] == "Complete" and first["orderNumber"] == "ORD-2023-001"


def test_a_bare_list_and_case_insensitive_keys():
    # The lifecycle page's example: PascalCase keys.
    order = {"Customer": {"CustomerNumber": "CUST-0042", "CompanyName": "Acme Wholesale Ltd."},
             "OrderType": "Standard", "PONumber": "PO-2024-8821", "PriceTier": "Wholesale", "CurrencyCode": "USD",
             "PrimarySalesRep": {"RepNumber": "REP-007"}, "Items": [{"Sku": "WDG-100-BLU", "Quantity": 24,
                                                                     "Price": "18.50"}],
             "Terms": "Net30", "Channel": "Web"}
    (row,) = parse_json(json.dumps([order])).rows
    assert row.ok, row.errors
    assert row.payload["poNumber"] == "PO-2024-8821"
    assert row.payload["customer"] == {"customerNumber": "CUST-0042", "companyName": "Acme Wholesale Ltd."}
    assert row.payload["items"] == [{"sku": "WDG-100-BLU", "quantity": 24, "price": D("18.50")}]
    assert row.derived_id and row.external_id.startswith("IMP-")


def test_rep_as_a_plain_number_and_shipping_tax_amounts():
    order = json.loads(BULK_EXAMPLE)["orders"][1]
    order |= {"primarySalesRep": "REP-007", "tax": 28.80, "shippingDetails": {"method": "FedEx Ground", "total": 18.5},
              "shippingAddressNote": 1}
    text = json.dumps({"orders": [order]})
    result = parse_json(text)
    (row,) = result.rows
    assert row.ok
    assert row.payload["primarySalesRep"] == {"repNumber": "REP-007"}
    assert row.payload["tax"] == D("28.8") and row.payload["shippingDetails"]["total"] == D("18.5")
    assert "shippingAddressNote" not in row.payload
    assert result.warnings == ("orders.json line 1: unknown field 'shippingAddressNote' ignored",)


def test_errors_name_the_json_path_and_the_line():
    text = '{"orders": [\n  {"externalId": "OK-1", "customer": {"customerNumber": "C-1"}, "poNumber": "P",\n' \
           '   "priceTier": "Retail", "currencyCode": "USD", "primarySalesRep": {"repNumber": "R"},\n' \
           '   "items": [{"sku": "A", "quantity": 1, "price": 1}]},\n' \
           '  {"items": [{"sku": "A", "quantity": 1.5, "price": -2}, "oops"]},\n' \
           '  42\n]}'
    ok, bad, junk = parse_json(text).rows
    assert ok.ok
    assert {str(e) for e in bad.errors} == {
        "orders.json line 5: customer.customerNumber: is required",
        "orders.json line 5: poNumber: is required",
        "orders.json line 5: priceTier: is required",
        "orders.json line 5: currencyCode: is required",
        "orders.json line 5: primarySalesRep.repNumber: is required (the primary sales rep)",
        "orders.json line 5: items[0].quantity: must be a whole number from 1 to 99,999, not '1.5'",
        "orders.json line 5: items[0].price: cannot be negative (-2)",
        "orders.json line 5: items[1]: must be an object with sku, quantity and price",
    }
    assert [str(e) for e in junk.errors] == ["orders.json line 6: order: must be an object in the create-order shape"]


def test_duplicate_orders_in_one_file_are_refused():
    order = json.loads(BULK_EXAMPLE)["orders"][0]
    same_content = {k: v for k, v in order.items() if k != "externalId"}
    text = json.dumps({"orders": [order, order, same_content, same_content]}, indent=1)
    rows = parse_json(text).rows
    assert [r.ok for r in rows] == [True, False, True, False]
    assert "ERP-10001 has the same externalId as the order on line 3" in str(rows[1].errors[0])
    assert "the same order content" in str(rows[3].errors[0])


def test_empty_items_is_an_error():
    (row,) = parse_json('[{"customer": "C-1", "poNumber": "P", "priceTier": "T", "currencyCode": "USD", '
                        '"primarySalesRep": "R", "items": []}]').rows
    assert [str(e) for e in row.errors] == ["orders.json line 1: items: at least one line is required"]


@pytest.mark.parametrize(
    ("text", "words"),
    [("{", "line 1: not valid JSON"), ('{"order": []}', 'expected {"orders": [...]}'),
     ('{"orders": 3}', 'expected {"orders": [...]}'), ("3", 'expected {"orders": [...]}')],
)
def test_file_level_errors(text, words):
    with pytest.raises(ImportFileError) as err:
        parse_json(text)
    assert words in str(err.value)


def test_orders_key_after_other_keys(tmp_path: Path):
    body = json.dumps({"exportedAt": "2024-01-01", "meta": {"a": [1, 2]}, "Orders": json.loads(BULK_EXAMPLE)["orders"]})
    path = tmp_path / "export.json"
    path.write_text(body)
    assert len(parse_file(path).valid) == 2
    # JSON content in a file not named .json is still read as JSON.
    assert len(parse_bytes(body.encode(), "export.txt").rows) == 2
