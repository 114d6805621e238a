"""One order in full: lines, money, discount, tax, shipping, addresses, PO, reps, type, channel, cart,
with its invoices and payments.

F6 changes the ship-to, F7 moves the order to another customer, F8 emails the
confirmation, F9 opens this order's invoices (pay, refund, void, cancel),
F11 (or ctrl+r) copies its lines into a new draft for the customer and F12 (or
ctrl+t) invoices part of it (chosen lines and quantities: a split shipment).
Each line shows how much of it is invoiced across all the order's invoices, and
a line under the invoices sums them up (the order's invoice summary).
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from nymble_desk.errors import in_plain_words
from nymble_desk.sync.after_sales import OrderBundle, balance_of, money, refundable
from nymble_desk.tui.customer_text import format_address
from nymble_desk.tui.keymap import ORDER_DETAIL_BINDINGS
from nymble_desk.tui.messages import OpenCart
from nymble_desk.tui.navigation import routes
from nymble_desk.tui.record_text import discount_text, short_date
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.fit_table import Col, FitTable
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.worker_outcome import result_of


def rep_text(rep: Any) -> str:
    if rep is None:
        return "-"
    name = getattr(rep, "full_name", None) or " ".join(
        p for p in (getattr(rep, "first_name", None), getattr(rep, "last_name", None)) if p)
    return f"{rep.rep_number} {name}".strip()


def header_text(order: Any) -> str:
    c = order.customer
    ship = order.shipping_details
    ship_to = (ship.shipping_address if ship else None) or (c.shipping_address if c else None)
    method = f" · {ship.method} {money(ship.total, order.currency_code)}" if ship and ship.method else ""
    taken = f" · taken by {rep_text(order.taken_by_sales_rep)}" if order.taken_by_sales_rep else ""
    return "\n".join([
        f"{order.order_number} · {order.order_status or '-'} · {short_date(order.order_date)} · "
        f"PO {order.po_number or '-'}",
        f"Customer {c.customer_number if c else '-'} {(c.company_name or '') if c else ''}".rstrip(),
        f"Rep {rep_text(order.primary_sales_rep)}{taken}",
        f"Type {order.order_type or '-'} · Channel {order.channel or '-'} · Terms {order.terms or '-'} · "
        f"Tier {order.price_tier or '-'} · {order.currency_code or 'USD'}",
        f"Cart {order.origination_cart_id or '-'}",
        f"Ship-to {format_address(ship_to)}{method}",
        f"Bill-to {format_address(c.billing_address if c else None)}",
    ])


def totals_text(order: Any) -> str:
    cur = order.currency_code
    ship = order.shipping_details.total if order.shipping_details else None
    return (f"Subtotal {money(order.subtotal, cur)}{discount_text(order, cur)} · Tax {money(order.tax, cur)} · "
            f"Shipping {money(ship, cur)} · Total {money(order.order_total, cur)}")


def invoiced_text(summary: Any, currency: str | None) -> str:
    """The order's invoice summary in a line: status, live invoices, invoiced, paid, balance."""
    if summary is None:
        return ""
    left = sum(x.remaining for x in summary.lines)
    return (f"Invoicing {summary.status} · {summary.invoice_count} live invoice(s) · "
            f"invoiced {money(summary.invoiced_total, currency)} · paid {money(summary.amount_paid, currency)} · "
            f"balance {money(summary.balance, currency)}" + (f" · {left:,} unit(s) left to invoice" if left else ""))


#: the codes and numbers whole; the product name, status, method and reference give way
LINE_COLS = (
    Col("sku", "SKU", "whole"),
    Col("name", "Product", "text"),
    Col("qty", "Qty", "number"),
    Col("inv", "Inv.", "number"),
    Col("price", "Price", "number"),
    Col("disc", "Disc.", "number"),
    Col("sub", "Subtotal", "number"),
)
INVOICE_COLS = (
    Col("inv", "Invoice", "whole"),
    Col("status", "Status", "text"),
    Col("total", "Total", "number"),
    Col("paid", "Paid", "number"),
    Col("balance", "Balance", "number"),
    Col("due", "Due", "whole"),
)
PAYMENT_COLS = (
    Col("inv", "Invoice", "whole"),
    Col("date", "Date", "whole"),
    Col("method", "Method", "text"),
    Col("ref", "Reference", "text"),
    Col("amount", "Amount", "number"),
    Col("net", "Net", "number"),
)


class OrderDetailScreen(Screen[None]):
    TITLE = "Order"
    CSS_PATH = "order_detail.tcss"
    BINDINGS = ORDER_DETAIL_BINDINGS
    AUTO_FOCUS = "#order-lines"

    def __init__(self, order_number: str) -> None:
        super().__init__()
        self.order_number = order_number
        self.bundle: OrderBundle | None = None
        self._load: Worker[Any] | None = None
        self._reorder: Worker[Any] | None = None
        self.done: str | None = None  # the last change's outcome, kept over the reload it causes

    @property
    def order(self) -> Any:
        return self.bundle.order if self.bundle else None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="order-body"):
            yield Static(f"Loading {self.order_number}…", id="order-header", markup=False)
            yield FitTable(LINE_COLS, id="order-lines", cursor_type="row")
            yield Static("", id="order-totals", markup=False)
            yield Static("Invoices", classes="section", markup=False)
            yield FitTable(INVOICE_COLS, id="order-invoices", cursor_type="row")
            yield Static("", id="order-invoiced", markup=False)
            yield Static("Payments", classes="section", markup=False)
            yield FitTable(PAYMENT_COLS, id="order-payments", cursor_type="row")
        yield Static("", id="order-message", markup=False)
        yield StatusLine()
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self.bundle is not None:
            self.reload()  # back from the invoices screen: payments may have changed

    def reload(self) -> None:
        self._load = self.load()

    @work(exclusive=True, group="order-detail", exit_on_error=False)
    async def load(self) -> OrderBundle:
        return await self.app.after_sales.order_bundle(self.order_number)  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker is self._load:
            if event.state is WorkerState.SUCCESS:
                self.show(result_of(worker))
            elif event.state is WorkerState.ERROR:
                self.say(f"! Could not load {self.order_number}: {in_plain_words(worker.error)}")
        elif worker is self._reorder:
            if event.state is WorkerState.SUCCESS:
                result = result_of(worker)
                skipped = f" Not copied: {'; '.join(result.skipped)}." if result.skipped else ""
                self.notify(f"Copied {len(result.added)} line(s) of {self.order_number} into the cart.{skipped}")
                self.post_message(OpenCart(result.draft.id))
            elif event.state is WorkerState.ERROR:
                self.say(f"! Reorder failed: {in_plain_words(worker.error)}")

    def show(self, bundle: OrderBundle) -> None:
        self.bundle = bundle
        order, cur = bundle.order, bundle.currency
        self.order_number = order.order_number
        self.query_one("#order-header", Static).update(header_text(order))
        summary = bundle.summary
        rows: list[tuple[str, dict[str, str]]] = []
        for i, item in enumerate(order.items):
            done = summary.line(item.sku) if summary is not None else None
            rows.append((f"{i}", {
                "sku": item.sku, "name": item.product_name or "", "qty": f"{item.quantity:,}",
                "inv": f"{done.invoiced:,}" if done is not None else "-", "price": money(item.price, cur),
                "disc": money(item.discount_amount or 0, cur), "sub": money(item.sub_total, cur),
            }))
        self.query_one("#order-lines", FitTable).show_rows(rows)
        self.query_one("#order-totals", Static).update(totals_text(order))
        self.query_one("#order-invoices", FitTable).show_rows([(inv.id, {
            "inv": inv.invoice_number or inv.id, "status": inv.status or "-",
            "total": money(inv.invoice_total, cur), "paid": money(inv.amount_paid, cur),
            "balance": money(balance_of(inv), cur), "due": short_date(inv.due_date),
        }) for inv in bundle.invoices] or [("-", {"inv": "(none)"})])
        self.query_one("#order-invoiced", Static).update(invoiced_text(summary, cur))
        rows = []
        for n, (inv, p) in enumerate(bundle.payments):
            net = money(p.net_amount, cur) if p.net_amount is not None else "-"
            if refundable(p) == 0 and not p.original_payment_id and p.amount > 0:
                net += " R"  # fully refunded
            rows.append((f"{n}", {
                "inv": inv.invoice_number or inv.id, "date": short_date(p.payment_date), "method": p.method or "-",
                "ref": p.reference or "-", "amount": money(p.amount, cur), "net": net,
            }))
        self.query_one("#order-payments", FitTable).show_rows(rows or [("-", {"inv": "(none)"})])
        done, self.done = self.done, None
        self.say(done or "F6 ship-to · F7 move · F8 email · F9 invoices · F11 reorder · F12 split")

    def say(self, text: str) -> None:
        self.query_one("#order-message", Static).update(text)

    # -- actions -------------------------------------------------------------------------------
    def _loaded(self) -> bool:
        if self.bundle is None:
            self.say("! The order is still loading.")
            return False
        return True

    def _after_edit(self, result: Any) -> None:
        if result:
            self.notify(str(result))
            self.done = str(result)
            self.say(self.done)
            self.reload()

    def action_ship_to(self) -> None:
        if self._loaded():
            from nymble_desk.tui.screens.order_edit import ShipToScreen

            self.app.push_screen(ShipToScreen(self.order), self._after_edit)

    def action_move_customer(self) -> None:
        if self._loaded():
            from nymble_desk.tui.screens.order_edit import MoveCustomerScreen

            self.app.push_screen(MoveCustomerScreen(self.order), self._after_edit)

    def action_email(self) -> None:
        if self._loaded():
            from nymble_desk.tui.screens.order_edit import EmailScreen

            self.app.push_screen(EmailScreen(self.order), self._after_edit)

    def action_invoices(self) -> None:
        if self._loaded():
            routes(self.app).invoices(order_number=self.order.order_number)

    def action_split_invoice(self) -> None:
        if self._loaded():
            from nymble_desk.tui.screens.split_invoice import SplitInvoiceScreen

            self.app.push_screen(SplitInvoiceScreen(self.order), self._after_split)

    def _after_split(self, result: tuple[Any, str] | None) -> None:
        if result:
            self._after_edit(result[1])

    def action_reorder(self) -> None:
        if not self._loaded():
            return
        from nymble_desk.tui.screens.confirm import ConfirmScreen

        order = self.order
        who = order.customer.customer_number if order.customer else "the customer"
        what = (f"Copies the {len(order.items)} line(s) of {order.order_number} into {who}'s cart "
                "(a new draft, or the one in progress) at today's prices. The order itself is not changed.")

        def go(yes: bool | None) -> None:
            if yes:
                self._reorder = self.run_reorder()

        self.app.push_screen(ConfirmScreen(f"Reorder {order.order_number}?", what, yes="Reorder"), go)

    @work(exclusive=True, group="order-reorder", exit_on_error=False)
    async def run_reorder(self) -> Any:
        return await self.app.after_sales.reorder(self.order)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()
