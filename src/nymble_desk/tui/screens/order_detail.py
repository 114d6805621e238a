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
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from nymble_desk.sync.after_sales import OrderBundle, balance_of, money, refundable
from nymble_desk.tui.keymap import ORDER_DETAIL_BINDINGS
from nymble_desk.tui.messages import OpenCart
from nymble_desk.tui.screens.orders import short_date
from nymble_desk.tui.widgets.customer_panel import format_address
from nymble_desk.tui.widgets.fit_footer import FitFooter
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


def discount_text(owner: Any, currency: str | None) -> str:
    """``" · Discount SPRING Spring promotion (7.5%) -$56.91"`` for an order or invoice; "" when nothing is off.

    The amount is everything deducted (line and order-level discounts); the label is the order-level
    discount's code, description and rate, when one was given."""
    amount = getattr(owner, "discount_amount", None)
    if not amount:
        return ""
    given = getattr(owner, "discount", None)
    label = given.label(currency) if given is not None else ""
    return f" · Discount {label + ' ' if label else ''}-{money(amount, currency)}"


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
            lines: DataTable[str] = DataTable(id="order-lines", cursor_type="row")
            for label, key, width in (("SKU", "sku", 13), ("Product", "name", 12), ("Qty", "qty", 6),
                                      ("Inv.", "inv", 6), ("Price", "price", 10), ("Disc.", "disc", 8),
                                      ("Subtotal", "sub", 11)):
                lines.add_column(label, key=key, width=width)
            yield lines
            yield Static("", id="order-totals", markup=False)
            yield Static("Invoices", classes="section", markup=False)
            invoices: DataTable[str] = DataTable(id="order-invoices", cursor_type="row")
            for label, key, width in (("Invoice", "inv", 11), ("Status", "status", 13), ("Total", "total", 11),
                                      ("Paid", "paid", 11), ("Balance", "balance", 11), ("Due", "due", 10)):
                invoices.add_column(label, key=key, width=width)
            yield invoices
            yield Static("", id="order-invoiced", markup=False)
            yield Static("Payments", classes="section", markup=False)
            payments: DataTable[str] = DataTable(id="order-payments", cursor_type="row")
            for label, key, width in (("Invoice", "inv", 11), ("Date", "date", 10), ("Method", "method", 10),
                                      ("Reference", "ref", 12), ("Amount", "amount", 11), ("Net", "net", 11)):
                payments.add_column(label, key=key, width=width)
            yield payments
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
                self.say(f"! Could not load {self.order_number}: {_plain(worker.error)}")
        elif worker is self._reorder:
            if event.state is WorkerState.SUCCESS:
                result = result_of(worker)
                skipped = f" Not copied: {'; '.join(result.skipped)}." if result.skipped else ""
                self.notify(f"Copied {len(result.added)} line(s) of {self.order_number} into the cart.{skipped}")
                self.post_message(OpenCart(result.draft.id))
            elif event.state is WorkerState.ERROR:
                self.say(f"! Reorder failed: {_plain(worker.error)}")

    def show(self, bundle: OrderBundle) -> None:
        self.bundle = bundle
        order, cur = bundle.order, bundle.currency
        self.order_number = order.order_number
        self.query_one("#order-header", Static).update(header_text(order))
        lines = self.query_one("#order-lines", DataTable)
        lines.clear()
        summary = bundle.summary
        for i, item in enumerate(order.items):
            done = summary.line(item.sku) if summary is not None else None
            lines.add_row(item.sku, item.product_name or "", f"{item.quantity:,}",
                          f"{done.invoiced:,}" if done is not None else "-", money(item.price, cur),
                          money(item.discount_amount or 0, cur), money(item.sub_total, cur), key=f"{i}")
        self.query_one("#order-totals", Static).update(totals_text(order))
        invoices = self.query_one("#order-invoices", DataTable)
        invoices.clear()
        for inv in bundle.invoices:
            invoices.add_row(inv.invoice_number or inv.id, inv.status, money(inv.invoice_total, cur),
                             money(inv.amount_paid, cur), money(balance_of(inv), cur), short_date(inv.due_date),
                             key=inv.id)
        if not bundle.invoices:
            invoices.add_row("(none)", "", "", "", "", "", key="-")
        self.query_one("#order-invoiced", Static).update(invoiced_text(summary, cur))
        payments = self.query_one("#order-payments", DataTable)
        payments.clear()
        for n, (inv, p) in enumerate(bundle.payments):
            net = money(p.net_amount, cur) if p.net_amount is not None else "-"
            if refundable(p) == 0 and not p.original_payment_id and p.amount > 0:
                net += " R"  # fully refunded
            payments.add_row(inv.invoice_number or inv.id, short_date(p.payment_date), p.method or "-",
                             (p.reference or "-")[:12], money(p.amount, cur), net, key=f"{n}")
        if not bundle.payments:
            payments.add_row("(none)", "", "", "", "", "", key="-")
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
            from nymble_desk.tui.screens.invoices import InvoicesScreen

            self.app.push_screen(InvoicesScreen(order_number=self.order.order_number))

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


def _plain(error: BaseException | None) -> str:
    return getattr(error, "message", None) or str(error) or type(error).__name__
