"""A customer's past order lines in the index (a real SQLite file): last price paid, the order guide's
ranking by frequency then recency, usual quantities, replacement on refresh, stock by SKU."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, UTC
from decimal import Decimal
from pathlib import Path

from nymble_desk.index import SearchIndex
from nymble_desk.index.history import PastLine

from .conftest import product

DAY0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def order(number: str, days: int, *lines: tuple[str, int, str]) -> list[PastLine]:
    return [PastLine(number, DAY0 + timedelta(days=days), sku, f"Name of {sku}", qty, Decimal(price))
            for sku, qty, price in lines]


HISTORY = [
    *order("ORD-1", 0, ("A", 48, "12.50"), ("B", 12, "11.00")),
    *order("ORD-2", 10, ("A", 48, "12.25"), ("C", 20, "4.25")),
    *order("ORD-3", 20, ("C", 10, "4.25"), ("D", 5, "14.00")),
    *order("ORD-4", 30, ("A", 96, "11.75"), ("C", 10, "4.30"), ("B", 24, "11.00")),
]


def test_guide_ranks_by_how_often_then_how_recently(index: SearchIndex) -> None:
    index.record_history("CUST-1042", HISTORY)
    guide = index.order_guide("CUST-1042")
    assert [i.sku for i in guide.items] == ["A", "C", "B", "D"]  # A, C in 3 orders (A latest on ORD-4 too: sku)
    a = guide.item("A")
    assert a is not None and a.times == 3 and a.usual_quantity == 48 and a.last_quantity == 96
    assert a.last_price == Decimal("11.75") and a.last_date == DAY0 + timedelta(days=30) and a.last_order == "ORD-4"
    c = guide.item("C")
    assert c is not None and c.usual_quantity == 10 and c.last_price == Decimal("4.30")
    b = guide.item("B")
    assert b is not None and b.usual_quantity == 24  # a tie (12 once, 24 once): the latest
    assert guide.orders == 4 and guide.refreshed_at is not None


def test_recency_breaks_a_tie_in_frequency(index: SearchIndex) -> None:
    index.record_history("C1", [*order("O1", 0, ("OLD", 1, "1")), *order("O2", 5, ("NEW", 1, "1"))])
    assert [i.sku for i in index.order_guide("C1").items] == ["NEW", "OLD"]


def test_guide_looks_at_the_last_n_orders_only_but_last_prices_at_all(index: SearchIndex) -> None:
    index.record_history("CUST-1042", HISTORY)
    two = index.order_guide("CUST-1042", last_n=2)
    assert {i.sku for i in two.items} == {"A", "B", "C", "D"}  # ORD-4 and ORD-3
    assert two.orders == 2 and two.item("A").times == 1  # type: ignore[union-attr]
    one = index.order_guide("CUST-1042", last_n=1)
    assert {i.sku for i in one.items} == {"A", "C", "B"}
    assert index.last_bought("CUST-1042").item("D").last_price == Decimal("14.00")  # type: ignore[union-attr]


def test_a_refresh_replaces_the_customers_history_and_leaves_others(index: SearchIndex) -> None:
    index.record_history("CUST-1042", HISTORY)
    index.record_history("CUST-0042", order("ORD-9", 3, ("Z", 7, "2.00")))
    index.record_history("CUST-1042", order("ORD-5", 40, ("E", 2, "3.00")))
    assert [i.sku for i in index.order_guide("CUST-1042").items] == ["E"]
    assert [i.sku for i in index.order_guide("CUST-0042").items] == ["Z"]
    assert index.order_guide("CUST-9999").items == () and index.order_guide("CUST-9999").refreshed_at is None


def test_one_sku_twice_on_an_order_is_one_row(index: SearchIndex) -> None:
    index.record_history("C1", order("O1", 0, ("A", 5, "1.00"), ("A", 7, "1.00")))
    item = index.order_guide("C1").item("A")
    assert item is not None and item.times == 1 and item.last_quantity == 12


def test_history_survives_a_reopen_and_a_new_schema_version_empties_it(index_path: Path, index: SearchIndex) -> None:
    index.record_history("CUST-1042", HISTORY)
    index.close()
    again = SearchIndex(index_path)
    assert len(again.order_guide("CUST-1042").items) == 4  # offline next start: still there
    again.close()
    con = sqlite3.connect(index_path)
    con.execute("UPDATE idx_meta SET value = '2' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    rebuilt = SearchIndex(index_path)
    assert rebuilt.order_guide("CUST-1042").items == ()
    rebuilt.close()


def test_stock_by_sku_and_its_age(index: SearchIndex) -> None:
    index.upsert_products([product("A", "A", quantityOnHand=20), product("B", "B", quantityOnHand=0),
                           product("N", "No stock figure")])
    assert index.stock(["A", "B", "N", "MISSING"]) == {"A": 20, "B": 0, "N": None}
    assert index.stock_as_of() is None  # never refreshed
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    index.mark_refreshed("products", full=True, at=at)
    assert index.stock_as_of() == at
    many = [f"S{i}" for i in range(1200)]
    index.upsert_products([product(s, s, quantityOnHand=i) for i, s in enumerate(many)])
    assert index.stock(many)["S1199"] == 1199  # more SKUs than one IN (...) holds
