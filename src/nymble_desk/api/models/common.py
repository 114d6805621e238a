"""Addresses and small shared shapes."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from .base import ApiModel, Money

_POSTAL = AliasChoices("postalCode", "zipPostalCode", "postal_code", "PostalCode", "ZipPostalCode")


class Address(ApiModel):
    """A postal address as carts show it (`postalCode`); orders' `zipPostalCode` is accepted too."""

    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    state_province: str | None = None
    postal_code: str | None = Field(default=None, validation_alias=_POSTAL, serialization_alias="postalCode")
    country: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None

    def one_line(self) -> str:
        parts = [self.address1, self.address2, self.city,
                 " ".join(p for p in (self.state_province, self.postal_code) if p), self.country]
        return ", ".join(p for p in parts if p)

    def as_order_address(self) -> OrderAddress:
        return OrderAddress.model_validate(self.model_dump())


class OrderAddress(Address):
    """The same address as orders and invoices show it (`zipPostalCode`)."""

    postal_code: str | None = Field(default=None, validation_alias=_POSTAL, serialization_alias="zipPostalCode")


class Discount(ApiModel):
    code: str | None = None
    type: str | None = None
    value: Money | None = None
    description: str | None = None


class ShippingDetails(ApiModel):
    method: str | None = None
    total: Money | None = None
    total_formatted: str | None = None
    shipping_address: OrderAddress | None = None
