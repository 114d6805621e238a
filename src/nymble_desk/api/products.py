"""Products: keyword search with filters, get by SKU or UPC."""

from __future__ import annotations

from .errors import NotFound
from .listing import KeywordListing
from .models import Product


class Products(KeywordListing[Product]):
    """Products whose SKU, name, description or UPC match `keyword`, and/or filters; one by SKU or UPC
    (`get` raises NotFound when there is none)."""

    PATH = "/api/products"
    MODEL = Product
    ITER_PAGE_SIZE = 500

    async def find(self, sku_or_upc: str) -> Product | None:
        """Like `get`, but None when there is no such product."""
        try:
            return await self.get(sku_or_upc)
        except NotFound:
            return None
