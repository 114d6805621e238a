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
from nymble_desk.domain.order_terms import discount_text, line_discounts_text
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
    # the order's own terms, each already in words; None when not set (then not shown)
    discount: str | None = None
    tax: str | None = None
    shipping: str | None = None
    notes: str | None = None

    @property
    def total_text(self) -> str:
        return format_money(self.total, self.currency)

    @property
    def lines_text(self) -> str:
        return f"{self.lines} line{'s' if self.lines != 1 else ''}, {self.items:,} item{'s' if self.items != 1 else ''}"

    def rows(self) -> list[tuple[str, str]]:
        terms = [(label, value) for label, value in (("Discount", self.discount), ("Tax", self.tax),
                                                      ("Shipping", self.shipping)) if value]
        return [("Lines", self.lines_text), *terms, ("Total", self.total_text), ("Ship to", self.ship_to),
                ("PO", self.po or "none"), *([("Notes", self.notes)] if self.notes else [])]


def facts_from_draft(draft: Draft) -> OrderFacts:
    totals = draft.totals()
    currency = totals.currency or draft.currency or "USD"
    terms = draft.order_terms
    off = sum((line.subtotal for line in draft.lines), Decimal(0)) - totals.subtotal + totals.discount_amount
    how = "; ".join(p for p in (discount_text(terms.discount, currency) + " order" if terms.discount else "",
                                line_discounts_text(terms.line_discounts, currency)) if p)
    return OrderFacts(
        lines=len(draft.lines), items=sum(line.quantity for line in draft.lines), total=totals.total,
        currency=currency, ship_to=address_line(draft.ship_to),
        po=draft.po_number, source="cart",
        discount=f"-{format_money(off, currency)} ({how})" if how else None,
        tax=format_money(terms.tax, currency) if terms.tax is not None else None,
        shipping=_shipping(terms.shipping_method, terms.shipping_cost, currency),
        notes=draft.notes or None,
    )


def _shipping(method: str | None, cost: Decimal | None, currency: str) -> str | None:
    if not method and cost is None:
        return None
    return " · ".join(p for p in (method or "", format_money(cost, currency) if cost is not None else "") if p)


def facts_from_order(order: Order) -> OrderFacts:
    shipping = order.shipping_details.shipping_address if order.shipping_details else None
    if shipping is None and order.customer is not None:
        shipping = order.customer.shipping_address
    total = order.order_total
    if total is None:
        total = sum((item.sub_total if item.sub_total is not None else item.price * item.quantity
                     for item in order.items), Decimal(0))
    currency = order.currency_code or "USD"
    ship = order.shipping_details
    off = order.discount_amount or Decimal(0)
    label = order.discount.label(currency) if order.discount is not None else ""
    return OrderFacts(
        lines=len(order.items), items=sum(item.quantity for item in order.items), total=total,
        currency=currency,
        ship_to=address_line(shipping.model_dump() if shipping is not None else None),
        po=order.po_number, source="API",
        discount=(f"-{format_money(off, currency)}" + (f" ({label})" if label else "")) if off else None,
        tax=format_money(order.tax, currency) if order.tax else None,
        shipping=_shipping(ship.method if ship else None, ship.total if ship and ship.total else None, currency),
        notes=order.notes or None,
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
