"""The customer at a glance: terms, tier, credit, balance, invoices, addresses, last orders.

``CustomerPanel(customer_number)`` loads ``desk.customer_summary`` in a worker and
renders it; ``refresh_summary()`` loads it again. Choosing one of the last orders
posts :class:`CustomerPanel.Reorder` with its order number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from nymble_desk.domain.money import format_money
from nymble_desk.tui.widgets.customer_brief import CustomerBrief
from nymble_desk.tui.desk_access import desk_of


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return default


def money_text(value: Any, currency: str) -> str:
    if value is None:
        return "-"
    return format_money(Decimal(str(value)), currency)


_money = money_text


def open_due(invoices: list[Any]) -> Decimal:
    """What the open invoices still ask for."""
    return sum(
        (Decimal(str(_get(i, "balance_due", "amount_due", "balance", "total", default=0))) for i in invoices),
        Decimal(0),
    )


def format_address(address: Any) -> str:
    if address is None:
        return "-"
    region = " ".join(
        p for p in (_get(address, "state_province"), _get(address, "postal_code", "zip_postal_code")) if p
    )
    parts = [
        _get(address, "address1"),
        _get(address, "address2"),
        _get(address, "city"),
        region,
        _get(address, "country"),
    ]
    return ", ".join(str(p) for p in parts if p)


def default_address(customer: Any, kind: str) -> Any:
    addresses = [a for a in (_get(customer, "addresses", default=()) or ()) if _get(a, "address_type") == kind]
    for address in addresses:
        if _get(address, "default", "is_default"):
            return address
    return addresses[0] if addresses else None


def customer_flags(customer: Any) -> list[str]:
    """Plain-word flags: INACTIVE, ON HOLD (never colour alone)."""
    flags = []
    if _get(customer, "active", default=True) is False:
        flags.append("INACTIVE")
    if _get(customer, "credit_hold", default=False):
        flags.append("ON HOLD")
    return flags


def summary_text(summary: Any) -> str:
    c = summary.customer
    currency = _get(c, "currency_code", default="USD")
    flags = customer_flags(c)
    head = f"{_get(c, 'company_name', default='')} ({_get(c, 'customer_number', default='')})"
    invoices = list(_get(summary, "open_invoices", default=()) or ())
    due = open_due(invoices)
    lines = [
        head + (f"  {' / '.join(flags)}" if flags else ""),
        f"Terms {_get(c, 'terms', default='-')} · Tier {_get(c, 'pricing', 'price_tier', default='-')} · {currency}",
        # one amount a line: at 40 columns a label and its amount are never split by a wrap
        f"Credit limit {_money(_get(c, 'credit_limit'), currency)}",
        f"Balance {_money(_get(c, 'balance'), currency)}",
        f"Open invoices {len(invoices)}" + (f" ({_money(due, currency)} due)" if invoices else ""),
        f"Ship-to {format_address(default_address(c, 'Shipping'))}",
        f"Bill-to {format_address(default_address(c, 'Billing'))}",
    ]
    return "\n".join(lines)


def order_label(order: Any) -> str:
    number = _get(order, "order_number", "id", default="?")
    when = _get(order, "order_date", "created_at", "created", default=None)
    day = when.strftime("%Y-%m-%d") if hasattr(when, "strftime") else (str(when)[:10] if when else "")
    currency = _get(order, "currency_code", default="USD")
    total = _get(order, "order_total", "total", default=None)
    po = _get(order, "po_number", default=None)
    parts = [str(number), day, _money(total, currency) if total is not None else "", f"PO {po}" if po else ""]
    return "  ".join(p for p in parts if p)


class CustomerPanel(Vertical):
    """Customer summary with the last orders; Enter on an order asks to reorder it.

    Where the screen gives it three lines (the cart at 80 columns), it shows the
    :class:`CustomerBrief`; :meth:`toggle_full` opens the full panel over the lines and back.
    """

    DEFAULT_CSS = """
    CustomerPanel {
        height: auto;
        max-height: 16;
        border: round $primary;
        border-title-align: left;
        padding: 0 1;
        & #customer-summary { height: auto; }
        & #recent-orders { height: auto; max-height: 6; border: none; padding: 0; }
        & #recent-orders-title { height: 1; text-style: bold; }
        & #customer-brief { display: none; }
    }
    """

    @dataclass
    class Reorder(Message):
        """Copy the lines of a past order into the current cart."""

        panel: CustomerPanel
        order_number: str

        @property
        def control(self) -> CustomerPanel:
            return self.panel

    @dataclass
    class Loaded(Message):
        panel: CustomerPanel
        summary: Any

        @property
        def control(self) -> CustomerPanel:
            return self.panel

    def __init__(self, customer_number: str, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.customer_number = customer_number
        self.summary: Any = None
        self._load: Worker[Any] | None = None
        self.border_title = f"Customer {customer_number}"
        self._focus_before: Widget | None = None

    def compose(self) -> ComposeResult:
        yield CustomerBrief(id="customer-brief")
        yield Static(f"Loading {self.customer_number}…", id="customer-summary", markup=False)
        yield Static("Last orders (Enter to reorder)", id="recent-orders-title")
        yield OptionList(id="recent-orders")

    def on_mount(self) -> None:
        self._load = self._fetch(fresh=False)
        self.query_one(CustomerBrief).say(f"Loading {self.customer_number}…")
        keys = [self.app.get_key_display(active.binding) for active in self.screen.active_bindings.values()
                if active.binding.action == "customer_panel"]
        if keys:
            self.border_subtitle = f"{keys[0]} full panel"

    @property
    def is_full(self) -> bool:
        return self.has_class("-full")

    def toggle_full(self) -> None:
        """Open the full panel (and put the focus on the last orders), or close it again."""
        if self.is_full:
            self.remove_class("-full")
            restore = self._focus_before
            self._focus_before = None
            if restore is not None and restore.is_attached:
                restore.focus()
            return
        self._focus_before = self.screen.focused
        self.add_class("-full")
        orders = self.query_one("#recent-orders", OptionList)
        orders.focus()
        if orders.option_count and orders.highlighted is None:
            orders.highlighted = 0

    def refresh_summary(self) -> None:
        """Read the customer again (after a payment, a refund, an order)."""
        self._load = self._fetch(fresh=True)

    @work(exclusive=True, group="customer-summary", exit_on_error=False)
    async def _fetch(self, fresh: bool) -> Any:
        desk = desk_of(self)
        if fresh:
            return await desk.customer_summary(self.customer_number, max_age=0)
        return await desk.customer_summary(self.customer_number)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._load:
            return
        event.stop()
        if event.state is WorkerState.SUCCESS:
            self.show_summary(event.worker.result)
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            detail = (
                getattr(error, "detail", None) or getattr(error, "title", None) or str(error) or type(error).__name__
            )
            text = f"! Could not load {self.customer_number}: {detail}"
            self.query_one("#customer-summary", Static).update(text)
            self.query_one(CustomerBrief).say(text)

    def show_summary(self, summary: Any) -> None:
        self.summary = summary
        self.query_one("#customer-summary", Static).update(summary_text(summary))
        self.query_one(CustomerBrief).show_summary(summary)
        orders = self.query_one("#recent-orders", OptionList)
        orders.clear_options()
        recent = list(_get(summary, "recent_orders", default=()) or ())
        for order in recent:
            number = str(_get(order, "order_number", "id", default=""))
            orders.add_option(Option(order_label(order), id=number))
        if not recent:
            orders.add_option(Option("(no orders yet)", disabled=True))
        self.post_message(self.Loaded(self, summary))

    @on(OptionList.OptionSelected, "#recent-orders")
    def _reorder(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Reorder(self, event.option.id))
