"""List pages whose rows SQLite writes as JSON text, and where the next page of a list starts.

The customers and products lists are read a thousand rows a page by the index fill: building a dict per row
and encoding it in Python cost ~30 ms a page.  Here each list's SQL writes one JSON object per row
(``json_object``), and Python only joins them into the page (tests/sandbox/test_list_pages.py holds these
pages to the JSON of the routes' response models).

A page's rows are picked by their rowids in the list's order.  ``LIMIT n OFFSET m`` counts its ``m`` skipped
rows through the sort's index on every page (6 ms for page 150 of the products); once a page has been
served, the next page of the same list starts after that page's last sort key instead, as long as the
database has not changed in between (the same check as :func:`~nymble_desk.sandbox.paging.count_rows`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from fastapi import Response

from nymble_desk.sandbox.paging import ListQuery, PageOrder, data_page, limit


def json_bool(column: str) -> str:
    """SQL for a 0/1 column as JSON ``true``/``false`` (``json_object`` writes a bare 0/1 as a number)."""
    return f"iif({column}, json('true'), json('false'))"


@dataclass(frozen=True)
class _PageStart:
    """Page ``page_number`` of a list starts after the row whose sort key is ``after`` (seen on ``con``)."""

    con: sqlite3.Connection
    data_version: int
    total_changes: int
    page_number: int
    after: tuple[Any, Any]


# (connection id, table, where, args, order, page size) -> where its next page starts
_STARTS: dict[tuple[Any, ...], _PageStart] = {}


def _data_version(con: sqlite3.Connection) -> int:
    return int(con.execute("PRAGMA data_version").fetchone()[0])


def _known_start(con: sqlite3.Connection, key: tuple[Any, ...], page_number: int) -> tuple[Any, Any] | None:
    start = _STARTS.get(key)
    if start is None or start.con is not con or start.page_number != page_number:
        return None
    if (start.data_version, start.total_changes) != (_data_version(con), con.total_changes):
        return None  # rows came or went since: the sort key may no longer start this page
    return start.after


def _remember_start(con: sqlite3.Connection, key: tuple[Any, ...], page_number: int, after: tuple[Any, Any]) -> None:
    if len(_STARTS) >= 256:
        _STARTS.clear()
    _STARTS[key] = _PageStart(con, _data_version(con), con.total_changes, page_number, after)


def page_json_rows(con: sqlite3.Connection, table: str, row_json: str, row_args: list[Any], where_sql: str,
                   args: list[Any], order: PageOrder, query: ListQuery) -> list[str]:
    """The JSON text of each row of one page of ``table``, in the list's order.

    ``row_json`` is an SQL expression over the table's row (named ``table``) with parameters ``row_args``;
    ``where_sql`` (starting `` WHERE``) and ``args`` pick the list's rows; ``order`` sorts them."""
    key = (id(con), table, where_sql, tuple(args), order, query.page_size)
    after = _known_start(con, key, query.page_number)
    if after is None:
        pick = f"SELECT rowid FROM {table}{where_sql} {order.sql()} {limit(query)}"
        pick_args = args
    elif order.column == order.tiebreak:
        pick = f"SELECT rowid FROM {table}{where_sql} AND {order.column} > ? {order.sql()} LIMIT {query.page_size}"
        pick_args = [*args, after[1]]
    else:
        pick = (f"SELECT rowid FROM {table}{where_sql} AND ({order.column}, {order.tiebreak}) > (?, ?)"
                f" {order.sql()} LIMIT {query.page_size}")
        pick_args = [*args, *after]
    rows = con.execute(
        f"SELECT {order.column}, {order.tiebreak}, {row_json} FROM {table} WHERE rowid IN ({pick}) {order.sql()}",
        [*row_args, *pick_args],
    ).fetchall()
    # Only an ascending sort continues after a key: a descending one puts its NULLs last, which no ``<`` finds.
    if len(rows) == query.page_size and not order.descending and rows[-1][0] is not None:
        _remember_start(con, key, query.page_number + 1, (rows[-1][0], rows[-1][1]))
    return [row[2] for row in rows]


def json_rows_page(rows: list[str], total: int, query: ListQuery) -> Response:
    """``{data, totalRecords, currentPage, pageSize, totalPages}`` around rows already written as JSON."""
    tail = json.dumps({k: v for k, v in data_page([], total, query).items() if k != "data"}, separators=(",", ":"))
    body = '{"data":[' + ",".join(rows) + "]," + tail[1:]
    return Response(content=body.encode("utf-8"), media_type="application/json")
