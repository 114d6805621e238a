"""Properties of the wire helpers: exact money both ways, filters that split back as sent."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from nymble_desk.api import wire
from nymble_desk.api.models import Page
from nymble_desk.api.paging import OPERATORS, Filter, encode_filters

money = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False,
                    allow_infinity=False)
fields = st.text(st.characters(codec="utf-8", exclude_characters=":"), min_size=1, max_size=20)


@given(st.lists(money, max_size=5), money)
def test_money_round_trips_exactly(values: list[Decimal], single: Decimal) -> None:
    body = {"items": [{"price": v} for v in values], "total": single}
    back = wire.decode(wire.encode(body))
    assert [i["price"] for i in back["items"]] == values
    assert back["total"] == single
    assert all(isinstance(i["price"], Decimal | int) for i in back["items"])


@given(fields, st.sampled_from(sorted(OPERATORS)), st.text(max_size=30))
def test_filter_splits_back_at_the_first_two_colons(field: str, operator: str, value: str) -> None:
    [(name, encoded)] = encode_filters([Filter(field, operator, value)])
    assert name == "filters"
    assert encoded.split(":", 2) == [field, operator, value]


@given(st.integers(0, 500), st.integers(1, 50), st.booleans())
def test_both_paging_shapes_normalise_alike(total: int, size: int, data_shape: bool) -> None:
    pages = -(-total // size)
    items = list(range(min(size, total)))
    wire_page = ({"data": items, "totalRecords": total, "currentPage": 1, "totalPages": pages} if data_shape
                 else {"items": items, "totalCount": total, "pageNumber": 1, "pageSize": size, "totalPages": pages})
    page = Page[int].model_validate(wire_page)
    assert (page.items, page.total, page.page_number, page.total_pages) == (items, total, 1, pages)
    assert page.has_next == (pages > 1)


def test_deadline_shortens_timeouts_but_leaves_a_floor() -> None:
    from nymble_desk.api.retry import RetryPolicy

    now = [0.0]
    deadline = RetryPolicy(deadline=30.0, clock=lambda: now[0]).start()
    assert deadline.timeout(10.0) == 10.0
    now[0] = 25.0
    assert deadline.timeout(10.0) == 5.0
    now[0] = 40.0
    assert deadline.timeout(10.0) == 1.0 and deadline.timeout(0.2) == 0.2
