"""What the search index hands back: plain frozen dataclasses carrying what the UI shows.

No Textual, no httpx, no pydantic: the TUI can import these on its path to the
first frame at no cost.  Money is ``Decimal`` (stored as exact decimal text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CustomerHit:
    """One customer found by :meth:`SearchIndex.search_customers`."""

    number: str
    name: str
    email: str = ""
    phone: str = ""
    active: bool = True
    credit_hold: bool = False
    price_tier: str = ""
    terms: str = ""
    currency: str = "USD"
    rep_number: str = ""
    city: str = ""
    region: str = ""
    credit_limit: Decimal | None = None
    balance: Decimal | None = None
    #: The PO number that matched, when the hit came from the recent-PO table.
    matched_po: str | None = None
    #: Why it matched: "number", "phone", "email", "po", "name" or "text".
    matched_on: str = "text"

    # The API model's names, so that screens written against ``api.models.Customer`` show hits as they are.
    @property
    def customer_number(self) -> str:
        return self.number

    @property
    def company_name(self) -> str:
        return self.name

    @property
    def company_email(self) -> str:
        return self.email

    @property
    def company_phone(self) -> str:
        return self.phone

    @property
    def pricing(self) -> str:
        return self.price_tier

    @property
    def currency_code(self) -> str:
        return self.currency

    @property
    def flags(self) -> str:
        """Words, not colour, for the state a rep must notice."""
        words = []
        if not self.active:
            words.append("INACTIVE")
        if self.credit_hold:
            words.append("ON HOLD")
        return " ".join(words)


@dataclass(frozen=True, slots=True)
class TierBreak:
    tier: str
    price: Decimal
    at_quantity: int


@dataclass(frozen=True, slots=True)
class ProductHit:
    """One product found by :meth:`SearchIndex.search_products`."""

    sku: str
    name: str
    upc: str = ""
    price: Decimal = Decimal(0)
    currency: str = "USD"
    active: bool = True
    minimum: int = 1
    increment: int = 1
    quantity_on_hand: int | None = None
    category: str = ""
    prices: tuple[TierBreak, ...] = field(default_factory=tuple)
    #: Why it matched: "sku" (exact), "upc", "sku-prefix" or "text".
    matched_on: str = "text"

    # The API model's names (``api.models.Product``), for code written against it.
    @property
    def currency_code(self) -> str:
        return self.currency

    @property
    def minimum_order_quantity(self) -> int:
        return self.minimum

    @property
    def quantity_increment(self) -> int:
        return self.increment


@dataclass(frozen=True, slots=True)
class KindFreshness:
    """How fresh one kind (customers or products) of the index is."""

    count: int = 0
    full_fill_at: datetime | None = None
    refreshed_at: datetime | None = None
    #: The largest ``updatedAt`` seen; the next incremental refresh asks for newer rows.
    high_water: str | None = None
    #: True while a full fill is under way (pages done so far are searchable).
    filling: bool = False

    @property
    def ready(self) -> bool:
        """A full fill finished once: the index can answer instead of the API."""
        return self.full_fill_at is not None


@dataclass(frozen=True, slots=True)
class Freshness:
    customers: KindFreshness = KindFreshness()
    products: KindFreshness = KindFreshness()

    @property
    def ready(self) -> bool:
        return self.customers.ready and self.products.ready

    @property
    def as_of(self) -> datetime | None:
        """The older of the two kinds' last refresh (what a status line should show)."""
        times = [k.refreshed_at or k.full_fill_at for k in (self.customers, self.products)]
        if any(t is None for t in times):
            return None
        return min(t for t in times if t is not None)

    def describe(self, now: datetime) -> str:
        """A short plain-words status, e.g. ``"index 2 min old"`` or ``"index filling 40%"``."""
        if not self.ready:
            if self.customers.filling or self.products.filling or self.customers.count or self.products.count:
                return f"index filling ({self.customers.count:,} customers, {self.products.count:,} products)"
            return "no index yet (searching the API)"
        as_of = self.as_of
        assert as_of is not None
        age = max(0, int((now - as_of).total_seconds()))
        if age < 60:
            return "index up to date"
        if age < 3600:
            return f"index {age // 60} min old"
        if age < 86400:
            return f"index {age // 3600} h old"
        return f"index {age // 86400} d old"
