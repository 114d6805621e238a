"""The order guide: what the customer in front bought in their last orders, to add in a key or two.

Opened from the cart (F11). One row per SKU, most often bought first, then the most
recently bought: usual quantity, in how many of the orders, the last price paid and
its date, stock on hand (as of the index's last refresh; "!" when the usual quantity is
more than that) and what the cart holds now. Enter adds the row's SKU at its usual
quantity (merged with the cart's line), F9 adds every row not yet in the cart and goes
back; F7 or Escape goes back. It reads only the local index, so it answers offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, UTC
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from nymble_desk.domain.money import format_money
from nymble_desk.tui.keymap import GUIDE_BINDINGS
from nymble_desk.tui.navigation import AddLines, InCart
from nymble_desk.tui.stock_text import as_of, short_lines, short_warning, stock_cell
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.fit_table import Col, FitTable
from nymble_desk.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from nymble_desk.sync.history import GuideItem, OrderGuide, StockLevel

#: numbers, the SKU and the date whole; the name gives way
GUIDE_COLS = (
    Col("sku", "SKU", "whole"),
    Col("name", "Name", "text"),
    Col("usual", "Usual", "number"),
    Col("times", "Orders", "number"),
    Col("price", "Last paid", "number"),
    Col("date", "On", "whole"),
    Col("stock", "Stock", "number"),
    Col("cart", "In cart", "number"),
)


def guide_rows(guide: OrderGuide, stock: Mapping[str, StockLevel], in_cart: Mapping[str, int],
               currency: str) -> list[tuple[str, dict[str, str]]]:
    """The guide's rows as cell texts, keyed by SKU."""
    return [(item.sku, {
        "sku": item.sku,
        "name": item.name,
        "usual": f"{item.usual_quantity:,}",
        "times": f"{item.times}/{guide.orders}",
        "price": format_money(item.last_price, item.currency or currency),
        "date": item.last_date.date().isoformat(),
        "stock": stock_cell(stock.get(item.sku), item.usual_quantity),
        "cart": f"{in_cart[item.sku]:,}" if in_cart.get(item.sku) else "",
    }) for item in guide.items]


class OrderGuideScreen(Screen[None]):
    CSS_PATH = "order_guide.tcss"
    BINDINGS = GUIDE_BINDINGS
    AUTO_FOCUS = "#guide"

    def __init__(self, customer: str, guide: OrderGuide, stock: Mapping[str, StockLevel], *,
                 currency: str, add: AddLines, in_cart: InCart, online: bool = True) -> None:
        super().__init__()
        self.customer, self.guide, self.stock, self.currency = customer, guide, stock, currency
        self.add, self.in_cart, self.online = add, in_cart, online
        self.adding = False

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="guide-title", markup=False)
        yield FitTable(GUIDE_COLS, id="guide", cursor_type="row", zebra_stripes=False)
        yield Static(self._hint(), id="guide-message", markup=False)
        yield StatusLine()
        yield FitFooter(show_command_palette=False, compact=True)

    def _title(self) -> str:
        orders = self.guide.orders
        history = as_of(self.guide.refreshed_at).replace("as of", "history as of")
        # the customer's name gives way first (it is in the cart's header too)
        return f"ORDER GUIDE · last {orders} order{'s' if orders != 1 else ''} · {history} · {self.customer}"

    def _hint(self) -> str:
        if not self.guide.items:
            why = "" if self.online else " (offline: nothing stored for this customer yet)"
            return f"No earlier orders to go by{why}. F7 or Esc: back to the cart"
        return "Enter adds at the usual quantity · F9 adds all not in the cart · F7 back"

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.query_one("#guide", FitTable).show_rows(
            guide_rows(self.guide, self.stock, self.in_cart(), self.currency))

    def say(self, text: str) -> None:
        self.query_one("#guide-message", Static).update(text)

    def selected(self) -> GuideItem | None:
        table = self.query_one("#guide", FitTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.guide.item(str(key))

    @on(DataTable.RowSelected, "#guide")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_add_line()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_line", "add_all"):
            return True if self.guide.items else None
        return True

    def action_add_line(self) -> None:
        item = self.selected()
        if item is not None:
            self.add_items([item], back=False)

    def action_add_all(self) -> None:
        in_cart = self.in_cart()
        items = [i for i in self.guide.items if not in_cart.get(i.sku)]
        if not items:
            self.say("Every line of the guide is in the cart already. F7: back to the cart")
            return
        self.add_items(items, back=True)

    def action_back(self) -> None:
        self.dismiss(None)

    @work(group="guide-add", exit_on_error=False)
    async def add_items(self, items: list[GuideItem], *, back: bool) -> None:
        """Add ``items`` at their usual quantities through the cart (its checks, one write), then say
        what was added, what was refused and which lines are over stock."""
        if self.adding:
            return
        self.adding = True
        try:
            outcomes = await self.add([(i.sku, i.usual_quantity) for i in items])
        finally:
            self.adding = False
        refused = [f"{text}: {why}" for text, why in outcomes if why is not None]
        added = len(outcomes) - len(refused)
        cart = self.in_cart()
        short = short_lines(((i.sku, cart.get(i.sku, 0)) for i in items), self.stock)
        parts = [f"Added {added} line{'s' if added != 1 else ''}" if len(items) > 1 or not refused else ""]
        parts += [f"! {r}" for r in refused]
        warning = short_warning(short, self.stock, datetime.now(UTC))
        if warning:
            parts.append(warning)
        text = " · ".join(p for p in parts if p)
        if back and self.is_current:
            self.dismiss(None)  # the cart's message says what was added and which lines are over stock
            return
        self.reload()
        if len(items) == 1 and not refused:
            text = f"Added {items[0].usual_quantity:,} x {items[0].sku}" + (f" · {warning}" if warning else "")
            self.query_one("#guide", FitTable).action_cursor_down()
        self.say(text)
