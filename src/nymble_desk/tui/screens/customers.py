"""Customer lookup: one box over number, name, phone, email and PO; results as you type.

Enter opens the highlighted customer: an active one gets a draft (new or resumed)
and the cart; an inactive one is refused in plain words.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from nymble_desk.domain.money import format_money
from nymble_desk.tui.keymap import LOOKUP_BINDINGS
from nymble_desk.tui.widgets.customer_panel import customer_flags
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine

COLUMNS = (("Number", "number", 10), ("Company", "name", 24), ("Phone", "phone", 13),
           ("Email", "email", 14), ("State", "state", 10))


def _cut(text: Any, width: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def detail_line(customer: Any) -> str:
    currency = getattr(customer, "currency_code", None) or "USD"

    def money(value: Any) -> str:
        return "-" if value is None else format_money(Decimal(str(value)), currency)

    parts = [
        f"{customer.company_name} ({customer.customer_number})",
        f"Terms {getattr(customer, 'terms', None) or '-'}",
        f"Tier {getattr(customer, 'pricing', None) or '-'}",
        f"Credit {money(getattr(customer, 'credit_limit', None))}",
        f"Balance {money(getattr(customer, 'balance', None))}",
    ]
    flags = customer_flags(customer)
    return " · ".join(parts) + (f" · {' / '.join(flags)}" if flags else "")


class CustomerLookupScreen(Screen[None]):
    AREA_ACTION = "customers"  # the app key that opens this screen (hidden while it is in front)
    TITLE = "Customer lookup"
    CSS_PATH = "customers.tcss"
    BINDINGS = LOOKUP_BINDINGS
    AUTO_FOCUS = "#search"

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial_query = query
        self.hits: dict[str, Any] = {}
        self._search: Worker[list[Any]] | None = None
        self.last_query: str | None = None
        self._searching_for = ""

    def compose(self) -> ComposeResult:
        yield OrderedInput(
            value=self._initial_query,
            placeholder="Customer number, name, phone, email or PO",
            id="search",
        )
        table: DataTable[str] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield Static("", id="detail")
        yield Static("", id="message")
        yield StatusLine()
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.start_search(self._initial_query)

    # --- searching --------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _changed(self, event: Input.Changed) -> None:
        self.start_search(event.value)

    def start_search(self, text: str) -> None:
        self._searching_for = text.strip()
        self._search = self.search_customers(self._searching_for)

    @work(exclusive=True, group="customer-search", exit_on_error=False)
    async def search_customers(self, text: str) -> list[Any]:
        return list(await self.app.desk.search_customers(text, limit=20))  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._search:
            return
        if event.state is WorkerState.SUCCESS:
            self.show_hits(event.worker.result or [])
            self.last_query = self._searching_for
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            detail = getattr(error, "detail", None) or getattr(error, "title", None) or type(error).__name__
            self.say(f"! Search failed: {detail}")

    def show_hits(self, customers: list[Any]) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        self.hits = {c.customer_number: c for c in customers}
        for c in customers:
            flags = customer_flags(c)
            table.add_row(
                c.customer_number,
                _cut(c.company_name, 24),
                _cut(getattr(c, "company_phone", None) or "", 13),
                _cut(getattr(c, "company_email", None) or "", 14),
                " ".join(flags),
                key=c.customer_number,
            )
        query = self.query_one("#search", Input).value.strip()
        self.say("" if customers else f"No customer matches “{query}”.")
        self._show_detail()

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        customer = self.highlighted()
        self.query_one("#detail", Static).update(detail_line(customer) if customer else "")

    def highlighted(self) -> Any | None:
        table = self.query_one("#results", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.hits.get(str(row_key.value))

    def say(self, text: str) -> None:
        self.query_one("#message", Static).update(text)

    # --- opening --------------------------------------------------------------------
    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open_selected()

    @on(DataTable.RowSelected, "#results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_selected()

    def action_open_selected(self) -> None:
        customer = self.highlighted()
        if customer is None:
            self.say("Type to find a customer, then press Enter.")
            return
        refusal = self.app.start_order(customer)  # type: ignore[attr-defined]
        if refusal:
            self.say(f"! {refusal}")

    def action_focus_results(self) -> None:
        self.query_one("#results", DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()
