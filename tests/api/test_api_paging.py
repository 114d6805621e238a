"""The filters wire encoding and the paging helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from nymble_desk.api.models import Page
from nymble_desk.api.paging import Filter, collect, encode_filters, iter_items, list_params, parse_page


def test_filters_encode_as_repeated_field_operator_value() -> None:
    pairs = encode_filters([
        Filter("orderDate", "gte", datetime(2024, 3, 15, 10, 0, tzinfo=UTC)),
        Filter("orderTotal", "GT", Decimal("100.50")),
        Filter("poNumber", "contains", "PO:2024"),
        Filter("active", "equals", True),
    ])
    assert pairs == [
        ("filters", "orderDate:gte:2024-03-15T10:00:00+00:00"),
        ("filters", "orderTotal:gt:100.50"),
        ("filters", "poNumber:contains:PO:2024"),
        ("filters", "active:equals:true"),
    ]


def test_bad_filters_are_refused_before_sending() -> None:
    with pytest.raises(ValueError, match="operator"):
        Filter("x", "like", "y")
    with pytest.raises(ValueError, match="field"):
        Filter("a:b", "equals", "y")


def test_list_params_order_and_direction_spelling() -> None:
    params = list_params(keyword="bright", sort_on="Name", sort_direction="Descending", page_number=2,
                         page_size=10, filters=[Filter("active", "equals", True)])
    assert params == [("pageNumber", "2"), ("pageSize", "10"), ("keyword", "bright"), ("sortOn", "Name"),
                      ("sortDirection", "desc"), ("filters", "active:equals:true")]
    with pytest.raises(ValueError):
        list_params(sort_direction="sideways")
    with pytest.raises(ValueError):
        list_params(page_number=0)


def test_parse_page_fills_page_size_for_the_data_shape() -> None:
    page = parse_page({"data": [1, 2], "totalRecords": 5, "currentPage": 1, "totalPages": 3}, int, 2)
    assert (page.items, page.total, page.page_size, page.has_next) == ([1, 2], 5, 2, True)
    bare = parse_page([1, 2, 3], int)
    assert (bare.total, bare.total_pages, bare.has_next) == (3, 1, False)


def fake_pages(total: int, size: int):
    calls: list[int] = []

    async def fetch(number: int) -> Page[int]:
        calls.append(number)
        start = (number - 1) * size
        items = list(range(start, min(start + size, total)))
        pages = -(-total // size)
        return Page[int](items=items, total=total, page_number=number, page_size=size, total_pages=pages)

    return fetch, calls


async def test_iterate_all_pages_and_stop() -> None:
    fetch, calls = fake_pages(23, 10)
    assert [i async for i in iter_items(fetch)] == list(range(23))
    assert calls == [1, 2, 3]
    fetch, calls = fake_pages(23, 10)
    assert await collect(fetch, limit=12) == list(range(12))
    assert calls == [1, 2]
    fetch, calls = fake_pages(0, 10)
    assert await collect(fetch) == [] and calls == [1]
