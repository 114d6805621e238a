"""Refund a payment in full or in part.

Pick the payment (only those with something left to refund are offered), the
amount (the full net by default), a reference and notes. The modal says what
the payment's net and the invoice's balance become before F9 sends it; an
amount over what is left is refused here, naming the field. It answers
``(invoice, message)`` once refunded, else None.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static
from textual.worker import Worker, WorkerState

from nymble_desk.sync.after_sales import balance_of, can_refund, money, refundable
from nymble_desk.tui.keymap import AFTER_MODAL_BINDINGS
from nymble_desk.tui.record_text import short_date
from nymble_desk.tui.screens.payment import FieldError, amount_text, not_done, read_amount
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.form_rows import form_row
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.worker_outcome import error_of, result_of


def payment_label(p: Any, currency: str) -> str:
    ref = f" {p.reference}" if p.reference else ""
    return (f"{short_date(p.payment_date)} {p.method or '-'}{ref} {money(p.amount, currency)} "
            f"(left {money(refundable(p), currency)})")


class RefundScreen(ModalScreen[tuple[Any, str] | None]):
    CSS_PATH = "refund.tcss"
    BINDINGS = AFTER_MODAL_BINDINGS
    AUTO_FOCUS = "#refund-amount"

    def __init__(self, invoice: Any, payment: Any | None = None) -> None:
        super().__init__()
        self.invoice = invoice
        self.currency = invoice.currency_code or "USD"
        self.choices = [p for p in invoice.payments if refundable(p) > 0]
        chosen = payment if payment is not None and payment in self.choices else None
        self.payment = chosen or (self.choices[0] if self.choices else None)
        self._send: Worker[Any] | None = None
        self._amount = Decimal(0)  # what was sent, for the message once it is done

    def compose(self) -> ComposeResult:
        inv = self.invoice
        with Vertical(id="refund-box"):
            yield Static(f"Refund a payment on {inv.invoice_number} ({inv.status}) · paid "
                         f"{money(inv.amount_paid, self.currency)}", id="refund-title", markup=False)
            yield form_row("Payment", Select(
                [(payment_label(p, self.currency), i) for i, p in enumerate(self.choices)],
                value=self.choices.index(self.payment) if self.payment is not None else Select.NULL,
                allow_blank=False, id="refund-payment", compact=True))
            left = refundable(self.payment) if self.payment is not None else Decimal(0)
            yield form_row("Amount", OrderedInput(amount_text(left, self.currency), id="refund-amount", compact=True))
            yield form_row("Reference", OrderedInput("", id="refund-reference", compact=True))
            yield form_row("Notes", OrderedInput("", id="refund-notes", compact=True))
            yield Static("", id="refund-preview", markup=False)
            yield Static("F9 refund · F7/Esc back", id="refund-keys", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.preview()

    def value(self, ident: str) -> str:
        return self.query_one(f"#{ident}", Input).value

    def read(self) -> Decimal:
        if self.payment is None:
            raise FieldError("Payment", "no payment on this invoice is left to refund")
        amount = read_amount(self.value("refund-amount"))
        verdict = can_refund(self.invoice, self.payment, amount)
        if not verdict:
            raise FieldError(verdict.field or "Amount", verdict.reason or "refused")
        return amount

    def preview(self) -> None:
        box = self.query_one("#refund-preview", Static)
        try:
            amount = self.read()
        except FieldError as bad:
            box.update(f"! {bad.field}: {bad}")
            return
        left = refundable(self.payment) - amount
        balance = balance_of(self.invoice) + amount
        kind = "in full" if left == 0 else "in part"
        method = getattr(self.payment, "method", None) or ""
        box.update(f"Will refund {money(amount, self.currency)} ({kind}) of the {method} "
                   f"payment; its net becomes {money(left, self.currency)} and the invoice balance "
                   f"{money(balance, self.currency)}.")

    @on(Select.Changed, "#refund-payment")
    def _payment_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and 0 <= event.value < len(self.choices):
            chosen = self.choices[event.value]
            if chosen is not self.payment:
                self.payment = chosen
                self.query_one("#refund-amount", Input).value = amount_text(refundable(chosen), self.currency)
        self.preview()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.preview()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self._send is not None and self._send.is_running:
            return
        try:
            amount = self.read()
        except FieldError as bad:
            self.query_one("#refund-preview", Static).update(f"! {bad.field}: {bad}")
            return
        self.query_one("#refund-preview", Static).update("Refunding…")
        self._amount = amount
        self._send = self.send(amount, self.value("refund-reference").strip(), self.value("refund-notes").strip())

    @work(exclusive=True, group="refund-send", exit_on_error=False)
    async def send(self, amount: Decimal, reference: str, notes: str) -> Any:
        return await self.app.after_sales.refund(  # type: ignore[attr-defined]
            self.invoice, self.payment, amount, reference=reference, notes=notes)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._send:
            return
        if event.state is WorkerState.SUCCESS:
            inv = result_of(event.worker)
            self.dismiss((inv, f"Refunded {money(self._amount, self.currency)} on {inv.invoice_number}: now "
                               f"{inv.status}, balance {money(inv.balance, self.currency)}."))
        elif event.state is WorkerState.ERROR:
            self.query_one("#refund-preview", Static).update(not_done("Not refunded.", error_of(event.worker)))

    def action_back(self) -> None:
        self.dismiss(None)
