"""Products and their tier price breaks."""

from __future__ import annotations

from pydantic import Field

from .base import ApiModel, Money, UtcDatetime


class TierPriceModel(ApiModel):
    tier: str
    price: Money
    at_quantity: int = 1


class Product(ApiModel):
    sku: str
    name: str | None = None
    description: str | None = None
    category: str | None = None
    upc: str | None = None
    external_id: str | None = None
    active: bool = True
    price: Money
    price_formatted: str | None = None
    currency_code: str | None = None
    quantity_on_hand: int | None = None
    minimum_order_quantity: int = 1
    quantity_increment: int = 1
    prices: list[TierPriceModel] = Field(default_factory=list)
    #: When the product last changed (the search index refreshes by it); None from older APIs.
    updated_at: UtcDatetime | None = None
