"""Orders: filter by order number, customer, PO, status, channel, taken-by rep, date range and total; sorted
and paged by the API.

Enter in a filter searches (page 1); Enter on a row opens the order. F6/F7 page,
F8 cycles the sort. A filter that cannot be read is named in the message line
and nothing is sent; what was typed stays.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static
from textual.worker import Worker, WorkerState

from nymble_desk.domain.money import parse_money
from nymble_desk.errors import in_plain_words
from nymble_desk.sync.after_sales import OrderQuery, money
from nymble_desk.tui.keymap import ORDERS_BINDINGS
from nymble_desk.tui.navigation import routes
from nymble_desk.tui.record_text import short_date
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.fit_table import Col, FitTable
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine

SORTS: tuple[tuple[str, str], ...] = (
    ("orderDate", "desc"), ("orderDate", "asc"), ("orderTotal", "desc"), ("orderTotal", "asc"),
    ("orderNumber", "asc"), ("customerNumber", "asc"), ("poNumber", "asc"), ("orderStatus", "asc"),
)
FILTERS: tuple[tuple[str, str, str], ...] = (  # (id, label, placeholder)
    ("f-order", "Order", "ORD-…"), ("f-customer", "Cust", "CUST-…"), ("f-po", "PO", "contains"),
    ("f-status", "Status", "any"),
    ("f-from", "From", "YYYY-MM-DD"), ("f-to", "To", "YYYY-MM-DD"), ("f-min", "Total ≥", ""), ("f-max", "≤", ""),
    ("f-channel", "Channel", "TradeShow…"), ("f-taken", "Taken by", "REP-…"),
)
PAGE_SIZE = 20  # before the table has a size; then a page is what the table shows (5-100 rows)


class BadFilter(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


def day(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadFilter(field, f"write the date as YYYY-MM-DD (not {text!r})") from None


def amount(text: str, field: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_money(text)
    except (ValueError, InvalidOperation):
        raise BadFilter(field, f"{text!r} is not an amount") from None


#: the order, date, customer and total are whole; the PO, status and invoice numbers give way
ORDER_COLS = (
    Col("order", "Order", "whole"),
    Col("date", "Date", "whole"),
    Col("customer", "Customer", "whole"),
    Col("po", "PO", "text"),
    Col("status", "Status", "text"),
    Col("total", "Total", "number"),
    Col("invoices", "Invoices", "text"),
)


class OrdersScreen(Screen[None]):
    TITLE = "Orders"
    CSS_PATH = "orders.tcss"
    BINDINGS = ORDERS_BINDINGS
    AUTO_FOCUS = "#f-order"
    AREA_ACTION = "orders"  # the app key that opens this screen (hidden while it is in front)

    def __init__(self, customer: str | None = None) -> None:
        super().__init__()
        self.initial_customer = customer or ""
        self.sort_index = 0
        self.page_number = 1
        self.page: Any = None
        self.orders: dict[str, Any] = {}
        self._search: Worker[Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Orders", id="orders-title", markup=False)
        for row, fields in (("filters-1", FILTERS[:4]), ("filters-2", FILTERS[4:8]), ("filters-3", FILTERS[8:])):
            with Horizontal(id=row, classes="filters"):
                for ident, label, placeholder in fields:
                    yield Label(label, classes="filter-label")
                    value = self.initial_customer if ident == "f-customer" else ""
                    yield OrderedInput(value, placeholder=placeholder, id=ident, compact=True)
        yield FitTable(ORDER_COLS, id="orders", cursor_type="row", zebra_stripes=True)
        yield Static("", id="orders-message", markup=False)
        yield StatusLine()
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self.run_search)  # once laid out: a page is one screenful of the table

    def page_size(self) -> int:
        rows = self.query_one("#orders", DataTable).size.height - 1  # less the header
        return max(5, min(100, rows)) if rows > 0 else PAGE_SIZE

    # -- query -------------------------------------------------------------------------------
    def value(self, ident: str) -> str:
        return self.query_one(f"#{ident}", Input).value

    def build_query(self) -> OrderQuery:
        sort_on, direction = SORTS[self.sort_index]
        return OrderQuery(
            order_number=self.value("f-order").strip() or None,
            customer=self.value("f-customer").strip() or None,
            po_number=self.value("f-po").strip() or None,
            status=self.value("f-status").strip() or None,
            date_from=day(self.value("f-from"), "From"), date_to=day(self.value("f-to"), "To"),
            total_min=amount(self.value("f-min"), "Total ≥"), total_max=amount(self.value("f-max"), "Total ≤"),
            channel=self.value("f-channel").strip() or None, taken_by=self.value("f-taken").strip() or None,
            sort_on=sort_on, sort_direction=direction, page_number=self.page_number, page_size=self.page_size(),
        )

    def run_search(self) -> None:
        try:
            query = self.build_query()
        except BadFilter as bad:
            self.say(f"! {bad}")
            return
        self.say("Searching…")
        self._search = self.search(query)

    @work(exclusive=True, group="orders-search", exit_on_error=False)
    async def search(self, query: OrderQuery) -> Any:
        return await self.app.after_sales.search_orders(query)  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._search:
            return
        if event.state is WorkerState.SUCCESS:
            self.show_page(event.worker.result)
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            self.say(f"! Could not search orders: {in_plain_words(error)}")

    def show_page(self, page: Any) -> None:
        self.page = page
        table = self.query_one("#orders", FitTable)
        self.orders = {order.id: order for order in page.items}
        table.show_rows([(order.id, {
            "order": order.order_number or "-", "date": short_date(order.order_date),
            "customer": order.customer.customer_number if order.customer else "-",
            "po": order.po_number or "-", "status": order.order_status or "-",
            "total": money(order.order_total, order.currency_code),
            "invoices": ", ".join(order.invoice_numbers) or "-",
        }) for order in page.items])
        sort_on, direction = SORTS[self.sort_index]
        pages = max(page.total_pages, 1)
        self.query_one("#orders-title", Static).update(
            f"Orders · {page.total} found · page {page.page_number}/{pages} · sorted by {sort_on} {direction}")
        if page.items:
            self.say("Enter opens an order · F6/F7 page · F8 sort · Enter in a filter searches")
        else:
            self.say("No orders match these filters.")

    def say(self, text: str) -> None:
        self.query_one("#orders-message", Static).update(text)

    # -- events and actions --------------------------------------------------------------------
    @on(Input.Submitted, ".filters Input")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.page_number = 1
        self.run_search()

    @on(DataTable.RowSelected, "#orders")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        order = self.orders.get(str(event.row_key.value))
        if order is not None:
            routes(self.app).order_detail(order.order_number)

    def selected(self) -> Any | None:
        table = self.query_one("#orders", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.orders.get(str(row_key.value))

    def action_next_page(self) -> None:
        if self.page is not None and self.page.page_number < self.page.total_pages:
            self.page_number = self.page.page_number + 1
            self.run_search()
        else:
            self.say("This is the last page.")

    def action_prev_page(self) -> None:
        if self.page_number > 1:
            self.page_number -= 1
            self.run_search()
        else:
            self.say("This is the first page.")

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.page_number = 1
        self.run_search()

    def action_focus_results(self) -> None:
        self.query_one("#orders", DataTable).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#f-order", Input).focus()
