"""A small modal to type a new quantity for one cart line.

Returns the new quantity (0 removes the line) or None when the rep backs out.
A quantity that breaks the product's minimum or increment is refused in place,
with the nearest valid ones offered, and the typed text stays.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from nymble_desk.domain.pricing import QuantityRule, check_quantity
from nymble_desk.domain.quantity import QuantityError, parse_quantity
from nymble_desk.tui.keymap import QUANTITY_BINDINGS
from nymble_desk.tui.widgets.line_table import rule_text
from nymble_desk.tui.widgets.ordered_input import OrderedInput

#: what the quantity field lets through as typed; parse_quantity then says what is wrong, if anything
QUANTITY_CHARS = r"[0-9,_ ]*"


def refusal(sku: str, rule: QuantityRule, quantity: int, *, already: int = 0) -> str:
    """ "PART-A1: minimum 10, multiples of 10. Try 10 or 20" for a refused ``quantity``.

    With ``already`` units in the cart (an entry adds to its line), the offers are
    what to add so that the line's total is valid.
    """
    check = check_quantity(already + quantity, rule, sku=sku)
    parts = []
    if rule.minimum > 1:
        parts.append(f"minimum {rule.minimum}")
    if rule.increment > 1:
        parts.append(f"multiples of {rule.increment}")
    if not parts:
        parts.append("at least 1")
    offer = " or ".join(str(n - already) for n in check.nearest if n > already)
    text = f"{sku}: {', '.join(parts)}. Try {offer}" if offer else f"{sku}: {', '.join(parts)}"
    return text + (f" ({already} already in the cart)" if already else "")


class QuantityScreen(ModalScreen[int | None]):
    CSS_PATH = "quantity.tcss"
    BINDINGS = QUANTITY_BINDINGS

    def __init__(self, sku: str, name: str, quantity: int, minimum: int = 1, increment: int = 1) -> None:
        super().__init__()
        self.sku, self.product_name, self.quantity = sku, name, quantity
        self.rule = QuantityRule(minimum, increment)

    def compose(self) -> ComposeResult:
        with Vertical(id="qty-box"):
            yield Static(f"Quantity for {self.sku} {self.product_name}", id="qty-title")
            hint = rule_text(self.rule.minimum, self.rule.increment) or "any quantity"
            yield Static(f"Rule: {hint}. 0 removes the line. Enter saves, Esc goes back.", id="qty-hint")
            # digits and thousands separators only ("1,000" is a quantity too: type="integer" refused it)
            yield OrderedInput(str(self.quantity), id="qty-input", compact=True, restrict=QUANTITY_CHARS)
            yield Static("", id="qty-message")

    def on_mount(self) -> None:
        field = self.query_one("#qty-input", Input)
        field.focus()
        field.select_all()

    @on(Input.Submitted, "#qty-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        message = self.query_one("#qty-message", Static)
        try:
            quantity = parse_quantity(text, allow_zero=True)  # the entry line's rule: 1 to 99,999 (0 removes)
        except QuantityError as exc:
            message.update(f"! {exc.message}")
            return
        if quantity != 0 and not check_quantity(quantity, self.rule).ok:
            message.update(f"! {refusal(self.sku, self.rule, quantity)}")
            return
        self.dismiss(quantity)

    def action_cancel(self) -> None:
        self.dismiss(None)
