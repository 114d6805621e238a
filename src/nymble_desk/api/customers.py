"""Customers: keyword search with filters, get one, upsert."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._util import unwrap
from .listing import KeywordListing
from .models import Customer

_READ_ONLY = frozenset({"balance", "updatedAt"})  # the server's to say, not ours to send


class Customers(KeywordListing[Customer]):
    """Customers matching a free-text `keyword` (number, name, phone, email) and/or filters; one by number."""

    PATH = "/api/customers"
    MODEL = Customer

    async def upsert(self, customer: Customer | Mapping[str, Any]) -> Customer:
        """Create or update a customer by its customerNumber (PUT: safe to repeat)."""
        model = customer if isinstance(customer, Customer) else Customer.model_validate(customer)
        body = {k: v for k, v in model.to_wire().items() if k not in _READ_ONLY and not k.endswith("Formatted")}
        data = await self._http.call("PUT", "/api/customers", body=body)
        data = unwrap(data)
        if isinstance(data, dict) and "customerNumber" in data:
            return Customer.model_validate(data)
        return await self.get(model.customer_number)
