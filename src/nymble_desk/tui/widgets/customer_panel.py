"""The customer at a glance: terms, tier, credit, balance, invoices, addresses, last orders.

``CustomerPanel(customer_number)`` loads ``desk.customer_summary`` in a worker and
renders it; ``refresh_summary()`` loads it again. Choosing one of the last orders
posts :class:`CustomerPanel.Reorder` with its order number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from nymble_desk.errors import in_plain_words
from nymble_desk.tui.customer_text import first_attr, order_label, summary_text
from nymble_desk.tui.widgets.customer_brief import CustomerBrief
from nymble_desk.tui.desk_access import desk_of


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
            text = f"! Could not load {self.customer_number}: {in_plain_words(error)}"
            self.query_one("#customer-summary", Static).update(text)
            self.query_one(CustomerBrief).say(text)

    def show_summary(self, summary: Any) -> None:
        self.summary = summary
        self.query_one("#customer-summary", Static).update(summary_text(summary))
        self.query_one(CustomerBrief).show_summary(summary)
        orders = self.query_one("#recent-orders", OptionList)
        orders.clear_options()
        recent = list(first_attr(summary, "recent_orders", default=()) or ())
        for order in recent:
            number = str(first_attr(order, "order_number", "id", default=""))
            orders.add_option(Option(order_label(order), id=number))
        if not recent:
            orders.add_option(Option("(no orders yet)", disabled=True))
        self.post_message(self.Loaded(self, summary))

    @on(OptionList.OptionSelected, "#recent-orders")
    def _reorder(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Reorder(self, event.option.id))
