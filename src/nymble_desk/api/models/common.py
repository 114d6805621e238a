"""Addresses and small shared shapes."""

from __future__ import annotations

from decimal import Decimal

from pydantic import AliasChoices, Field

from nymble_desk.domain.money import format_money

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
    """A discount (lifecycle page): ``type`` "Fixed" (``value`` is an amount off) or "Percentage"
    (``value`` is 0-100 percent off). The money it took off is the owner's ``discount_amount``."""

    code: str | None = None
    type: str | None = None
    value: Money | None = None
    description: str | None = None

    @classmethod
    def fixed(cls, value: Decimal | int | str, *, code: str | None = None, description: str | None = None) -> Discount:
        return cls(type="Fixed", value=Decimal(str(value)), code=code, description=description)

    @classmethod
    def percentage(cls, value: Decimal | int | str, *, code: str | None = None,
                   description: str | None = None) -> Discount:
        return cls(type="Percentage", value=Decimal(str(value)), code=code, description=description)

    def label(self, currency: str | None = "USD") -> str:
        """What a person reads: ``"SPRING Spring promotion (7.5%)"``, ``"$10.00 off"`` without a code."""
        words = " ".join(p for p in (self.code, self.description) if p)
        if self.value is None:
            rate = ""
        elif (self.type or "").lower() == "percentage":
            rate = f"{self.value.normalize():f}%"
        else:
            rate = f"{format_money(self.value, currency or 'USD')} off"
        if words and rate:
            return f"{words} ({rate})"
        return words or rate


class ShippingDetails(ApiModel):
    method: str | None = None
    total: Money | None = None
    total_formatted: str | None = None
    shipping_address: OrderAddress | None = None
