"""What the Desk knows about a customer's habits and the stock, for the cart and the order guide.

A customer's last orders are read from the Orders API (search by ``customerNumber``,
latest first, one page: the read the customer summary makes anyway) into the local index
when their cart opens; the order guide
and the last prices are then answered from the index, so they work offline and in a
few milliseconds.  Stock is the index's ``quantityOnHand`` with the time the products
were last refreshed.  No Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from nymble_desk.index.history import GUIDE_ORDERS, GuideItem, OrderGuide, PastLine

if TYPE_CHECKING:
    from nymble_desk.api.models import Order
    from nymble_desk.index import SearchIndex

#: how many of a customer's latest orders are kept in the index (the guide looks at GUIDE_ORDERS of them)
HISTORY_ORDERS = 20
#: orders in these states are not part of what a customer buys
NOT_BOUGHT = {"cancelled", "canceled", "voided"}

__all__ = ["GUIDE_ORDERS", "HISTORY_ORDERS", "GuideItem", "OrderGuide", "StockLevel", "past_lines", "stock_levels"]


@dataclass(frozen=True, slots=True)
class StockLevel:
    """``quantityOnHand`` of a SKU and when it was read (None: unknown)."""

    on_hand: int
    as_of: datetime | None

    def short_of(self, quantity: int) -> bool:
        """More is asked than is on hand (a backorder: the rep's call, never refused here)."""
        return quantity > self.on_hand


def past_lines(orders: Iterable[Order]) -> list[PastLine]:
    """The lines of ``orders`` as the index keeps them (cancelled orders and undated ones left out)."""
    lines = []
    for order in orders:
        when = order.order_date or order.created_at
        if when is None or str(order.order_status or "").lower() in NOT_BOUGHT:
            continue
        for item in order.items:
            lines.append(PastLine(order.order_number, when, item.sku, item.product_name or "", item.quantity,
                                  Decimal(item.price), order.currency_code or "USD"))
    return lines


def stock_levels(index: SearchIndex, skus: Iterable[str]) -> dict[str, StockLevel]:
    """Each SKU's stock as the index holds it (SKUs it holds no figure for are left out)."""
    as_of = index.stock_as_of()
    return {sku: StockLevel(on_hand, as_of) for sku, on_hand in index.stock(skus).items() if on_hand is not None}
