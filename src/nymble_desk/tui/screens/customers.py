"""Customer lookup: one box over number, name, phone, email and PO; results as you type.

Enter opens the highlighted customer: an active one gets a draft (new or resumed)
and the cart; an inactive one is refused in plain words.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from nymble_desk.domain.money import format_money
from nymble_desk.errors import in_plain_words
from nymble_desk.tui.customer_text import customer_flags
from nymble_desk.tui.key_gate import Hold, KeyGate
from nymble_desk.tui.keymap import LOOKUP_BINDINGS
from nymble_desk.tui.one_frame import one_frame
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.hit_table import HitTable
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.desk_access import desk_of

#: A search only the API can answer (the index is filling, or not there) waits for this pause in the
#: typing: a request per key cost every keystroke a request, a parse and a redraw on the UI loop while
#: the index filled, and its answer was stale by the next key anyway.  A rep types a key every
#: 150-250 ms; at 150 ms most keys still sent a search (98 requests for 120 keys, each drawn as the
#: next key came), so the pause is one a rep makes when the word is typed.
API_PAUSE_S = 0.3

COLUMNS = (("Number", 10), ("Company", 24), ("Phone", 13), ("Email", 14), ("State", 10))


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
        self._api_timer: Timer | None = None  # an API search waiting for a pause in the typing
        self.last_query: str | None = None
        self._searching_for = ""
        self._said = ""
        self._open_when_found: Hold | None = None  # Enter came before the hits of the typed text

    def compose(self) -> ComposeResult:
        yield OrderedInput(
            value=self._initial_query,
            placeholder="Customer number, name, phone, email or PO",
            id="search",
        )
        yield HitTable(COLUMNS, whole=(0,), gives=1, id="results")  # a customer number is never cut
        yield Static("", id="detail")
        yield Static("", id="message")
        yield StatusLine()
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.start_search(self._initial_query)

    # --- searching --------------------------------------------------------------
    @on(Input.Changed, "#search")
    async def _changed(self, event: Input.Changed) -> None:
        async with one_frame(self):  # hits from the index are drawn with the typed character
            self.start_search(event.value)

    def start_search(self, text: str) -> None:
        """Answer from the local index at once when it can, so the hits are drawn in the same
        frame as the typed character; else search in a worker (the API, or a slow index query)."""
        self._searching_for = text.strip()
        hits = desk_of(self).search_now("customers", self._searching_for, 20)
        self._drop_pending_search()  # an older search's answer must not replace what comes now
        if hits is None:
            self._api_timer = self.set_timer(API_PAUSE_S, self._search_api)
            return
        self.show_hits(hits)
        self.last_query = self._searching_for
        if self._open_when_found is not None:
            self._opened_after_search(open_it=True)

    def _drop_pending_search(self) -> None:
        if self._api_timer is not None:
            self._api_timer.stop()
            self._api_timer = None
        old, self._search = self._search, None
        if old is not None:
            old.cancel()  # no longer self._search: its cancellation releases no Enter hold

    def _search_api(self) -> None:
        self._api_timer = None
        self._search = self.search_customers(self._searching_for)

    def on_unmount(self) -> None:
        self._opened_after_search(open_it=False)  # never keep keys for a screen that is gone

    @work(exclusive=True, group="customer-search", exit_on_error=False)
    async def search_customers(self, text: str) -> list[Any]:
        return list(await desk_of(self).search_customers(text, limit=20))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._search:
            return
        if event.state is WorkerState.SUCCESS:
            self.show_hits(event.worker.result or [])
            self.last_query = self._searching_for
            if self._open_when_found is not None:
                self._opened_after_search(open_it=True)
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            self.say(f"! Search failed: {in_plain_words(error)}")
            self._opened_after_search(open_it=False)
        elif event.state is WorkerState.CANCELLED:
            self._opened_after_search(open_it=False)

    def _searching(self) -> bool:
        """The hits on screen are not yet those of the typed text (a search waits or is on its way)."""
        return self._api_timer is not None or (self._search is not None and not self._search.is_finished)

    def _opened_after_search(self, *, open_it: bool) -> None:
        hold, self._open_when_found = self._open_when_found, None
        if hold is None:
            return
        if open_it:
            self.action_open_selected()
        gate = getattr(self.app, "key_gate", None)
        if isinstance(gate, KeyGate):
            gate.release(hold)  # the keys typed on go to the cart (or stay here when nothing opened)

    def show_hits(self, customers: list[Any]) -> None:
        self.hits = {c.customer_number: c for c in customers}
        self.query_one("#results", HitTable).set_rows([
            (c.customer_number, (c.customer_number, c.company_name or "", getattr(c, "company_phone", None) or "",
                                 getattr(c, "company_email", None) or "", " ".join(customer_flags(c))))
            for c in customers
        ])
        query = self.query_one("#search", Input).value.strip()
        self.say("" if customers else f"No customer matches “{query}”.")
        self._show_detail()

    @on(HitTable.Highlighted, "#results")
    def _highlighted(self, _event: HitTable.Highlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        customer = self.highlighted()
        # two lines tall in every layout (customers.tcss): a new text needs no layout pass,
        # which would cost a second frame after the one that shows the hits
        self.query_one("#detail", Static).update(detail_line(customer) if customer else "", layout=False)

    def highlighted(self) -> Any | None:
        key = self.query_one("#results", HitTable).highlighted_key
        return None if key is None else self.hits.get(key)

    def say(self, text: str) -> None:
        if text == self._said:  # most keystrokes leave it as it is: no refresh, no layout
            return
        message = self.query_one("#message", Static)
        width = message.content_size.width

        def one_line(said: str) -> bool:
            return 0 < cell_len(said) <= width

        # "No customer matches “…”" changes with each key typed: while it stays one line tall, it needs
        # no layout pass (which would lay the whole screen out again inside the keystroke's frame)
        same_height = one_line(text) and one_line(self._said)
        self._said = text
        message.update(text, layout=not same_height)

    # --- opening --------------------------------------------------------------------
    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open_selected()

    @on(HitTable.Selected, "#results")
    def _selected(self, event: HitTable.Selected) -> None:
        event.stop()
        self.action_open_selected()

    def action_open_selected(self) -> None:
        if self._searching():
            # Enter came before the hits of what was typed: open the customer those hits put first,
            # not the one highlighted from an older search; keys typed on wait for the cart
            gate = getattr(self.app, "key_gate", None)
            if self._open_when_found is None and isinstance(gate, KeyGate):
                self._open_when_found = gate.hold("lookup")
                self.say("... Finding the customer, then opening")
            return
        customer = self.highlighted()
        if customer is None:
            self.say("Type to find a customer, then press Enter.")
            return
        refusal = self.app.start_order(customer)  # type: ignore[attr-defined]
        if refusal:
            self.say(f"! {refusal}")

    def action_focus_results(self) -> None:
        self.query_one("#results", HitTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()
