"""wire_order writes a checked order's JSON without a model: byte for byte what the model path sent."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from nymble_desk.api.models import OrderCreate
from nymble_desk.api.wire import encode
from nymble_desk.importer import parse_csv, parse_json
from nymble_desk.importer.wire_order import order_json

USER = {"userId": "u-1", "userType": "Admin"}


def by_model(payload: dict[str, Any], user: dict[str, str] = USER) -> str:
    body = payload if "user" in payload else {**payload, "user": user}
    return encode(OrderCreate.model_validate(body).to_wire()).decode("utf-8")


texts = st.one_of(st.text(max_size=12), st.sampled_from(['a"b\\c', "\u00e9\u4e2d\U0001f600", "\ud800x", "\n\t\x00"]))
amounts = st.decimals(allow_nan=False, allow_infinity=False)
item = st.fixed_dictionaries(
    {"sku": texts, "quantity": st.integers(-10, 10**20), "price": amounts},
    optional={"productName": texts, "externalId": texts})
rep = st.fixed_dictionaries({"repNumber": texts}, optional={k: st.one_of(st.none(), texts) for k in (
    "firstName", "lastName", "fullName", "email", "phoneNumber")})
plain = st.fixed_dictionaries(
    {"externalId": texts.filter(bool), "customer": st.fixed_dictionaries(
        {"customerNumber": texts}, optional={k: st.one_of(st.none(), texts) for k in (
            "companyName", "companyEmail", "companyPhone", "companyFax")}),
     "orderType": texts, "priceTier": texts, "currencyCode": texts, "primarySalesRep": rep,
     "items": st.lists(item, max_size=4)},
    optional={**{k: st.one_of(st.none(), texts) for k in ("poNumber", "terms", "notes", "orderStatus", "channel",
                                                             "originationCartId", "orderNumber")},
              "takenBySalesRep": st.one_of(st.none(), rep), "tax": st.one_of(st.none(), amounts),
              "orderDate": st.one_of(st.none(), st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))),
              "user": st.one_of(st.none(), st.fixed_dictionaries(
                  {}, optional={"userId": texts, "userType": st.one_of(st.none(), texts)}))})


@settings(max_examples=300, deadline=None)
@given(plain)
def test_a_plain_payload_is_written_as_the_model_would_send_it(payload):
    try:
        expected = by_model(payload)
    except ValidationError:  # e.g. the year 999 (strftime writes "999"): the model's message is reported
        assert order_json(payload, USER) is None
        return
    assert order_json(payload, USER) == expected


def test_the_files_orders_are_written_as_the_model_would_send_them(sample_csv):
    rows = parse_csv(sample_csv).rows
    assert rows and all(r.ok for r in rows)
    for row in rows:
        text = order_json(row.payload, USER)
        assert text == by_model(row.payload)
        assert json.loads(text, parse_float=Decimal)["orderDate"].endswith("+00:00")


@pytest.mark.parametrize("change", [
    {"shippingDetails": {"method": "Ground", "total": Decimal("5")}},  # a JSON order's extras: the model's job
    {"customer": {"customerNumber": "C-1", "billingAddress": {"address1": "1 Main St"}}},
    {"customer": {"customerNumber": "C-1", "company_name": "by field name"}},
    {"primarySalesRep": {"repNumber": "R-1", "active": True}},
    {"items": [{"sku": "S", "quantity": True, "price": Decimal("1")}]},  # the model reads True as 1
    {"items": [{"sku": "S", "quantity": 2, "price": 1.5}]},
    {"items": [{"sku": "S", "quantity": 2, "price": Decimal("1"), "discount": {"type": "Fixed"}}]},
    {"items": [{"sku": "S", "quantity": 2, "price": Decimal("NaN")}]},
    {"poNumber": 12},
    {"externalId": ""},
    {"orderDate": "2024-03-15"},
    {"whatever": "x"},
    {"orderType": None},  # required: the model refuses it
    {"items": None},
])
def test_anything_but_the_plain_shape_is_left_to_the_model(change):
    payload = {"externalId": "E-1", "customer": {"customerNumber": "C-1"}, "orderType": "Import", "poNumber": "P",
               "priceTier": "Wholesale", "currencyCode": "USD", "primarySalesRep": {"repNumber": "R-1"},
               "items": [{"sku": "S", "quantity": 2, "price": Decimal("1.50")}]}
    assert order_json(payload, USER) == by_model(payload)
    assert order_json({**payload, **change}, USER) is None


def test_a_json_order_with_addresses_goes_through_the_model():
    text = json.dumps({"orders": [
        {"externalId": "J-1", "customer": {"customerNumber": "CUST-1042", "billingAddress": {"address1": "1 Main"}},
         "poNumber": "P", "priceTier": "Wholesale", "currencyCode": "USD", "primarySalesRep": "REP-007",
         "items": [{"sku": "WDG-BLU-L", "quantity": 2, "price": "12.50"}]},
        {"externalId": "J-2", "customer": "CUST-1042", "poNumber": "P2", "priceTier": "Wholesale",
         "currencyCode": "usd", "primarySalesRep": {"repNumber": "REP-007"}, "orderDate": "2024-03-15T09:30:00+02:00",
         "user": {"userType": "SalesRep"}, "tax": 3, "items": [{"sku": "WDG-BLU-L", "quantity": "1,000",
                                                                "price": "$1,234.50", "productName": "W"}]},
    ]})
    first, second = parse_json(text).rows
    assert order_json(first.payload, USER) is None
    assert order_json(second.payload, USER) == by_model(second.payload)
    assert '"user":{"userType":"SalesRep"}' in by_model(second.payload)
