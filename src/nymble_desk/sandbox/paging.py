"""Paging, sorting and filtering of list endpoints, in one place.

Wire encoding (ours; the API documents filters only as ``{field, operator, value}``):
repeated ``filters=field:operator:value`` query parameters, split at the first two
colons so the value may hold colons (``filters=orderDate:gte:2024-03-15T10:00:00Z``).
Operators: equals notequals startswith endswith contains notcontains (text,
case-insensitive) and gt gte lt lte (numbers, money, dates; equals/notequals too).
``sortDirection`` is ``asc``/``desc``/``Ascending``/``Descending``.

Each list declares its fields as :class:`Col` (SQL expression + kind); the
functions here turn the query into a WHERE clause, an ORDER BY and LIMIT/OFFSET
with bound parameters only.
"""

from __future__ import annotations

import inspect
import math
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query
from pydantic import WithJsonSchema

from nymble_desk.domain.money import to_minor
from nymble_desk.sandbox.errors import Problem

TEXT_OPS = {"equals", "notequals", "startswith", "endswith", "contains", "notcontains"}
ORDER_OPS = {"equals", "notequals", "gt", "gte", "lt", "lte"}
MAX_FILTER_VALUE = 1000  # SQLite refuses LIKE patterns over 50,000 bytes; nothing real is this long
SQL_CMP = {"equals": "=", "notequals": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


@dataclass(frozen=True)
class Col:
    sql: str
    kind: str = "text"  # text | int | money | date | bool


@dataclass
class ListQuery:
    page_number: int = 1
    page_size: int = 25
    sort_on: str | None = None
    descending: bool = False
    filters: list[tuple[str, str, str]] = field(default_factory=list)
    keyword: str | None = None


PageNumber = Annotated[int, Query(alias="pageNumber", ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(alias="pageSize", ge=1, le=1000)]
SortOn = Annotated[str | None, Query(alias="sortOn", max_length=64)]
SortDirection = Annotated[str | None, Query(alias="sortDirection", pattern=r"^(?i:asc|desc|ascending|descending)$")]
Filters = Annotated[
    list[str] | None,
    Query(description="repeated field:operator:value, e.g. filters=orderStatus:equals:Pending"),
]
Keyword = Annotated[str | None, Query(max_length=200)]


def paged(
    pageNumber: PageNumber = 1,
    pageSize: PageSize = 25,
    sortOn: SortOn = None,
    sortDirection: SortDirection = None,
    filters: Filters = None,
) -> ListQuery:
    """FastAPI dependency: the common list parameters."""
    if filters and len(filters) > 20:
        raise _bad("At most 20 filters.")
    return list_query(pageNumber, pageSize, sortOn, sortDirection, filters)


# What the server takes, stated as the OpenAPI document's patterns (paged_for); the checks in
# list_query/where/condition refuse exactly what falls outside them, with a message naming the field.
_OPS_TEXT = "(?i:equals|notequals|startswith|endswith|contains|notcontains)"
_OPS_ORDER = "(?i:equals|notequals|gt|gte|lt|lte)"
_VALUES = {
    "text": f"[\\s\\S]{{0,{MAX_FILTER_VALUE}}}",
    "bool": "(?i:true|false)",
    # a subset of what the server parses: whole days, or a time with an optional offset
    "date": "[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
            "(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?",
    "money": "-?[0-9]{1,12}(\\.[0-9]{1,2})?",
    "int": "-?[0-9]{1,12}",
}


def filter_pattern(cols: dict[str, Col]) -> str:
    """A regular expression for one ``field:operator:value`` this list takes."""
    by_kind: dict[str, list[str]] = {}
    for name, col in cols.items():
        by_kind.setdefault(col.kind, []).append(name)
    parts = []
    for kind, names in by_kind.items():
        ops = _OPS_TEXT if kind == "text" else "(?i:equals|notequals)" if kind == "bool" else _OPS_ORDER
        parts.append(f"(?i:{'|'.join(sorted(names))}):{ops}:{_VALUES[kind]}")
    return f"^(?:{'|'.join(parts)})$"


def paged_for(cols: dict[str, Col]) -> Callable[..., ListQuery]:
    """The list parameters of one list, with its filter fields and sort fields stated in the OpenAPI document."""
    item = {"type": "string", "pattern": filter_pattern(cols)}
    fields = ", ".join(sorted(cols))
    filters_param = Annotated[
        list[Annotated[str, WithJsonSchema(item)]] | None,
        Query(max_length=20, description=f"repeated field:operator:value (at most 20); fields: {fields}; text operators"
              " equals notequals startswith endswith contains notcontains; numbers and dates equals notequals gt"
              " gte lt lte; booleans equals/notequals true|false"),
    ]
    sort_param = Annotated[
        str | None,
        Query(alias="sortOn", max_length=64),
        WithJsonSchema({"type": "string", "pattern": f"^(?:(?i:{'|'.join(sorted(cols))}))?$"}),
    ]  # empty: the default

    def dependency(pageNumber: int = 1, pageSize: int = 25, sortOn: str | None = None,
                   sortDirection: str | None = None, filters: list[str] | None = None) -> ListQuery:
        return paged(pageNumber, pageSize, sortOn, sortDirection, filters)

    # the parameter types are built here, so FastAPI reads them from the signature, not from (string) annotations
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    dependency.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter("pageNumber", kind, default=1, annotation=PageNumber),
        inspect.Parameter("pageSize", kind, default=25, annotation=PageSize),
        inspect.Parameter("sortOn", kind, default=None, annotation=sort_param),
        inspect.Parameter("sortDirection", kind, default=None, annotation=SortDirection),
        inspect.Parameter("filters", kind, default=None, annotation=filters_param),
    ], return_annotation=ListQuery)
    return dependency


def list_query(
    page_number: int = 1,
    page_size: int = 25,
    sort_on: str | None = None,
    sort_direction: str | None = None,
    filters: list[str] | None = None,
    keyword: str | None = None,
) -> ListQuery:
    parsed: list[tuple[str, str, str]] = []
    for raw in filters or []:
        parts = raw.split(":", 2)
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise Problem(
                400,
                f"Filter '{raw}' is not field:operator:value.",
                {"Filters": [f"Filter '{raw}' is not field:operator:value."]},
            )
        if len(parts[2]) > MAX_FILTER_VALUE:
            raise _bad(f"A filter value may hold at most {MAX_FILTER_VALUE} characters.")
        parsed.append((parts[0], parts[1].lower(), parts[2]))
    descending = (sort_direction or "asc").lower() in ("desc", "descending")
    return ListQuery(page_number, page_size, sort_on, descending, parsed, keyword or None)


def _bad(message: str) -> Problem:
    return Problem(400, message, {"Filters": [message]})


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(keyword: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching ``keyword`` anywhere; SQLite's LIKE ignores ASCII case."""
    return f"%{_escape_like(keyword)}%"


def _date_text(value: str) -> str:
    text = value.strip()
    try:
        if len(text) == 10:
            datetime.strptime(text, "%Y-%m-%d")
            return text
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(f"'{value}' is not a date (YYYY-MM-DD or ISO-8601).") from None
    from nymble_desk.sandbox.db import iso

    return iso(moment)


def condition(col: Col, name: str, op: str, value: str) -> tuple[str, list[Any]]:
    if col.kind == "text":
        if op not in TEXT_OPS:
            raise _bad(f"Operator '{op}' does not apply to text field '{name}'.")
        expr = f"ulower(coalesce({col.sql}, ''))"
        low = value.lower()
        if op in ("equals", "notequals"):
            return f"{expr} {SQL_CMP[op]} ?", [low]
        pattern = {"startswith": "{}%", "endswith": "%{}", "contains": "%{}%", "notcontains": "%{}%"}[op]
        neg = "NOT " if op == "notcontains" else ""
        return f"{expr} {neg}LIKE ? ESCAPE '\\'", [pattern.format(_escape_like(low))]
    if op not in ORDER_OPS:
        raise _bad(f"Operator '{op}' does not apply to field '{name}'.")
    if col.kind == "bool":
        if op not in ("equals", "notequals") or value.lower() not in ("true", "false"):
            raise _bad(f"Field '{name}' takes equals:true or equals:false.")
        return f"{col.sql} {SQL_CMP[op]} ?", [1 if value.lower() == "true" else 0]
    if col.kind == "date":
        text = _date_text(value)
        expr = f"substr({col.sql}, 1, 10)" if len(text) == 10 else col.sql
        return f"{expr} {SQL_CMP[op]} ?", [text]
    try:
        number = Decimal(value.strip())
        if not number.is_finite() or abs(number) > Decimal("1e12"):
            raise InvalidOperation
    except InvalidOperation:
        raise _bad(f"'{value}' is not a number for field '{name}'.") from None
    bound: Any = (
        to_minor(number)
        if col.kind == "money"
        else (int(number) if number == number.to_integral_value() else float(number))
    )
    return f"{col.sql} {SQL_CMP[op]} ?", [bound]


def where(cols: dict[str, Col], query: ListQuery) -> tuple[list[str], list[Any]]:
    """SQL conditions and parameters for the query's filters (field names case-insensitive)."""
    lookup = {k.lower(): (k, c) for k, c in cols.items()}
    clauses: list[str] = []
    params: list[Any] = []
    for name, op, value in query.filters:
        found = lookup.get(name.lower())
        if found is None:
            raise _bad(f"Cannot filter on '{name}'. Fields: {', '.join(sorted(cols))}.")
        if op not in TEXT_OPS | ORDER_OPS:
            raise _bad(f"Unknown operator '{op}'.")
        sql, args = condition(found[1], found[0], op, value)
        clauses.append(sql)
        params.extend(args)
    return clauses, params


@dataclass(frozen=True)
class PageOrder:
    """A list's sort: a column, then a tiebreak column that is unique within the list, one direction."""

    column: str
    tiebreak: str
    descending: bool

    def sql(self) -> str:
        direction = "DESC" if self.descending else "ASC"
        return f"ORDER BY {self.column} {direction}, {self.tiebreak} {direction}"


def page_order(cols: dict[str, Col], query: ListQuery, default: str, tiebreak: str) -> PageOrder:
    lookup = {k.lower(): c for k, c in cols.items()}
    key = (query.sort_on or default).lower()
    col = lookup.get(key)
    if col is None:
        message = f"Cannot sort on '{query.sort_on}'. Fields: {', '.join(sorted(cols))}."
        raise Problem(400, message, {"SortOn": [message]})
    return PageOrder(col.sql, tiebreak, query.descending)


def order_by(cols: dict[str, Col], query: ListQuery, default: str, tiebreak: str) -> str:
    return page_order(cols, query, default, tiebreak).sql()


def limit(query: ListQuery) -> str:
    return f"LIMIT {int(query.page_size)} OFFSET {int((query.page_number - 1) * query.page_size)}"


# (connection id, sql, args) -> (connection, data_version, total_changes, count).  ``PRAGMA data_version``
# changes when another connection commits, ``total_changes`` when this one writes: either makes a count stale.
_COUNTS: dict[tuple[int, str, tuple[Any, ...]], tuple[sqlite3.Connection, int, int, int]] = {}


def count_rows(con: sqlite3.Connection, table: str, where_sql: str, args: list[Any]) -> int:
    """``SELECT count(*)`` for a list's total, remembered until the database changes: the index fill asks
    for 300 pages of one list, and counting 200,000 products again for each cost 9 ms a page."""
    sql = f"SELECT count(*) FROM {table}{where_sql}"
    key = (id(con), sql, tuple(args))
    data_version = int(con.execute("PRAGMA data_version").fetchone()[0])
    hit = _COUNTS.get(key)
    if hit is not None and hit[0] is con and hit[1:3] == (data_version, con.total_changes):
        return hit[3]
    total = int(con.execute(sql, args).fetchone()[0])
    if len(_COUNTS) >= 256:
        _COUNTS.clear()
    _COUNTS[key] = (con, data_version, con.total_changes, total)
    return total


def total_pages(total: int, page_size: int) -> int:
    return math.ceil(total / page_size) if total else 0


def items_page(items: list[Any], total: int, query: ListQuery) -> dict[str, Any]:
    """Orders and carts: ``{items, totalCount, pageNumber, pageSize, totalPages}``."""
    return {
        "items": items,
        "totalCount": total,
        "pageNumber": query.page_number,
        "pageSize": query.page_size,
        "totalPages": total_pages(total, query.page_size),
    }


def data_page(items: list[Any], total: int, query: ListQuery) -> dict[str, Any]:
    """Customers, products, sales reps, invoices: ``{data, totalRecords, currentPage, totalPages}``."""
    return {
        "data": items,
        "totalRecords": total,
        "currentPage": query.page_number,
        "pageSize": query.page_size,
        "totalPages": total_pages(total, query.page_size),
    }
