"""The last look before an order is placed: customer, lines, total, ship-to, PO, payment.

A modal over the checkout; F9 (or y) answers True and the checkout places the order,
F7, n or Escape answers False and nothing is sent. Nothing is placed without it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from nymble_desk.tui.keymap import REVIEW_BINDINGS
from nymble_desk.tui.order_facts import OrderFacts
from nymble_desk.tui.widgets.fit_footer import FitFooter


class ReviewScreen(ModalScreen[bool]):
    CSS_PATH = "review.tcss"
    BINDINGS = REVIEW_BINDINGS

    def __init__(self, customer: str, facts: OrderFacts, *, payment: str, channel: str,
                 warning: str | None = None) -> None:
        super().__init__()
        self.customer, self.facts, self.payment, self.channel = customer, facts, payment, channel
        self.warning = warning

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
            yield Static("F9 or y  Place order     F7, n or Esc  Back", id="review-keys", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def action_place(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
