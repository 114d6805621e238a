"""Products: keyword search with filters, get by SKU or UPC."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from ._util import seg, unwrap
from .errors import NotFound
from .models import Page, Product
from .paging import Filter, iter_items, list_params, parse_page

if TYPE_CHECKING:
    from .http import HttpCore


class Products:
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
    ) -> Page[Product]:
        """Products whose SKU, name, description or UPC match `keyword`, and/or filters."""
        params = list_params(keyword=keyword, filters=list(filters or ()), sort_on=sort_on,
                             sort_direction=sort_direction, page_number=page_number, page_size=page_size)
        return parse_page(await self._http.call("GET", "/api/products", params=params), Product, page_size)

    def iter_all(
        self,
        keyword: str | None = None,
        filters: Sequence[Filter] | None = None,
        sort_on: str | None = None,
        sort_direction: str | None = None,
        page_size: int = 500,
    ) -> AsyncIterator[Product]:
        return iter_items(lambda n: self.search(keyword, filters, sort_on, sort_direction, n, page_size))

    async def get(self, sku_or_upc: str) -> Product:
        """One product by SKU or UPC; NotFound when there is none."""
        data = await self._http.call("GET", f"/api/products/{seg(sku_or_upc)}")
        return Product.model_validate(unwrap(data))

    async def find(self, sku_or_upc: str) -> Product | None:
        """Like `get`, but None when there is no such product."""
        try:
            return await self.get(sku_or_upc)
        except NotFound:
            return None
