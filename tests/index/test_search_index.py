"""The search index over a real SQLite file: prefixes, full text, ranking, UPCs, idempotent upserts."""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from nymble_desk.index import SearchIndex, TierBreak
from nymble_desk.index.search_index import OverBudget
from nymble_desk.index.schema import SCHEMA_VERSION

from .conftest import CUSTOMERS, PRODUCTS, customer, product
from datetime import UTC


def numbers(hits) -> list[str]:
    return [h.number for h in hits]


def skus(hits) -> list[str]:
    return [h.sku for h in hits]


def test_lives_in_the_drafts_file_in_idx_tables_and_leaves_user_version_alone(index_path: Path, filled) -> None:
    con = sqlite3.connect(index_path)
    con.execute("PRAGMA user_version = 7")  # as if the drafts store had migrated to 7
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')")}
    assert names and all(n.startswith(("idx_", "sqlite_autoindex_idx_")) for n in names), names
    assert con.execute("SELECT value FROM idx_meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    again = SearchIndex(index_path)
    assert numbers(again.search_customers("CUST-1042"))[0] == "CUST-1042"  # reopened, data kept
    again.close()
    con = sqlite3.connect(index_path)
    assert con.execute("PRAGMA user_version").fetchone() == (7,)
    con.close()


def test_an_older_index_version_is_dropped_and_rebuilt_empty(index_path: Path, filled) -> None:
    con = sqlite3.connect(index_path)
    con.execute("UPDATE idx_meta SET value = '0' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    again = SearchIndex(index_path)
    assert again.freshness().customers.count == 0
    assert again.search_customers("bright") == []
    again.close()


def test_customer_number_exact_first_then_prefix(filled) -> None:
    assert numbers(filled.search_customers("cust-1042")) == ["CUST-1042", "CUST-10420"]
    hits = filled.search_customers("CUST-00")
    assert numbers(hits) == ["CUST-0013", "CUST-0021", "CUST-0042", "CUST-0055", "CUST-0082"]
    assert all(h.matched_on == "number" for h in hits)


def test_name_prefix_and_words_anywhere(filled) -> None:
    assert numbers(filled.search_customers("bright")) == ["CUST-1042", "CUST-10420"]
    hits = filled.search_customers("wholesale")  # a word inside the name, not its start
    assert numbers(hits) == ["CUST-0042"] and hits[0].matched_on == "text"
    assert numbers(filled.search_customers("supp bright")) == ["CUST-1042"]  # every word, any order
    assert filled.search_customers("brightfield foods") == []


def test_phone_digits_and_email(filled) -> None:
    assert numbers(filled.search_customers("5554001200")) == ["CUST-1042"]
    assert numbers(filled.search_customers("555-400")) == ["CUST-1042"]
    hits = filled.search_customers("buy@acme")
    assert numbers(hits) == ["CUST-0042"] and hits[0].matched_on == "email"


def test_recent_po_numbers_find_their_customer(filled) -> None:
    filled.record_pos([("CUST-1042", "PO-2024-77001", "2024-05-01T00:00:00+00:00"),
                       ("CUST-0055", "PO-55001", None)])
    hits = filled.search_customers("po-2024-77")
    assert numbers(hits) == ["CUST-1042"]
    assert hits[0].matched_on == "po" and hits[0].matched_po == "PO-2024-77001"
    assert filled.po_used_before("CUST-1042", " po-2024-77001 ")
    assert not filled.po_used_before("CUST-0055", "PO-2024-77001")


def test_customer_hit_carries_what_the_lookup_shows(filled) -> None:
    hit = filled.search_customers("CUST-1042")[0]
    assert (hit.name, hit.email, hit.phone) == (
        "Brightfield Supply Co.",
        "orders@brightfield.example",
        "(555) 400-1200",
    )
    assert (hit.price_tier, hit.terms, hit.rep_number) == ("Wholesale", "Net30", "REP-007")
    assert (hit.city, hit.region) == ("Austin", "TX")  # the default *shipping* address
    assert hit.credit_limit == Decimal("50000.00") and hit.balance == Decimal("1234.50")
    assert filled.search_customers("CUST-0013")[0].flags == "INACTIVE"
    assert filled.search_customers("CUST-0021")[0].flags == "ON HOLD"


def test_fts_syntax_in_input_is_taken_literally(filled) -> None:
    for text in ('"', "AND", "*", "NEAR(", "a:b", "-", "'", "OR bright", "(", "^"):
        filled.search_customers(text)
        filled.search_products(text)
    assert numbers(filled.search_customers("bright NOT")) == []  # "not" is a word, not an operator
    assert numbers(filled.search_customers("bright OR zzz")) == []


def test_exact_sku_ranks_first_then_sku_prefix_then_text(filled) -> None:
    hits = filled.search_products("wdg-blu-l")
    assert skus(hits)[:2] == ["WDG-BLU-L", "WDG-BLU-LX"]
    assert [h.matched_on for h in hits[:2]] == ["sku", "sku-prefix"]
    assert "GADGET-1" in skus(hits)  # the SKU appears in its name: a text match, after the SKU matches
    assert hits[-1].matched_on == "text"


def test_sku_prefix_sorted(filled) -> None:
    hits = filled.search_products("WDG")
    assert skus(hits) == ["WDG-100-BLU", "WDG-BLU-L", "WDG-BLU-LX", "WDG-RED-M", "GADGET-1"]
    assert [h.matched_on for h in hits] == ["sku-prefix"] * 4 + ["text"]
    assert skus(filled.search_products("part-")) == ["PART-A1", "PART-B3"]


def test_name_words_by_prefix(filled) -> None:
    assert set(skus(filled.search_products("widget red"))) == {"WDG-RED-M"}
    assert set(skus(filled.search_products("blue lar"))) == {"WDG-BLU-L", "WDG-BLU-LX"}
    hits = filled.search_products("paint")
    assert skus(hits) == ["BLU-PAINT"]


def test_upc_exact_and_prefix(filled) -> None:
    hits = filled.search_products("012345678905")
    assert skus(hits)[0] == "WDG-BLU-L" and hits[0].matched_on == "upc"
    assert filled.get_product("012345678905").sku == "WDG-BLU-L"
    assert filled.get_product("wdg-blu-l").sku == "WDG-BLU-L"
    assert filled.get_product("WDG-BLU") is None  # a prefix is not a product
    assert set(skus(filled.search_products("01234567890", limit=10))) == {"WDG-BLU-L"}


def test_product_hit_carries_price_rules_and_tiers(filled) -> None:
    hit = filled.get_product("WDG-BLU-L")
    assert hit.price == Decimal("13.50") and isinstance(hit.price, Decimal)
    assert hit.prices == (TierBreak("Wholesale", Decimal("12.50"), 1), TierBreak("Wholesale", Decimal("11.75"), 48))
    part = filled.get_product("PART-A1")
    assert (part.minimum, part.increment) == (10, 10)


def test_limits_are_respected(filled) -> None:
    assert len(filled.search_products("w", limit=2)) == 2
    assert len(filled.search_customers("c", limit=3)) == 3
    assert filled.search_customers("   ") == [] and filled.search_products("") == []


def test_upsert_is_idempotent_and_updates_in_place(index_path: Path, filled) -> None:
    before = filled.freshness()
    filled.upsert_customers(CUSTOMERS)
    filled.upsert_products(PRODUCTS)
    after = filled.freshness()
    assert (after.customers.count, after.products.count) == (len(CUSTOMERS), len(PRODUCTS))
    assert after.customers.high_water == before.customers.high_water
    filled.upsert_customers([customer("CUST-0082", "Keystone Goods", updatedAt="2026-02-02T00:00:00+00:00")])
    assert filled.search_customers("cornerstone") == []
    assert numbers(filled.search_customers("keystone")) == ["CUST-0082"]
    assert filled.freshness().customers.count == len(CUSTOMERS)
    assert filled.freshness().customers.high_water == "2026-02-02T00:00:00+00:00"
    con = sqlite3.connect(index_path)  # the FTS index agrees with its content table
    con.execute("INSERT INTO idx_customers_fts (idx_customers_fts) VALUES ('integrity-check')")
    con.execute("INSERT INTO idx_products_fts (idx_products_fts) VALUES ('integrity-check')")
    con.close()


def test_high_water_compares_times_not_text(filled) -> None:
    filled.upsert_products([product("X-1", "x", updatedAt="2026-03-01T12:00:00+02:00"),
                            product("X-2", "x", updatedAt="2026-03-01T11:00:00Z")])
    assert filled.freshness().products.high_water == "2026-03-01T11:00:00Z"


def test_accepts_api_model_like_objects(index) -> None:
    class Addr:
        address_type, default, city, state_province = "Shipping", True, "Denver", "CO"

    class Cust:
        customer_number, company_name, company_email, company_phone = "C-9", "Nine Corp", "n@nine.example", ""
        active, credit_hold, pricing, terms, currency_code = True, False, "Retail", "COD", "CAD"
        rep_number, credit_limit, balance, addresses = "REP-003", Decimal("10.00"), None, [Addr()]

    index.upsert_customers([Cust()])
    hit = index.search_customers("nine")[0]
    assert (hit.number, hit.currency, hit.city, hit.credit_limit) == ("C-9", "CAD", "Denver", Decimal("10.00"))


def test_scope_change_empties_the_index(index_path: Path) -> None:
    a = SearchIndex(index_path, scope="DEMO/REP-007")
    a.upsert_customers(CUSTOMERS)
    a.close()
    same = SearchIndex(index_path, scope="DEMO/REP-007")
    assert same.freshness().customers.count == len(CUSTOMERS)
    same.close()
    other = SearchIndex(index_path, scope="OTHER/admin")
    assert other.freshness().customers.count == 0 and other.search_customers("bright") == []
    other.close()


def test_a_connection_per_thread_reads_while_another_writes(filled) -> None:
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(50):
                assert filled.search_customers("CUST-1042")[0].number == "CUST-1042"
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(20):
        filled.upsert_products([product(f"T-{i}", f"Thread item {i}")])
    for t in threads:
        t.join()
    assert not errors
    assert len(filled.search_products("thread", limit=50)) == 20


def test_freshness_records_fills(filled) -> None:
    fresh = filled.freshness()
    assert not fresh.ready and fresh.as_of is None
    filled.mark_refreshed("customers", full=True)
    filled.mark_refreshed("products", full=True)
    fresh = filled.freshness()
    assert fresh.ready and fresh.customers.full_fill_at is not None
    assert fresh.describe(fresh.as_of) == "index up to date"


def test_hits_answer_to_the_api_model_names_the_screens_use(filled) -> None:
    c = filled.search_customers("CUST-1042")[0]
    assert (c.customer_number, c.company_name, c.company_email, c.company_phone, c.pricing, c.currency_code) == (
        "CUST-1042", "Brightfield Supply Co.", "orders@brightfield.example", "(555) 400-1200", "Wholesale", "USD")
    p = filled.get_product("PART-B3")
    assert (p.minimum_order_quantity, p.quantity_increment, p.currency_code) == (25, 25, "USD")
    assert p.prices == () and filled.get_product("WDG-BLU-L").prices[1].at_quantity == 48


def test_freshness_in_plain_words(filled) -> None:
    from datetime import datetime, timedelta

    from nymble_desk.index.models import Freshness, KindFreshness

    assert Freshness().describe(datetime.now(UTC)) == "no index yet (searching the API)"
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    filling = Freshness(KindFreshness(count=1200, filling=True), KindFreshness())
    assert filling.describe(t0) == "index filling (1,200 customers, 0 products)"
    ready = Freshness(KindFreshness(count=1, full_fill_at=t0, refreshed_at=t0 + timedelta(hours=1)),
                      KindFreshness(count=1, full_fill_at=t0))
    assert ready.as_of == t0  # the older of the two kinds
    assert ready.describe(t0 + timedelta(seconds=30)) == "index up to date"
    assert ready.describe(t0 + timedelta(minutes=7)) == "index 7 min old"
    assert ready.describe(t0 + timedelta(hours=5)) == "index 5 h old"
    assert ready.describe(t0 + timedelta(days=3)) == "index 3 d old"


def test_within_stops_a_query_over_its_budget_and_then_lets_go(index: SearchIndex) -> None:
    index.upsert_products([product(f"SKU-{i:05d}", f"Widget number {i}") for i in range(3000)])
    with pytest.raises(OverBudget), index.within(0.0):
        index.search_products("widget", 10)
    assert len(index.search_products("widget", 10)) == 10  # no budget left behind on the connection
    with index.within(5.0):  # a generous budget changes nothing
        assert len(index.search_products("widget", 10)) == 10


def test_a_page_repeating_a_key_keeps_its_last_row_and_the_fts_agrees(index_path: Path, index) -> None:
    """A page is upserted by one INSERT ... VALUES statement: a key twice in it updates in place."""
    index.upsert_products([product("DUP-1", "first name"), product("DUP-2", "other"),
                           product("DUP-1", "second name", updatedAt="2026-04-01T00:00:00+00:00")])
    assert index.freshness().products.count == 2
    assert [h.name for h in index.search_products("DUP-1")] == ["second name"]
    assert index.search_products("first") == []
    assert index.freshness().products.high_water == "2026-04-01T00:00:00+00:00"
    index.upsert_products([product("DUP-3", "third")])
    assert index.get_product("dup-3") is not None
    con = sqlite3.connect(index_path)
    con.execute("INSERT INTO idx_products_fts (idx_products_fts) VALUES ('integrity-check')")
    assert con.execute("SELECT count(*) FROM sqlite_temp_master").fetchone()[0] == 0
    con.close()


def test_a_page_larger_than_one_statement_takes_is_written_whole(index_path: Path, index) -> None:
    """SQLite takes a bounded number of parameters a statement: a larger page goes in several, in one
    transaction, in order (a key repeated across two statements keeps its last row)."""
    index._conn().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 40)  # 2 rows of 18 columns a statement
    rows = [customer(f"CUST-{n:04d}", f"Chunked Goods {n}") for n in range(7)]
    rows.append(customer("CUST-0001", "Renamed In The Same Page"))
    assert index.upsert_customers(rows) == 8
    assert index.freshness().customers.count == 7
    assert numbers(index.search_customers("chunked goods 6")) == ["CUST-0006"]
    assert numbers(index.search_customers("renamed same")) == ["CUST-0001"]
    assert index.search_customers("chunked goods 1") == []
    con = sqlite3.connect(index_path)
    con.execute("INSERT INTO idx_customers_fts (idx_customers_fts) VALUES ('integrity-check')")
    con.close()
