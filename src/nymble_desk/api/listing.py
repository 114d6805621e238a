"""Listings the resources share: customers and products search by keyword (and get one);
orders and invoices by filters, with a deadline (they are read while reconciling)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import BaseModel

from ._util import seg, unwrap
from .models import Page
from .paging import Filter, iter_items, list_params, parse_page
from .retry import Deadline

if TYPE_CHECKING:
    from .http import HttpCore

M = TypeVar("M", bound=BaseModel)


class KeywordListing(Generic[M]):
    """A resource listed at ``PATH`` with ``keyword``, filters, sort and paging, read one at ``PATH/{key}``."""

    PATH: str
    MODEL: type[M]
    ITER_PAGE_SIZE = 200

    def __init__(self, http: HttpCore) -> None:
        self._http = http

    async def search(
        self,
        keyword: str | None = None,
        filters: Sequence[Filter] | None = None,
        sort_on: str | None = None,
        sort_direction: str | None = None,
        page_number: int = 1,
        page_size: int = 25,
    ) -> Page[M]:
        params = list_params(keyword=keyword, filters=list(filters or ()), sort_on=sort_on,
                             sort_direction=sort_direction, page_number=page_number, page_size=page_size)
        return parse_page(await self._http.call("GET", self.PATH, params=params), self.MODEL, page_size)

    def iter_all(
        self,
        keyword: str | None = None,
        filters: Sequence[Filter] | None = None,
        sort_on: str | None = None,
        sort_direction: str | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[M]:
        size = page_size or self.ITER_PAGE_SIZE
        return iter_items(lambda n: self.search(keyword, filters, sort_on, sort_direction, n, size))

    async def get(self, key: str) -> M:
        data = await self._http.call("GET", f"{self.PATH}/{seg(key)}")
        return self.MODEL.model_validate(unwrap(data))


class FilterListing(Generic[M]):
    """A resource listed at ``PATH`` with filters, sort and paging (orders, invoices)."""

    PATH: str
    MODEL: type[M]
    ITER_PAGE_SIZE = 100

    def __init__(self, http: HttpCore) -> None:
        self._http = http

    async def search(
        self,
        filters: Sequence[Filter] | None = None,
        sort_on: str | None = None,
        sort_direction: str | None = None,
        page_number: int = 1,
        page_size: int = 25,
        *,
        deadline: Deadline | None = None,
    ) -> Page[M]:
        params = list_params(filters=list(filters or ()), sort_on=sort_on, sort_direction=sort_direction,
                             page_number=page_number, page_size=page_size)
        data = await self._http.call("GET", self.PATH, params=params, deadline=deadline)
        return parse_page(data, self.MODEL, page_size)

    def iter_all(
        self,
        filters: Sequence[Filter] | None = None,
        sort_on: str | None = None,
        sort_direction: str | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[M]:
        """Every match, page after page."""
        size = page_size or self.ITER_PAGE_SIZE
        return iter_items(lambda n: self.search(filters, sort_on, sort_direction, n, size))
