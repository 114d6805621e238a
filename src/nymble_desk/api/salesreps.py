"""Sales reps: list and get."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from ._util import seg, unwrap
from .models import Page, SalesRep
from .paging import Filter, iter_items, list_params, parse_page

if TYPE_CHECKING:
    from .http import HttpCore


class SalesReps:
    def __init__(self, http: HttpCore) -> None:
        self._http = http

    async def list(
        self,
        filters: Sequence[Filter] | None = None,
        sort_on: str | None = None,
        sort_direction: str | None = None,
        page_number: int = 1,
        page_size: int = 50,
    ) -> Page[SalesRep]:
        params = list_params(filters=list(filters or ()), sort_on=sort_on, sort_direction=sort_direction,
                             page_number=page_number, page_size=page_size)
        return parse_page(await self._http.call("GET", "/api/salesreps", params=params), SalesRep, page_size)

    def iter_all(self, filters: Sequence[Filter] | None = None, page_size: int = 200) -> AsyncIterator[SalesRep]:
        return iter_items(lambda n: self.list(filters, page_number=n, page_size=page_size))

    async def get(self, rep_number: str) -> SalesRep:
        data = await self._http.call("GET", f"/api/salesreps/{seg(rep_number)}")
        return SalesRep.model_validate(unwrap(data))
