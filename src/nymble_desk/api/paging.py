"""Filters, sorting and paging: the one place that knows their wire encoding.

The API takes list filters as repeated `filters=field:operator:value` query
parameters (the value may itself contain `:`); `encode_filters` is the only code
that writes that form.  Both paging shapes parse into :class:`Page`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from .models.page import Page

T = TypeVar("T")

OPERATORS = frozenset({
    "equals", "notequals", "startswith", "endswith", "contains", "notcontains", "gt", "gte", "lt", "lte",
})

#: Stop iterating after this many pages whatever the server says (guards a server that never ends).
MAX_PAGES = 10_000


@dataclass(frozen=True, slots=True)
class Filter:
    """One list filter: `Filter("customerNumber", "equals", "CUST-1042")`."""

    field: str
    operator: str
    value: Any

    def __post_init__(self) -> None:
        if self.operator.lower() not in OPERATORS:
            raise ValueError(f"unknown filter operator {self.operator!r}; use one of {sorted(OPERATORS)}")
        if not self.field or ":" in self.field:
            raise ValueError(f"bad filter field {self.field!r}")


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def encode_filters(filters: list[Filter] | tuple[Filter, ...] | None) -> list[tuple[str, str]]:
    """Query pairs for a list of filters: `[("filters", "field:operator:value"), ...]`."""
    return [("filters", f"{f.field}:{f.operator.lower()}:{_value_text(f.value)}") for f in filters or ()]


def list_params(
    *,
    filters: list[Filter] | tuple[Filter, ...] | None = None,
    keyword: str | None = None,
    sort_on: str | None = None,
    sort_direction: str | None = None,
    page_number: int = 1,
    page_size: int = 25,
) -> list[tuple[str, str]]:
    """Query pairs for a list call."""
    if page_number < 1 or page_size < 1:
        raise ValueError("page_number and page_size start at 1")
    params: list[tuple[str, str]] = [("pageNumber", str(page_number)), ("pageSize", str(page_size))]
    if keyword:
        params.append(("keyword", keyword))
    if sort_on:
        params.append(("sortOn", sort_on))
    if sort_direction:
        direction = sort_direction.lower()
        direction = {"ascending": "asc", "descending": "desc"}.get(direction, direction)
        if direction not in ("asc", "desc"):
            raise ValueError(f"sort_direction is asc or desc, not {sort_direction!r}")
        params.append(("sortDirection", direction))
    return params + encode_filters(filters)


def parse_page(payload: Any, item_type: type[T], page_size: int | None = None) -> Page[T]:
    """Parse either paging shape; fill `page_size` from the request when the answer has none."""
    page = Page[item_type].model_validate(payload)  # type: ignore[valid-type]
    if page.page_size is None and page_size is not None:
        page.page_size = page_size
    return page


async def iter_pages(fetch: Callable[[int], Awaitable[Page[T]]]) -> AsyncIterator[Page[T]]:
    """Every page from 1 until the last one (or an empty page)."""
    number = 1
    while number <= MAX_PAGES:
        page = await fetch(number)
        yield page
        if not page.items or page.page_number >= page.total_pages:
            return
        number = page.page_number + 1


async def iter_items(fetch: Callable[[int], Awaitable[Page[T]]]) -> AsyncIterator[T]:
    """Every item of every page, in order."""
    async for page in iter_pages(fetch):
        for item in page.items:
            yield item


async def collect(fetch: Callable[[int], Awaitable[Page[T]]], limit: int | None = None) -> list[T]:
    """Up to `limit` items across pages (all of them when `limit` is None)."""
    out: list[T] = []
    async for item in iter_items(fetch):
        out.append(item)
        if limit is not None and len(out) >= limit:
            break
    return out
