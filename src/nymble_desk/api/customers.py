"""Customers: keyword search with filters, get one, upsert."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._util import seg, unwrap
from .models import Customer, Page
from .paging import Filter, iter_items, list_params, parse_page

if TYPE_CHECKING:
    from .http import HttpCore

_READ_ONLY = frozenset({"balance", "updatedAt"})  # the server's to say, not ours to send


class Customers:
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
    ) -> Page[Customer]:
        """Customers matching a free-text `keyword` (number, name, phone, email) and/or filters."""
        params = list_params(keyword=keyword, filters=list(filters or ()), sort_on=sort_on,
                             sort_direction=sort_direction, page_number=page_number, page_size=page_size)
        return parse_page(await self._http.call("GET", "/api/customers", params=params), Customer, page_size)

    def iter_all(
        self,
        keyword: str | None = None,
        filters: Sequence[Filter] | None = None,
        sort_on: str | None = None,
        sort_direction: str | None = None,
        page_size: int = 200,
    ) -> AsyncIterator[Customer]:
        return iter_items(lambda n: self.search(keyword, filters, sort_on, sort_direction, n, page_size))

    async def get(self, customer_number: str) -> Customer:
        data = await self._http.call("GET", f"/api/customers/{seg(customer_number)}")
        return Customer.model_validate(unwrap(data))

    async def upsert(self, customer: Customer | Mapping[str, Any]) -> Customer:
        """Create or update a customer by its customerNumber (PUT: safe to repeat)."""
        model = customer if isinstance(customer, Customer) else Customer.model_validate(customer)
        body = {k: v for k, v in model.to_wire().items() if k not in _READ_ONLY and not k.endswith("Formatted")}
        data = await self._http.call("PUT", "/api/customers", body=body)
        data = unwrap(data)
        if isinstance(data, dict) and "customerNumber" in data:
            return Customer.model_validate(data)
        return await self.get(model.customer_number)
