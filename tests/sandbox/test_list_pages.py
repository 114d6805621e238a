"""Customers and products pages: any page size walks the same rows in the same order as one large page, and a
page reads its rows through the sort's index (its OFFSET is skipped inside the index, not the table)."""

from __future__ import annotations

import httpx
import pytest

from nymble_desk.sandbox.paging import list_query, order_by, page_select

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
    whole = (await http.get(path, headers=headers[who], params={**params, "pageSize": 1000})).json()
    expected = [row[key] for row in whole["data"]]
    assert expected and whole["totalPages"] == 1
    for size in (1, 7, 25):
        got: list[str] = []
        number = 1
        while True:
            page = (await http.get(path, headers=headers[who],
                                   params={**params, "pageSize": size, "pageNumber": number})).json()
            assert page["totalRecords"] == len(expected) and page["currentPage"] == number
            got += [row[key] for row in page["data"]]
            if number >= page["totalPages"]:
                break
            number += 1
        assert got == expected, f"pageSize {size}"
    past = (await http.get(path, headers=headers[who], params={**params, "pageSize": 25, "pageNumber": 999})).json()
    assert past["data"] == []


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
            sql = page_select(table, " WHERE org_id = ?", order_by(cols, query, default, tiebreak), query)
            plan = " | ".join(row[3] for row in con.execute(f"EXPLAIN QUERY PLAN {sql}", ("ORG",)))
            assert "COVERING INDEX" in plan, plan
    db.close()


@pytest.mark.parametrize(("path", "who", "params", "key"), CASES)
async def test_a_page_is_what_its_response_model_writes(http: httpx.AsyncClient, headers: dict, path: str, who: str,
                                                        params: dict, key: str) -> None:
    """The list routes write their JSON directly: the same JSON the documented response model would write (every
    field, every type; only the order of keys inside an object may differ)."""
    import json

    from pydantic import TypeAdapter

    from nymble_desk.sandbox.responses import CustomersPage, ProductsPage

    model = TypeAdapter(CustomersPage if path == "/api/customers" else ProductsPage)
    r = await http.get(path, headers=headers[who], params={**params, "pageSize": 40})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert json.loads(r.content) == json.loads(model.dump_json(model.validate_json(r.content)))


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
