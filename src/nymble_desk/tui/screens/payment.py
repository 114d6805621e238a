"""Record an offline payment (check, wire, ACH, cash) on an invoice, with reference and date.

The modal says what will be recorded and what the balance becomes before F9
sends it; an amount the API would refuse (over the balance, zero) is refused
here with the field named, and an API refusal is shown by its field. Nothing
typed is lost. It answers ``(invoice, message)`` once recorded, else None.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static
from textual.worker import Worker, WorkerState

from nymble_desk.domain.money import parse_money, quantize
from nymble_desk.errors import in_plain_words
from nymble_desk.sync.after_sales import OFFLINE_METHODS, Refused, balance_of, can_pay, money
from nymble_desk.tui.keymap import AFTER_MODAL_BINDINGS
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.form_rows import form_row
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.worker_outcome import error_of, result_of


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def read_amount(text: str, field: str = "Amount") -> Decimal:
    try:
        value = parse_money(text.strip())
    except (ValueError, InvalidOperation):
        raise FieldError(field, f"{text.strip() or 'nothing'!r} is not an amount") from None
    return value


def amount_text(value: Decimal, currency: str) -> str:
    """An amount as a field holds it: the currency's minor units, no symbol ("500.00", never "500.0")."""
    return str(quantize(value, currency))


def read_date(text: str, field: str = "Date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FieldError(field, "write the date as YYYY-MM-DD") from None


def not_done(what: str, error: BaseException) -> str:
    """ "! Not recorded. Amount: ..." for a send that failed: a rule refused it (naming its field) or the API did."""
    prefix = f"{error.field}: " if isinstance(error, Refused) and error.field else ""
    return f"! {what} {prefix}{in_plain_words(error)}"


class PaymentScreen(ModalScreen[tuple[Any, str] | None]):
    CSS_PATH = "payment.tcss"
    BINDINGS = AFTER_MODAL_BINDINGS
    AUTO_FOCUS = "#pay-amount"

    def __init__(self, invoice: Any) -> None:
        super().__init__()
        self.invoice = invoice
        self.currency = invoice.currency_code or "USD"
        self._send: Worker[Any] | None = None
        self._amount = Decimal(0)  # what was sent, for the message once it is done

    def compose(self) -> ComposeResult:
        inv = self.invoice
        with Vertical(id="pay-box"):
            yield Static(f"Record a payment on {inv.invoice_number} ({inv.status}) · "
                         f"balance {money(balance_of(inv), self.currency)}", id="pay-title", markup=False)
            yield form_row("Amount", OrderedInput(amount_text(balance_of(inv), self.currency), id="pay-amount",
                                                  compact=True))
            yield form_row("Method", Select([(m, m) for m in OFFLINE_METHODS], value=OFFLINE_METHODS[0],
                                            allow_blank=False, id="pay-method", compact=True))
            yield form_row("Reference", OrderedInput("", placeholder="cheque no., bank ref.", id="pay-reference",
                                                     compact=True))
            yield form_row("Date", OrderedInput(date.today().isoformat(), placeholder="YYYY-MM-DD", id="pay-date",
                                                compact=True))
            yield form_row("Notes", OrderedInput("", id="pay-notes", compact=True))
            yield Static("", id="pay-preview", markup=False)
            yield Static("F9 record · F7/Esc back", id="pay-keys", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.preview()

    def value(self, ident: str) -> str:
        return self.query_one(f"#{ident}", Input).value

    def method(self) -> str:
        return str(self.query_one("#pay-method", Select).value)

    def read(self) -> tuple[Decimal, str, str, date, str]:
        amount = read_amount(self.value("pay-amount"))
        method = self.method()
        verdict = can_pay(self.invoice, amount, method)
        if not verdict:
            raise FieldError(verdict.field or "Amount", verdict.reason or "refused")
        return amount, method, self.value("pay-reference").strip(), read_date(self.value("pay-date")), \
            self.value("pay-notes").strip()

    def preview(self) -> None:
        box = self.query_one("#pay-preview", Static)
        try:
            amount, method, reference, _, _ = self.read()
        except FieldError as bad:
            box.update(f"! {bad.field}: {bad}")
            return
        after = balance_of(self.invoice) - amount
        becomes = "Paid" if after == 0 else "PartiallyPaid"
        ref = f" ref {reference}" if reference else ""
        box.update(f"Will record {money(amount, self.currency)} by {method}{ref}; the balance becomes "
                   f"{money(after, self.currency)} and the invoice {becomes}.")

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Any) -> None:
        self.preview()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self._send is not None and self._send.is_running:
            return
        try:
            amount, method, reference, when, notes = self.read()
        except FieldError as bad:
            self.query_one("#pay-preview", Static).update(f"! {bad.field}: {bad}")
            return
        self.query_one("#pay-preview", Static).update("Recording…")
        self._amount = amount
        self._send = self.send(amount, method, reference, when, notes)

    @work(exclusive=True, group="payment-send", exit_on_error=False)
    async def send(self, amount: Decimal, method: str, reference: str, when: date, notes: str) -> Any:
        return await self.app.after_sales.record_payment(  # type: ignore[attr-defined]
            self.invoice, amount, method, reference=reference, payment_date=when, notes=notes)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._send:
            return
        if event.state is WorkerState.SUCCESS:
            inv = result_of(event.worker)
            self.dismiss((inv, f"Recorded {money(self._amount, self.currency)} by {self.method()} on "
                               f"{inv.invoice_number}: now {inv.status}, balance {money(inv.balance, self.currency)}."))
        elif event.state is WorkerState.ERROR:
            self.query_one("#pay-preview", Static).update(not_done("Not recorded.", error_of(event.worker)))

    def action_back(self) -> None:
        self.dismiss(None)
