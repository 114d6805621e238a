"""Value objects of the draft cache (frozen; the store hands out fresh ones)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from nymble_desk.domain.totals import Discount

if TYPE_CHECKING:  # pragma: no cover
    from nymble_desk.domain.totals import Totals


#: What the server cart held when conflicts were recorded, by SKU, plus "@ship-to" and "@po":
#: ``{"WDG-BLU-L": {"quantity": 24, "price": "12.50"}, "@ship-to": {"address": {...}}, "@po": {"po": "PO-1"}}``.
RemoteLines = dict[str, dict[str, Any]]


class DraftState:
    """The states a draft moves through (stored as these strings)."""

    LOCAL = "local"            # only on this machine, nothing queued yet or never sent
    SYNCED = "synced"          # the server cart matches the draft
    PENDING = "pending"        # changes queued in the outbox
    CONFLICT = "conflict"      # needs the rep: changed elsewhere, price changed, rejected, or needs the card again
    SUBMITTING = "submitting"  # checkout sent, outcome not yet known
    SUBMITTED = "submitted"    # the order exists: order_number is set
    DISCARDED = "discarded"

    ALL = (LOCAL, SYNCED, PENDING, CONFLICT, SUBMITTING, SUBMITTED, DISCARDED)
    OPEN = (LOCAL, SYNCED, PENDING, CONFLICT, SUBMITTING)
    CLOSED = (SUBMITTED, DISCARDED)


@dataclass(frozen=True)
class DraftLine:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    minimum: int = 1
    increment: int = 1
    upc: str | None = None
    # Additions beyond docs/internals.md (defaults keep it compatible): what the
    # price was computed from, so a quantity change can reprice without the network.
    list_price: Decimal | None = None
    tier_prices: tuple[tuple[str, Decimal, int], ...] = ()

    @property
    def subtotal(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class OrderTerms:
    """The order's own terms the rep sets before placing (docs/order-terms.md); all optional.

    ``discount`` is the order-level rep discount (on the goods after line discounts);
    ``line_discounts`` maps a SKU to its line's discount.  Tax and shipping are amounts."""

    shipping_method: str | None = None
    shipping_cost: Decimal | None = None
    tax: Decimal | None = None
    discount: Discount | None = None
    line_discounts: tuple[tuple[str, Discount], ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == OrderTerms()

    def line_discount(self, sku: str) -> Discount | None:
        return next((d for s, d in self.line_discounts if s == sku), None)


@dataclass(frozen=True)
class Draft:
    id: str
    customer_number: str
    customer_name: str
    currency: str
    price_tier: str | None
    terms: str | None
    lines: tuple[DraftLine, ...]
    ship_to: dict[str, Any] | None
    po_number: str | None
    notes: str | None
    state: str
    remote_cart_id: str | None
    external_id: str
    order_number: str | None
    confirmation_id: str | None
    last_error: str | None
    conflicts: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    checkout_queued: bool = False  # addition: a checkout waits in the outbox
    order_terms: OrderTerms = OrderTerms()  # shipping method/cost, tax, rep discounts (schema 2)

    @property
    def is_open(self) -> bool:
        return self.state in DraftState.OPEN

    def line(self, sku: str) -> DraftLine | None:
        for line in self.lines:
            if line.sku == sku:
                return line
        return None

    def totals(self) -> Totals:
        from nymble_desk.domain.totals import Line, compute_totals

        terms = self.order_terms
        lines = []
        for line in self.lines:
            off = terms.line_discount(line.sku)
            amount = off.amount_for(line.subtotal, self.currency) if off else Decimal(0)
            lines.append(Line(line.sku, line.quantity, line.unit_price, amount))
        return compute_totals(lines, discount=terms.discount, tax=terms.tax or Decimal(0),
                              shipping=terms.shipping_cost or Decimal(0), currency=self.currency)


@dataclass(frozen=True)
class JournalEntry:
    id: int
    draft_id: str
    at: datetime
    action: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboxOp:
    """A folded target state waiting to be replayed: one per (draft, key) while pending."""

    id: int
    draft_id: str
    key: str  # "line:{sku}", "shipping", "po", "checkout"
    payload: dict[str, Any]
    status: str  # "pending" or "failed"
    attempts: int
    last_error: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def sku(self) -> str | None:
        return self.key.split(":", 1)[1] if self.key.startswith("line:") else None
