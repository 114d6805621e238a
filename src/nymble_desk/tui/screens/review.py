"""The last look before an order is placed: customer, lines, total, ship-to, PO, payment.

A modal over the checkout; F9 (or y) answers True and the checkout places the order,
F7, n or Escape answers False and nothing is sent. Nothing is placed without it.

On terms, an order over the customer's available credit (or a customer on hold) shows the
warning naming the amount over, and a Reason field: F9 (or Enter there) places it only once a
reason is typed; the reason goes into the order's notes (``credit_note``).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from nymble_desk.domain.credit import CreditWarning
from nymble_desk.tui.keymap import REVIEW_BINDINGS
from nymble_desk.tui.order_facts import OrderFacts
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.form_rows import form_row
from nymble_desk.tui.widgets.ordered_input import OrderedInput


class ReviewScreen(ModalScreen[bool]):
    CSS_PATH = "review.tcss"
    BINDINGS = REVIEW_BINDINGS

    def __init__(self, customer: str, facts: OrderFacts, *, payment: str, channel: str,
                 warning: str | None = None, credit: CreditWarning | None = None) -> None:
        super().__init__()
        self.customer, self.facts, self.payment, self.channel = customer, facts, payment, channel
        self.warning = warning
        self.credit = credit
        #: the line for the order's notes once a reason is typed (credit warnings only)
        self.credit_note: str | None = None

    def compose(self) -> ComposeResult:
        rows = [
            ("Customer", self.customer),
            *self.facts.rows(),
            ("Payment", f"{self.payment} · channel {self.channel}"),
        ]
        with Vertical(id="review-box"):
            yield Static("PLACE THIS ORDER?", id="review-title")
            with Grid(id="review-facts"):
                for label, value in rows:
                    yield Static(label, classes="review-label", markup=False)
                    yield Static(value, id=f"review-{label.lower().replace(' ', '-')}", classes="review-value",
                                 markup=False)
            if self.warning:
                yield Static(self.warning, id="review-warning", markup=False)
            if self.credit is not None:
                yield Static(f"! CREDIT: {self.credit.message}", id="review-credit", markup=False)
                yield form_row("Reason", OrderedInput(id="review-reason", compact=True, max_length=500,
                                                      placeholder="why it may go over (in the notes)"))
            keys = "F9 or Enter  Place order     F7 or Esc  Back" if self.credit is not None else \
                "F9 or y  Place order     F7, n or Esc  Back"  # y and n type into the reason
            yield Static(keys, id="review-keys", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        if self.credit is not None:
            self.query_one("#review-reason", Input).focus()

    @on(Input.Submitted, "#review-reason")
    def _reason_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_place()

    def action_place(self) -> None:
        if self.credit is not None:
            reason = self.query_one("#review-reason", Input).value.strip()
            if not reason:
                self.query_one("#review-credit", Static).update(
                    f"! CREDIT: {self.credit.message}. Reason: type why it may go over, then F9")
                self.query_one("#review-reason", Input).focus()
                return
            self.credit_note = self.credit.note(reason)
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
