"""Customers and their addresses."""

from __future__ import annotations

from pydantic import Field

from .base import ApiModel, Money, UtcDatetime
from .common import Address


class CustomerAddress(Address):
    address_type: str | None = None  # "Shipping" or "Billing"
    default: bool = False

    @property
    def is_shipping(self) -> bool:
        return (self.address_type or "").lower() == "shipping"

    @property
    def is_billing(self) -> bool:
        return (self.address_type or "").lower() == "billing"


class Customer(ApiModel):
    customer_number: str
    company_name: str | None = None
    company_email: str | None = None
    company_phone: str | None = None
    company_fax: str | None = None
    active: bool = True
    credit_hold: bool = False
    rep_number: str | None = None
    pricing: str | None = None
    terms: str | None = None
    currency_code: str | None = None
    credit_limit: Money | None = None
    credit_limit_formatted: str | None = None
    balance: Money | None = None
    balance_formatted: str | None = None
    addresses: list[CustomerAddress] = Field(default_factory=list)
    updated_at: UtcDatetime | None = None

    @property
    def price_tier(self) -> str | None:
        return self.pricing

    def _default(self, kind: str) -> CustomerAddress | None:
        matches = [a for a in self.addresses if (a.address_type or "").lower() == kind]
        for address in matches:
            if address.default:
                return address
        return matches[0] if matches else None

    @property
    def shipping_addresses(self) -> list[CustomerAddress]:
        return [a for a in self.addresses if a.is_shipping]

    @property
    def default_shipping(self) -> CustomerAddress | None:
        return self._default("shipping")

    @property
    def default_billing(self) -> CustomerAddress | None:
        return self._default("billing")
