"""The order's own terms before it is placed: notes, ship via and cost, tax, rep discounts.

A modal over the checkout (its F8). Every field may stay blank. The discount is ``10%``
(Percentage) or ``25.00`` (Fixed) on the goods after line discounts; line discounts are
``SKU 10%, SKU 5.00``. F9 or Enter saves them in the draft (they survive a restart and
travel with the checkout, docs/order-terms.md); F7/Esc goes back and saves nothing. A bad
value is named by its field and nothing typed is lost. Answers True once saved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from nymble_desk.domain.money import format_money, quantize
from nymble_desk.domain.order_terms import (
    TermsError, discount_text, line_discounts_text, parse_amount, parse_discount, parse_line_discounts,
)
from nymble_desk.sync.desk import OrderTerms
from nymble_desk.tui.desk_access import AppDesk, desk_of
from nymble_desk.tui.keymap import AFTER_MODAL_BINDINGS
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.form_rows import form_row
from nymble_desk.tui.widgets.ordered_input import OrderedInput

if TYPE_CHECKING:
    from nymble_desk.drafts.models import Draft

FIELDS = (("Notes", "terms-notes"), ("Ship via", "terms-method"), ("Ship cost", "terms-shipping"),
          ("Tax", "terms-tax"), ("Discount", "terms-discount"), ("Line disc.", "terms-lines"))


def _amount(value: Decimal | None, currency: str) -> str:
    return "" if value is None else str(quantize(value, currency))


class OrderTermsScreen(ModalScreen[bool]):
    CSS_PATH = "order_terms.tcss"
    BINDINGS = AFTER_MODAL_BINDINGS
    AUTO_FOCUS = "#terms-notes"

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.currency = draft.currency or "USD"

    @property
    def desk(self) -> AppDesk:
        return desk_of(self)

    def compose(self) -> ComposeResult:
        terms, cur = self.draft.order_terms, self.currency
        values = {
            "terms-notes": self.draft.notes or "",
            "terms-method": terms.shipping_method or "",
            "terms-shipping": _amount(terms.shipping_cost, cur),
            "terms-tax": _amount(terms.tax, cur),
            "terms-discount": discount_text(terms.discount, cur).replace("$", "") if terms.discount else "",
            "terms-lines": line_discounts_text(terms.line_discounts, cur).replace("$", ""),
        }
        hints = {"terms-method": "e.g. UPS Ground", "terms-shipping": "0.00", "terms-tax": "0.00",
                 "terms-discount": "10% or 25.00", "terms-lines": "SKU 10%, SKU 5.00"}
        with Vertical(id="terms-box"):
            yield Static(f"ORDER TERMS · {self.draft.customer_number} {self.draft.customer_name}",
                         id="terms-title", markup=False)
            for label, ident in FIELDS:
                yield form_row(label, OrderedInput(values[ident], id=ident, compact=True,
                                                   placeholder=hints.get(ident, ""),
                                                   max_length=4000 if ident == "terms-notes" else 200))
            yield Static("", id="terms-preview", markup=False)
            yield Static("F9/Enter save · F7/Esc back", id="terms-keys", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.preview()

    def value(self, ident: str) -> str:
        return self.query_one(f"#{ident}", Input).value

    def read(self) -> OrderTerms:
        cur = self.currency
        return OrderTerms(
            shipping_method=self.value("terms-method").strip() or None,
            shipping_cost=parse_amount(self.value("terms-shipping"), "Ship cost", cur),
            tax=parse_amount(self.value("terms-tax"), "Tax", cur),
            discount=parse_discount(self.value("terms-discount"), "Discount", cur),
            line_discounts=parse_line_discounts(self.value("terms-lines"), [line.sku for line in self.draft.lines],
                                                cur),
        )

    def preview(self) -> None:
        box = self.query_one("#terms-preview", Static)
        try:
            terms = self.read()
        except TermsError as bad:
            box.update(f"! {bad}")
            return
        from dataclasses import replace

        total = replace(self.draft, order_terms=terms).totals().total
        box.update(f"Order total with these terms: {format_money(total, self.currency)}")

    @on(Input.Changed)
    def _changed(self, event: Any) -> None:
        self.preview()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        try:
            terms = self.read()
        except TermsError as bad:
            self.query_one("#terms-preview", Static).update(f"! {bad}")
            ident = dict(FIELDS).get(bad.field) or ("terms-lines" if bad.field == "Line discounts" else None)
            if ident:
                self.query_one(f"#{ident}", Input).focus()
            return
        notes = self.value("terms-notes").strip() or None
        if notes != (self.draft.notes or None):
            self.desk.set_notes(self.draft.id, notes)
        self.desk.set_order_terms(self.draft.id, terms)
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
