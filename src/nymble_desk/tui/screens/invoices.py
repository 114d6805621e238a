"""Invoices per customer or per order, with status, amounts due and paid, and their payments.

F6 records an offline payment, F7 refunds a payment, F8 voids and F9 cancels
the highlighted invoice. Each action is checked against the lifecycle rules
first: a refusal is shown with its reason and nothing is sent. Void and cancel
ask for a confirmation that says what will happen. After a payment or refund
the customer's balance line (and any customer panel below) is reloaded. An
invoice with a discount shows its totals, discount included, under the table.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static
from textual.worker import Worker, WorkerState

from nymble_desk.errors import in_plain_words
from nymble_desk.sync.after_sales import (
    Verdict,
    balance_of,
    can_cancel,
    can_issue,
    can_pay,
    can_refund,
    can_void,
    money,
)
from nymble_desk.tui.keymap import INVOICES_BINDINGS
from nymble_desk.tui.record_text import clip, discount_text, short_date
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.fit_table import Col, FitTable
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.desk_access import desk_of
from nymble_desk.tui.worker_outcome import result_of

PAGE_SIZE = 50


#: numbers (and the invoice, order and customer numbers) whole; the status, method and reference give way
INVOICE_COLS = (
    Col("inv", "Invoice", "whole"),
    Col("order", "Order", "whole"),
    Col("cust", "Customer", "whole"),
    Col("status", "Status", "text"),
    Col("total", "Total", "number"),
    Col("paid", "Paid", "number"),
    Col("balance", "Balance", "number"),
)
PAYMENT_COLS = (
    Col("date", "Date", "whole"),
    Col("method", "Method", "text"),
    Col("ref", "Reference", "text"),
    Col("amount", "Amount", "number"),
    Col("refunded", "Refunded", "number"),
    Col("net", "Net", "number"),
)


class InvoicesScreen(Screen[None]):
    TITLE = "Invoices"
    CSS_PATH = "invoices.tcss"
    BINDINGS = INVOICES_BINDINGS
    AUTO_FOCUS = "#invoices"

    def __init__(self, customer: str | None = None, order_number: str | None = None) -> None:
        super().__init__()
        self.customer = customer or ""
        self.order_number = order_number or ""
        self.invoices: dict[str, Any] = {}
        self._load: Worker[Any] | None = None
        self._summary: Worker[Any] | None = None
        self._act: Worker[Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Invoices", id="invoices-title", markup=False)
        with Horizontal(classes="filters"):
            yield Label("Cust", classes="filter-label")
            yield OrderedInput(self.customer, placeholder="CUST-…", id="i-customer", compact=True)
            yield Label("Order", classes="filter-label")
            yield OrderedInput(self.order_number, placeholder="ORD-…", id="i-order", compact=True)
            yield Label("Status", classes="filter-label")
            yield OrderedInput("", placeholder="any", id="i-status", compact=True)
        yield Static("", id="customer-balance", markup=False)
        yield FitTable(INVOICE_COLS, id="invoices", cursor_type="row", zebra_stripes=True)
        # the highlighted invoice's totals, shown only when a discount was taken off it
        yield Static("", id="invoice-discount", markup=False)
        yield Static("Payments of the highlighted invoice", classes="section", markup=False)
        yield FitTable(PAYMENT_COLS, id="payments", cursor_type="row")
        yield Static("", id="invoices-message", markup=False)
        yield StatusLine()
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.reload()

    # -- loading -------------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        self.customer = self.query_one("#i-customer", Input).value.strip().upper()
        self.order_number = self.query_one("#i-order", Input).value.strip()
        status = self.query_one("#i-status", Input).value.strip()
        self._keep = keep
        self._load = self.load(self.customer, self.order_number, status)
        if self.customer:
            self._summary = self.load_summary(self.customer)
        else:
            self.query_one("#customer-balance", Static).update("")

    @work(exclusive=True, group="invoices-load", exit_on_error=False)
    async def load(self, customer: str, order_number: str, status: str) -> Any:
        return await self.app.after_sales.search_invoices(  # type: ignore[attr-defined]
            customer=customer or None, order_number=order_number or None, status=status or None,
            page_size=PAGE_SIZE)

    @work(exclusive=True, group="invoices-customer", exit_on_error=False)
    async def load_summary(self, customer: str) -> Any:
        return await desk_of(self).customer_summary(customer, max_age=0)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker is self._load:
            if event.state is WorkerState.SUCCESS:
                self.show(worker.result)
            elif event.state is WorkerState.ERROR:
                self.say(f"! Could not load invoices: {in_plain_words(worker.error)}")
        elif worker is self._summary:
            if event.state is WorkerState.SUCCESS:
                self.show_balance(worker.result)
            elif event.state is WorkerState.ERROR:
                self.query_one("#customer-balance", Static).update(
                    f"! Customer {self.customer}: {in_plain_words(worker.error)}")
        elif worker is self._act:
            if event.state is WorkerState.SUCCESS:
                invoice, done = result_of(worker)
                self.after_change(invoice, done)
            elif event.state is WorkerState.ERROR:
                self.say(f"! {in_plain_words(worker.error)}")

    def show(self, page: Any) -> None:
        table = self.query_one("#invoices", FitTable)
        current = self.selected()
        keep, self._keep = getattr(self, "_keep", None) or (current.id if current else None), None
        self.invoices = {inv.id: inv for inv in page.items}
        table.show_rows([(inv.id, {
            "inv": inv.invoice_number or inv.id, "order": inv.order_number or "-",
            "cust": inv.customer.customer_number if inv.customer else (inv.customer_number or "-"),
            "status": inv.status or "-", "total": money(inv.invoice_total, inv.currency_code),
            "paid": money(inv.amount_paid, inv.currency_code), "balance": money(balance_of(inv), inv.currency_code),
        }) for inv in page.items])
        if keep in self.invoices:
            table.move_cursor(row=table.get_row_index(keep))
        scope = " · ".join(p for p in (self.customer, self.order_number) if p) or "all customers"
        self.query_one("#invoices-title", Static).update(f"Invoices · {scope} · {page.total} found")
        self.show_payments()
        if not page.items:
            self.say("No invoices match.")
        else:
            self.say("F6 pay · F7 refund · F8 void · F9 cancel · F11 issue · F12 complete · Enter in a filter searches")

    def show_balance(self, summary: Any) -> None:
        c = summary.customer
        cur = c.currency_code or "USD"
        due = sum((i.balance or 0 for i in summary.open_invoices), start=0)
        self.query_one("#customer-balance", Static).update(
            f"{c.customer_number} {clip(c.company_name, 26)} · Balance {money(c.balance, cur)} · "
            f"Open invoices {len(summary.open_invoices)}" + (f" ({money(due, cur)} due)" if due != c.balance else ""))

    def show_discount(self, inv: Any | None) -> None:
        line = self.query_one("#invoice-discount", Static)
        off = discount_text(inv, inv.currency_code) if inv is not None else ""
        if inv is not None and off:
            cur = inv.currency_code
            line.update(f"{inv.invoice_number or inv.id} · Subtotal {money(inv.subtotal, cur)}{off} · "
                        f"Tax {money(inv.tax, cur)} · Shipping {money(inv.shipping, cur)} · "
                        f"Total {money(inv.invoice_total, cur)}")
        else:
            line.update("")
        line.display = bool(off)

    def show_payments(self) -> None:
        table = self.query_one("#payments", FitTable)
        inv = self.selected()
        self.show_discount(inv)
        if inv is None:
            table.show_rows([])
            return
        cur = inv.currency_code
        rows: list[tuple[str, dict[str, str]]] = []
        for n, p in enumerate(inv.payments):
            kind = "refund" if p.original_payment_id else (p.method or "-")
            if p.is_pending:
                kind = f"PEND {kind}"  # not paid until it completes
            rows.append((str(n), {
                "date": short_date(p.payment_date), "method": kind, "ref": p.reference or "-",
                "amount": money(p.amount, cur),
                "refunded": money(p.refunded_amount or 0, cur) if not p.original_payment_id else "",
                "net": money(p.net_amount, cur) if p.net_amount is not None else "-",
            }))
        table.show_rows(rows or [("-", {"date": "-", "method": "none"})])

    def selected(self) -> Any | None:
        table = self.query_one("#invoices", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.invoices.get(str(row_key.value))

    def selected_payment(self) -> Any | None:
        inv = self.selected()
        table = self.query_one("#payments", DataTable)
        if inv is None or not inv.payments or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        try:
            return inv.payments[int(str(row_key.value))]
        except (ValueError, IndexError):
            return None

    def say(self, text: str) -> None:
        self.query_one("#invoices-message", Static).update(text)

    # -- after a change ---------------------------------------------------------------------------
    def after_change(self, invoice: Any, done: str) -> None:
        self.notify(done)
        self.say(done)
        self.reload(keep=invoice.id)
        number = invoice.customer.customer_number if invoice.customer else invoice.customer_number
        self.refresh_customer_panels(number)

    def refresh_customer_panels(self, customer_number: str | None) -> None:
        """Reload every customer panel of that customer on the stack (the cart's, say)."""
        from nymble_desk.tui.widgets.customer_panel import CustomerPanel

        for screen in self.app.screen_stack:
            for panel in screen.query(CustomerPanel):
                if customer_number is None or panel.customer_number == customer_number:
                    panel.refresh_summary()

    def _modal_done(self, result: Any) -> None:
        if result is not None:
            invoice, done = result
            self.after_change(invoice, done)

    # -- events and actions -------------------------------------------------------------------------
    @on(Input.Submitted, ".filters Input")
    def _filter(self, event: Input.Submitted) -> None:
        event.stop()
        self.reload()
        self.query_one("#invoices", DataTable).focus()

    @on(DataTable.RowHighlighted, "#invoices")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_payments()

    def refuse(self, verdict: Verdict, what: str) -> bool:
        """Show why the rules refuse; True when refused."""
        if verdict.ok:
            return False
        text = f"! Cannot {what}: {verdict.reason}"
        self.say(text)
        self.notify(text, severity="warning")
        return True

    def _target(self) -> Any | None:
        inv = self.selected()
        if inv is None:
            self.say("! No invoice is highlighted.")
        return inv

    def action_pay(self) -> None:
        inv = self._target()
        if inv is None or self.refuse(can_pay(inv), f"record a payment on {inv.invoice_number}"):
            return
        from nymble_desk.tui.screens.payment import PaymentScreen

        self.app.push_screen(PaymentScreen(inv), self._modal_done)

    def action_refund(self) -> None:
        inv = self._target()
        if inv is None or self.refuse(can_refund(inv), f"refund on {inv.invoice_number}"):
            return
        from nymble_desk.tui.screens.refund import RefundScreen

        self.app.push_screen(RefundScreen(inv, self.selected_payment()), self._modal_done)

    def action_void(self) -> None:
        inv = self._target()
        if inv is None or self.refuse(can_void(inv), f"void {inv.invoice_number}"):
            return
        what = (f"Voids {inv.invoice_number} ({inv.status}, {money(inv.invoice_total, inv.currency_code)}): "
                "it is removed from accounts receivable as if it never existed. This cannot be undone.")
        self._confirm(inv, "void", f"Void {inv.invoice_number}?", what, "Void")

    def action_cancel_invoice(self) -> None:
        inv = self._target()
        if inv is None or self.refuse(can_cancel(inv), f"cancel {inv.invoice_number}"):
            return
        paid = " Its payments and refunds stay recorded." if inv.payments else ""
        what = (f"Cancels {inv.invoice_number} ({inv.status}): it becomes inactive but stays visible in "
                f"reporting for the audit trail.{paid} This cannot be undone.")
        self._confirm(inv, "cancel", f"Cancel {inv.invoice_number}?", what, "Cancel invoice")

    def action_issue(self) -> None:
        inv = self._target()
        if inv is None or self.refuse(can_issue(inv), f"issue {inv.invoice_number}"):
            return
        what = (f"Issues {inv.invoice_number} ({money(inv.invoice_total, inv.currency_code)}) to the customer: "
                "payment is expected from now on and its discount is fixed.")
        self._confirm(inv, "issue", f"Issue {inv.invoice_number}?", what, "Issue")

    def action_complete_payment(self) -> None:
        """The highlighted payment (else the invoice's first) that is Pending completes: now it counts as paid."""
        inv = self._target()
        if inv is None:
            return
        chosen = self.selected_payment()
        pending = chosen if chosen is not None and chosen.is_pending else \
            next((p for p in inv.payments if p.is_pending), None)
        if pending is None:
            self.refuse(Verdict(False, f"{inv.invoice_number} has no pending payment.", "Payment"),
                        f"complete a payment on {inv.invoice_number}")
            return
        self.say(f"Completing the {money(pending.amount, inv.currency_code)} payment on {inv.invoice_number}…")
        self._act = self.complete(inv, pending)

    @work(exclusive=True, group="invoice-action", exit_on_error=False)
    async def complete(self, inv: Any, payment: Any) -> tuple[Any, str]:
        updated = await self.app.after_sales.complete_payment(inv, payment)  # type: ignore[attr-defined]
        return updated, (f"{money(payment.amount, inv.currency_code)} on {updated.invoice_number} completed: now "
                         f"{updated.status}, balance {money(balance_of(updated), inv.currency_code)}.")

    def _confirm(self, inv: Any, action: str, title: str, what: str, yes: str) -> None:
        from nymble_desk.tui.screens.confirm import ConfirmScreen

        def go(yes_: bool | None) -> None:
            if yes_:
                self.say(f"Sending {action} of {inv.invoice_number}…")
                self._act = self.transition(inv, action)

        self.app.push_screen(ConfirmScreen(title, what, yes=yes), go)

    @work(exclusive=True, group="invoice-action", exit_on_error=False)
    async def transition(self, inv: Any, action: str) -> tuple[Any, str]:
        service = self.app.after_sales  # type: ignore[attr-defined]
        act = {"void": service.void, "cancel": service.cancel, "issue": service.issue}[action]
        updated = await act(inv)
        return updated, f"{updated.invoice_number} is now {updated.status}."

    def action_focus_results(self) -> None:
        self.query_one("#invoices", DataTable).focus()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.query_one("#invoices", DataTable).focus()
