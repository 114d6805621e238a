"""Customers and products pages: any page size walks the same rows in the same order as one large page, and a
page reads its rows through the sort's index (its OFFSET is skipped inside the index, not the table)."""

from __future__ import annotations

import json

import httpx
import pytest

from nymble_desk.sandbox.json_rows import page_json_rows
from nymble_desk.sandbox.paging import list_query, page_order

CASES = [
    ("/api/customers", "admin", {"sortOn": "customerNumber"}, "customerNumber"),
    ("/api/customers", "admin", {"sortOn": "name", "sortDirection": "desc"}, "customerNumber"),
    ("/api/customers", "rep", {}, "customerNumber"),  # the rep's own customers, sorted by name
    ("/api/customers", "admin", {"filters": "active:equals:true", "keyword": "co"}, "customerNumber"),
    ("/api/products", "admin", {"sortOn": "sku"}, "sku"),
    ("/api/products", "admin", {"sortOn": "price", "sortDirection": "desc"}, "sku"),
    ("/api/products", "rep", {"keyword": "widget"}, "sku"),
]


@pytest.mark.parametrize(("path", "who", "params", "key"), CASES)
async def test_pages_of_any_size_walk_the_same_rows(http: httpx.AsyncClient, headers: dict, path: str, who: str,
                                                    params: dict, key: str) -> None:
    await assert_pages_walk_the_same_rows(http, headers[who], path, params, key)


async def assert_pages_walk_the_same_rows(http: httpx.AsyncClient, auth: dict, path: str, params: dict,
                                          key: str) -> None:
    whole = (await http.get(path, headers=auth, params={**params, "pageSize": 1000})).json()
    expected = [row[key] for row in whole["data"]]
    assert expected and whole["totalPages"] == 1
    for size in (1, 7, 25):
        got: list[str] = []
        number = 1
        while True:
            page = (await http.get(path, headers=auth,
                                   params={**params, "pageSize": size, "pageNumber": number})).json()
            assert page["totalRecords"] == len(expected) and page["currentPage"] == number
            got += [row[key] for row in page["data"]]
            if number >= page["totalPages"]:
                break
            number += 1
        assert got == expected, f"pageSize {size}"
    past = (await http.get(path, headers=auth, params={**params, "pageSize": 25, "pageNumber": 999})).json()
    assert past["data"] == []


@pytest.mark.parametrize("direction", ["asc", "desc"])
async def test_pages_sorted_on_a_column_with_nulls_walk_the_same_rows(http: httpx.AsyncClient, headers: dict,
                                                                      sandbox_dir, direction: str) -> None:
    """A page starts after the last page's sort key: ascending, the NULLs come first and are behind it; descending,
    they come last, where no ``<`` finds them (so it counts its OFFSET)."""
    import sqlite3

    con = sqlite3.connect(sandbox_dir / "sandbox.sqlite3", isolation_level=None)
    con.execute("UPDATE customers SET company_email = NULL WHERE rowid % 3 = 0")
    con.execute("UPDATE customers SET company_email = 'same@example.com' WHERE rowid % 3 = 1 AND rowid < 30")
    con.close()
    await assert_pages_walk_the_same_rows(http, headers["admin"], "/api/customers",
                                          {"sortOn": "companyEmail", "sortDirection": direction}, "customerNumber")


def test_the_next_page_starts_after_the_last_one_until_the_database_changes(tmp_path) -> None:
    """The fill's next page seeks its first row in the index instead of counting the rows before it again; once
    another connection has written, it counts them (a row may have come before it)."""
    from nymble_desk.sandbox.customers import COLUMNS
    from nymble_desk.sandbox.db import Database

    db = Database(tmp_path / "sandbox.sqlite3")
    add = ("INSERT INTO customers (org_id, customer_number, company_name, pricing, currency, updated_at)"
           " VALUES ('O', ?, 'Name', 'Retail', 'USD', '2025-01-01T00:00:00Z')")
    with db.write() as con:
        con.executemany(add, [(f"C-{n:03d}",) for n in range(1, 31)])
    with db.connection() as con:
        statements: list[str] = []
        con.set_trace_callback(statements.append)

        def page(number: int) -> list[str]:
            query = list_query(number, 10, "customerNumber", "asc")
            return page_json_rows(con, "customers", "customer_number", [], " WHERE org_id = ?", ["O"],
                                  page_order(COLUMNS, query, "name", "customer_number"), query)

        def last_select() -> str:
            return [s for s in statements if s.startswith("SELECT")][-1]

        assert page(1) == [f"C-{n:03d}" for n in range(1, 11)] and "OFFSET 0" in last_select()
        assert page(2) == [f"C-{n:03d}" for n in range(11, 21)]
        assert "OFFSET" not in last_select() and "customer_number > 'C-010'" in last_select()
        plan = " | ".join(row[3] for row in con.execute(f"EXPLAIN QUERY PLAN {last_select()}"))
        assert "customer_number>?" in plan, plan
        with db.write() as writer:  # another connection writes a row that sorts first
            assert writer is not con
            writer.execute(add, ("C-000",))
        assert page(3) == [f"C-{n:03d}" for n in range(20, 30)] and "OFFSET 20" in last_select()
        assert page(2) == [f"C-{n:03d}" for n in range(10, 20)] and "OFFSET 10" in last_select()  # not remembered
        con.set_trace_callback(None)
    db.close()


def test_a_page_skips_its_offset_inside_the_index(tmp_path) -> None:
    """The fill reads 200 pages of 1000 products: reading every skipped row from the table made the last pages
    ten times the first (the sandbox's own schema; the plan of the page query for the fill's sorts)."""
    from nymble_desk.sandbox.customers import COLUMNS as CUSTOMER_COLUMNS
    from nymble_desk.sandbox.db import Database
    from nymble_desk.sandbox.products import COLUMNS as PRODUCT_COLUMNS

    db = Database(tmp_path / "sandbox.sqlite3")
    with db.connection() as con:
        for table, cols, sort, default, tiebreak in (
                ("products", PRODUCT_COLUMNS, "sku", "sku", "sku"),
                ("customers", CUSTOMER_COLUMNS, "customerNumber", "name", "customer_number")):
            query = list_query(150, 1000, sort, "asc")
            statements: list[str] = []
            con.set_trace_callback(statements.append)
            page_json_rows(con, table, "1", [], " WHERE org_id = 'ORG'", [], page_order(cols, query, default, tiebreak),
                           query)
            con.set_trace_callback(None)
            select = [s for s in statements if s.startswith("SELECT")][-1]
            plan = " | ".join(row[3] for row in con.execute(f"EXPLAIN QUERY PLAN {select}"))
            assert "OFFSET 149000" in select and "COVERING INDEX" in plan, plan
    db.close()


@pytest.mark.parametrize(("path", "who", "params", "key"), CASES)
async def test_a_page_is_what_its_response_model_writes(http: httpx.AsyncClient, headers: dict, path: str, who: str,
                                                        params: dict, key: str) -> None:
    """The list routes write their JSON directly: the same JSON the documented response model would write (every
    field, every type, every number written the same: ``10.0``, not ``10``; only the order of keys inside an
    object may differ)."""
    r = await http.get(path, headers=headers[who], params={**params, "pageSize": 40})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert_as_its_model_writes(path, r.content)


def assert_as_its_model_writes(path: str, body: bytes) -> None:
    from pydantic import TypeAdapter

    from nymble_desk.sandbox.responses import CustomersPage, ProductsPage

    model = TypeAdapter(CustomersPage if path == "/api/customers" else ProductsPage)
    written = model.dump_json(model.validate_json(body))
    assert json.loads(body, parse_float=float_text) == json.loads(written, parse_float=float_text)


def float_text(text: str) -> tuple[str, str]:
    """A JSON float as the text it was written in (``10.0`` is not ``10``, nor the string ``"10.0"``)."""
    return ("float", text)


REP = "INSERT INTO salesreps (org_id, rep_number, first_name, last_name) VALUES ('O', ?, 'A', 'Rep')"


def test_a_list_total_is_counted_once_until_the_database_changes(tmp_path) -> None:
    from nymble_desk.sandbox.db import Database
    from nymble_desk.sandbox.paging import count_rows

    db = Database(tmp_path / "sandbox.sqlite3")
    with db.write() as con:
        con.execute(REP, ('R-1',))
    statements: list[str] = []
    with db.connection() as reader:
        reader.set_trace_callback(statements.append)
        assert count_rows(reader, "salesreps", " WHERE org_id = ?", ["O"]) == 1
        assert count_rows(reader, "salesreps", " WHERE org_id = ?", ["O"]) == 1  # the next page: not counted again
        assert sum("count(*)" in s for s in statements) == 1
        assert count_rows(reader, "salesreps", " WHERE org_id = ?", ["P"]) == 0  # other arguments: counted
        with db.write() as writer:  # another connection commits
            assert writer is not reader
            writer.execute(REP, ('R-2',))
        assert count_rows(reader, "salesreps", " WHERE org_id = ?", ["O"]) == 2
        reader.execute(REP, ('R-3',))  # this connection writes
        assert count_rows(reader, "salesreps", " WHERE org_id = ?", ["O"]) == 3
        reader.set_trace_callback(None)
    db.close()


# Rows of every shape the lists hold: no addresses, several (types, defaults and ids out of order), null fields,
# currencies of 0, 2 and 3 decimals with and without a symbol, text JSON must escape, an amount past the range
# SQLite writes itself.
HOSTILE = 'Ñandú "Añejo" \\ 東京 Ωmega 😀\n\ttab\x01\u2028end'
SHAPES = [
    {"customerNumber": "SHAPE-01", "companyName": "Shape None", "addresses": []},
    {"customerNumber": "SHAPE-02", "companyName": "Shape Yen", "currencyCode": "JPY", "creditLimit": "1500000",
     "terms": "Net30", "companyEmail": "yen@shape.example", "companyPhone": "555-0102", "companyFax": "555-0103",
     "addresses": [
         {"addressType": "Shipping", "address1": "2 Dock Rd", "city": "Osaka", "country": "JP"},
         {"addressType": "billing", "default": True, "name": "Accounts", "address1": "1 Main St", "address2": "Fl 3",
          "city": "Tokyo", "stateProvince": "13", "postalCode": "100-0001", "country": "JP", "phone": "555-0104",
          "email": "ap@shape.example"},
         {"addressType": "shipping", "default": True, "address1": "3 Quay", "city": "Kobe", "country": "JP"},
     ]},
    {"customerNumber": "SHAPE-03", "companyName": "Shape Dinar", "currencyCode": "BHD", "creditLimit": "12.345",
     "active": False, "creditHold": True,
     "addresses": [{"addressType": "Billing", "address1": "4 Souq", "city": "Manama", "country": "BH"}]},
    {"customerNumber": "SHAPE-04", "companyName": "Shape Euro", "currencyCode": "EUR", "creditLimit": "0.01"},
    {"customerNumber": "SHAPE-05", "companyName": "Shape Franc", "currencyCode": "CHF", "creditLimit": "999999999.99"},
    {"customerNumber": "SHAPE-06", "companyName": "Shape Pound", "currencyCode": "GBP", "creditLimit": 1000000000},
    {"customerNumber": "SHAPE-07", "companyName": "Shape Loonie", "currencyCode": "CAD", "creditLimit": "10.1"},
]
# sku, name, description, price (minor units), currency, updated_at, tier prices (tier, at quantity, price)
SHAPE_PRODUCTS = [
    ("SHAPE-P1", "Yen Widget", "priced in yen", 1500, "JPY", "2025-01-01T00:00:00Z",
     [("Wholesale", 10, 1300), ("Wholesale", 1, 1400), ("Retail", 5, 1450)]),
    ("SHAPE-P2", HOSTILE, None, 12345, "BHD", None, [("Distributor", 1, 12001)]),
    ("SHAPE-P3", "Free Sample", "", 0, "USD", "2025-01-02T00:00:00Z", []),
    ("SHAPE-P4", "Franc Gear", "chf", 99999999999, "CHF", "2025-01-03T00:00:00Z", [("Wholesale", 1, 1)]),
    ("SHAPE-P5", "Far Too Dear", "past what SQLite writes alike", 10**15 + 1, "USD", "2025-01-04T00:00:00Z",
     [("Wholesale", 2, 10**16 + 7), ("Wholesale", 3, 5)]),
    ("SHAPE-P6", "Pound Nut", "gbp", 7, "GBP", "2025-01-05T00:00:00Z", [("Retail", 1, 10), ("Retail", 100, 9)]),
]


async def make_shapes(http: httpx.AsyncClient, admin: dict, sandbox_dir) -> None:
    for body in SHAPES:
        r = await http.put("/api/customers", headers=admin, json=body)
        assert r.status_code == 201, r.text
    import sqlite3

    con = sqlite3.connect(sandbox_dir / "sandbox.sqlite3", isolation_level=None)
    org = con.execute("SELECT id FROM orgs WHERE code = 'DEMO'").fetchone()[0]
    # text the API would refuse but an older sandbox or the importer may hold: the lists write it all the same
    con.execute("UPDATE customers SET company_name = ?, company_email = NULL WHERE customer_number = 'SHAPE-03'",
                (HOSTILE,))
    con.execute("UPDATE addresses SET name = ?, city = '' WHERE customer_number = 'SHAPE-03'", (HOSTILE,))
    for sku, name, description, price, currency, updated, tiers in SHAPE_PRODUCTS:
        con.execute("INSERT INTO products (org_id, sku, name, description, price, currency, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)", (org, sku, name, description, price, currency, updated))
        con.executemany("INSERT INTO tier_prices (org_id, sku, tier, at_quantity, price) VALUES (?, ?, ?, ?, ?)",
                        [(org, sku, tier, at, cents) for tier, at, cents in tiers])
    con.close()


def written_before(path: str, sandbox_dir, page: dict) -> bytes:
    """The page as the list routes wrote it before SQLite did: rendered row by row in Python (what the single GETs
    still use) and encoded by ``json.dumps`` with each Decimal a float."""
    from decimal import Decimal

    from nymble_desk.sandbox.customers import render_customers
    from nymble_desk.sandbox.db import Database
    from nymble_desk.sandbox.products import render_products

    def number(value: object) -> float:
        assert isinstance(value, Decimal)
        return float(value)

    db = Database(sandbox_dir / "sandbox.sqlite3")
    with db.connection() as con:
        org = con.execute("SELECT id FROM orgs WHERE code = 'DEMO'").fetchone()[0]
        if path == "/api/customers":
            rows = [con.execute("SELECT * FROM customers WHERE org_id = ? AND customer_number = ?",
                                (org, item["customerNumber"])).fetchone() for item in page["data"]]
            data = render_customers(con, org, rows)
        else:
            rows = [con.execute("SELECT * FROM products WHERE org_id = ? AND sku = ?", (org, item["sku"])).fetchone()
                    for item in page["data"]]
            data = render_products(con, org, rows)
    db.close()
    expected = {"data": data, **{k: page[k] for k in ("totalRecords", "currentPage", "pageSize", "totalPages")}}
    return json.dumps(expected, default=number, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("path", ["/api/customers", "/api/products"])
async def test_rows_of_every_shape_are_written_as_before(http: httpx.AsyncClient, headers: dict, sandbox_dir,
                                                         path: str) -> None:
    """Byte for byte what the Python renderer and ``json.dumps`` wrote, and what the response model writes, on
    every row of the list (the seeded ones with open invoices too) and the shapes above."""
    await make_shapes(http, headers["admin"], sandbox_dir)
    r = await http.get(path, headers=headers["admin"], params={"pageSize": 1000})
    assert r.status_code == 200
    page = r.json()
    key = "customerNumber" if path == "/api/customers" else "sku"
    shapes = {item[key]: item for item in page["data"] if item[key].startswith("SHAPE-")}
    assert len(shapes) == (len(SHAPES) if path == "/api/customers" else len(SHAPE_PRODUCTS))
    assert r.content == written_before(path, sandbox_dir, page)
    assert_as_its_model_writes(path, r.content)
    if path == "/api/customers":
        assert [(a["addressType"], a["default"], a["address1"]) for a in shapes["SHAPE-02"]["addresses"]] == [
            ("Shipping", True, "3 Quay"), ("Shipping", False, "2 Dock Rd"), ("Billing", True, "1 Main St")]
        assert shapes["SHAPE-03"]["companyName"] == HOSTILE and shapes["SHAPE-01"]["addresses"] == []
        assert (shapes["SHAPE-02"]["creditLimitFormatted"], shapes["SHAPE-03"]["creditLimitFormatted"]) == (
            "JPY 1,500,000", "BHD 12.345")
        assert any(item["balance"] for item in page["data"]), "no customer of the seed owes anything"
    else:
        assert [(t["tier"], t["atQuantity"]) for t in shapes["SHAPE-P1"]["prices"]] == [
            ("Retail", 5), ("Wholesale", 1), ("Wholesale", 10)]
        assert shapes["SHAPE-P2"]["description"] is None and shapes["SHAPE-P2"]["updatedAt"] is None


async def test_a_wrong_number_form_is_caught(http: httpx.AsyncClient, headers: dict) -> None:
    """What the comparisons above rest on: an amount written ``10`` instead of ``10.0`` (or as text) is not
    what the response model writes."""
    r = await http.get("/api/products", headers=headers["admin"], params={"pageSize": 5})
    price = r.json()["data"][0]["price"]
    assert isinstance(price, float) and f'"price":{price!r},' in r.text
    for wrong in (f'"price":{int(price)},', f'"price":"{price!r}",'):
        with pytest.raises(AssertionError):
            assert_as_its_model_writes("/api/products", r.content.replace(f'"price":{price!r},'.encode(),
                                                                          wrong.encode(), 1))


def test_sqlite_writes_an_amount_as_python_does(tmp_path) -> None:
    """``money_number_sql``: for the currencies SQLite writes itself, the same text as ``json.dumps`` of the float,
    over amounts of every length up to the native range and past it (where Python writes it)."""
    import random
    import sqlite3

    from nymble_desk.sandbox.records import add_money_sql, money, money_number_sql

    rng = random.Random(17)
    amounts = [0, 1, -1, 5, 10, 99, 100, 101, 12345, 10**15 - 1, -(10**15 - 1), 10**15, 10**15 + 1, 10**17 + 3]
    amounts += [rng.randrange(-10**digits, 10**digits) for digits in range(1, 16) for _ in range(300)]
    con = sqlite3.connect(":memory:")
    add_money_sql(con)
    for currency in ("USD", "CAD", "EUR", "GBP", "JPY", "BHD", "CHF"):
        written = [row[0] for row in con.execute(
            f"SELECT json_object('a', {money_number_sql('value', 'currency')})"
            " FROM json_each(?) JOIN (SELECT ? AS currency)", (json.dumps(amounts), currency))]
        assert written == [json.dumps({"a": float(money(cents, currency))}, separators=(",", ":"))
                           for cents in amounts], currency
    con.close()
