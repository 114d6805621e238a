"""What the last look and the confirmation show of an order: lines, items, total, ship-to, PO.

Built from the draft (what the rep is about to place, or placed while the API's copy
cannot be read) or from the order the API holds (after it is placed). Numbers are
formatted whole here; the screens lay them out where they are never cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from nymble_desk.domain.money import format_money
from nymble_desk.tui.ship_to import address_line

if TYPE_CHECKING:  # the tui reaches the API only through the Desk
    from nymble_desk.sync.records import Order
    from nymble_desk.drafts.models import Draft
    from nymble_desk.sync.desk import PoUse


@dataclass(frozen=True)
class OrderFacts:
    lines: int
    items: int
    total: Decimal
    currency: str
    ship_to: str
    po: str | None
    source: str  # "cart" (the draft's figures) or "API" (the order as placed)

    @property
    def total_text(self) -> str:
        return format_money(self.total, self.currency)

    @property
    def lines_text(self) -> str:
        return f"{self.lines} line{'s' if self.lines != 1 else ''}, {self.items:,} item{'s' if self.items != 1 else ''}"

    def rows(self) -> list[tuple[str, str]]:
        return [("Lines", self.lines_text), ("Total", self.total_text), ("Ship to", self.ship_to),
                ("PO", self.po or "none")]


def facts_from_draft(draft: Draft) -> OrderFacts:
    totals = draft.totals()
    return OrderFacts(
        lines=len(draft.lines), items=sum(line.quantity for line in draft.lines), total=totals.total,
        currency=totals.currency or draft.currency or "USD", ship_to=address_line(draft.ship_to),
        po=draft.po_number, source="cart",
    )


def facts_from_order(order: Order) -> OrderFacts:
    shipping = order.shipping_details.shipping_address if order.shipping_details else None
    if shipping is None and order.customer is not None:
        shipping = order.customer.shipping_address
    total = order.order_total
    if total is None:
        total = sum((item.sub_total if item.sub_total is not None else item.price * item.quantity
                     for item in order.items), Decimal(0))
    return OrderFacts(
        lines=len(order.items), items=sum(item.quantity for item in order.items), total=total,
        currency=order.currency_code or "USD",
        ship_to=address_line(shipping.model_dump() if shipping is not None else None),
        po=order.po_number, source="API",
    )


def po_warning(po: str, earlier: PoUse | None, customer_name: str) -> str | None:
    """The duplicate-PO warning, naming the earlier order (number and date) when it is known."""
    if earlier is None:
        return None
    if earlier.order_number is None:
        return f"! WARNING: {customer_name} already used PO {po} (order not known offline)"
    return f"! WARNING: {customer_name} already used PO {po} on {earlier.order_number}{_on(earlier.order_date)}"


def _on(moment: datetime | None) -> str:
    return f" of {moment:%Y-%m-%d}" if moment is not None else ""
