"""Invoice part of an order: chosen lines and quantities (a split shipment), from the order detail.

One row per order line with something left to invoice: the SKU, what was ordered, what is
invoiced already (across every live invoice of the order) and a quantity field, empty
(nothing of that line) until the rep types a number. F6 fills every field with what is
left; Tab moves between fields; Enter or F9 sends; F7/Esc goes back and sends nothing.
The invoice is Issued (payments expected) unless the rep picks Draft. An invoice-level
discount may be typed (``10%`` or ``25.00``, with an optional ``CODE: description``).
A quantity over what is left, or not a whole number, is refused naming the SKU (a bad
discount naming Discount), and nothing typed is lost.
It answers ``(invoice, message)`` once created, else None.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static
from textual.worker import Worker, WorkerState

from nymble_desk.sync.after_sales import Refused, can_invoice, money, read_discount
from nymble_desk.tui.keymap import SPLIT_INVOICE_BINDINGS
from nymble_desk.tui.screens.payment import FieldError, not_done
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.fit_table import Col, plan_columns
from nymble_desk.tui.widgets.form_rows import form_row
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.worker_outcome import error_of, result_of

if TYPE_CHECKING:
    from nymble_desk.sync.records import Discount

STATUSES = ("Issued", "Draft")


def left_to_invoice(order: Any) -> list[tuple[str, str, int, int, int]]:
    """``(sku, name, ordered, invoiced, left)`` for each line with something left, in order."""
    summary = getattr(order, "invoice_summary", None)
    if summary is not None:
        return [(x.sku, x.product_name or "", x.ordered, x.invoiced, x.remaining) for x in summary.lines
                if x.remaining > 0]
    seen: dict[str, tuple[str, str, int, int, int]] = {}
    for item in order.items:  # a server without the summary: nothing is known to be invoiced
        sku, name, ordered, _, _ = seen.get(item.sku, (item.sku, item.product_name or "", 0, 0, 0))
        seen[item.sku] = (sku, name, ordered + item.quantity, 0, ordered + item.quantity)
    return list(seen.values())


def read_quantity(text: str, sku: str, left: int) -> int:
    """A typed quantity: blank is 0, thousands separators allowed, at most ``left``."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return 0
    if not cleaned.isdigit() or len(cleaned) > 9:
        raise FieldError(sku, f"{text.strip()!r} is not a whole quantity")
    quantity = int(cleaned)
    if quantity > left:
        raise FieldError(sku, f"at most {left:,} left to invoice")
    return quantity


#: the lines' columns: the SKU and the three quantities, always whole (see :func:`plan_columns`)
SPLIT_COLS = (Col("sku", "SKU", "whole"), Col("ordered", "Ordered", "number"),
              Col("invoiced", "Invoiced", "number"), Col("left", "Left", "number"))
LABEL_MIN = 42  # the form's label column (split_invoice.tcss)


def line_labels(lines: list[tuple[str, str, int, int, int]]) -> tuple[str, list[str]]:
    """The head and one label per line, the columns sized to their widest value (one blank between)."""
    rows = [{"sku": sku, "ordered": f"{o:,}", "invoiced": f"{i:,}", "left": f"{left:,}"}
            for sku, _name, o, i, left in lines]
    widths = plan_columns(SPLIT_COLS, rows, room=10_000, gap=2)

    def line(cells: dict[str, str]) -> str:
        return "  ".join(cells[c.key].rjust(widths[c.key]) if c.right else cells[c.key].ljust(widths[c.key])
                        for c in SPLIT_COLS)

    return line({c.key: c.label for c in SPLIT_COLS}), [line(r) for r in rows]


def label_width(labels: list[str]) -> int:
    """The label column: the widest line's label and two blanks, at least the form's ``LABEL_MIN``."""
    return max([LABEL_MIN] + [cell_len(label) + 2 for label in labels])


def field_id(index: int) -> str:
    return f"split-q{index}"


class SplitInvoiceScreen(ModalScreen[tuple[Any, str] | None]):
    CSS_PATH = "split_invoice.tcss"
    BINDINGS = SPLIT_INVOICE_BINDINGS
    AUTO_FOCUS = "#split-q0"

    def __init__(self, order: Any) -> None:
        super().__init__()
        self.order = order
        self.currency = order.currency_code or "USD"
        self.lines = left_to_invoice(order)
        self.prices: dict[str, Decimal] = {}
        for item in order.items:
            self.prices.setdefault(item.sku, Decimal(str(item.price)))
        self._send: Worker[Any] | None = None

    def compose(self) -> ComposeResult:
        order = self.order
        with Vertical(id="split-box"):
            yield Static(f"Invoice part of {order.order_number} · {len(self.lines)} line(s) left to invoice",
                         id="split-title", markup=False)
            head, labels = line_labels(self.lines)
            yield Static(head.ljust(label_width(labels)) + "Quantity now", id="split-head", markup=False)
            with VerticalScroll(id="split-lines"):
                rows = zip(labels, self.lines, strict=True)
                for n, (label, (_sku, _name, _ordered, _invoiced, left)) in enumerate(rows):
                    yield form_row(label, OrderedInput("", placeholder=f"0-{left:,}", id=field_id(n), compact=True))
            yield form_row("Discount (10% or 25.00)", OrderedInput("", placeholder="none", id="split-discount",
                                                                 compact=True))
            yield form_row("Discount label", OrderedInput("", placeholder="CODE: description", id="split-label",
                                                          compact=True))
            yield form_row("Status", Select([(s, s) for s in STATUSES], value=STATUSES[0], allow_blank=False,
                                            id="split-status", compact=True))
            yield Static("", id="split-preview", markup=False)
            yield Static("F9 invoice · F6 all left · Tab next · F7/Esc back", id="split-keys", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        # every label as wide as the widest line's (SKU and quantities whole), at least the form's 42
        width = label_width(line_labels(self.lines)[1])
        for label in self.query(".field-label"):
            label.styles.width = width
        self.preview()

    def status(self) -> str:
        return str(self.query_one("#split-status", Select).value)

    def discount(self) -> Discount | None:
        try:
            return read_discount(self.query_one("#split-discount", Input).value,
                                 self.query_one("#split-label", Input).value)
        except Refused as bad:
            raise FieldError(bad.field or "Discount", bad.reason) from None

    def read(self) -> dict[str, int]:
        quantities: dict[str, int] = {}
        for n, (sku, _name, _ordered, _invoiced, left) in enumerate(self.lines):
            quantities[sku] = read_quantity(self.query_one(f"#{field_id(n)}", Input).value, sku, left)
        verdict = can_invoice(self.order, quantities)
        if not verdict:
            raise FieldError(verdict.field or "Quantity", verdict.reason or "refused")
        return quantities

    def preview(self) -> None:
        box = self.query_one("#split-preview", Static)
        if not self.lines:
            box.update(f"Everything on {self.order.order_number} is invoiced already; F7 goes back.")
            return
        try:
            quantities = self.read()
            discount = self.discount()
        except FieldError as bad:
            box.update(f"! {bad.field}: {bad}")
            return
        off = f", less {discount.label(self.currency)}" if discount is not None else ""
        chosen = {sku: q for sku, q in quantities.items() if q}
        units = sum(chosen.values())
        subtotal = sum((self.prices.get(sku, Decimal(0)) * q for sku, q in chosen.items()), Decimal(0))
        box.update(
            f"Will invoice {len(chosen)} line(s), {units:,} unit(s), subtotal {money(subtotal, self.currency)}{off} "
            f"(before the order's discount, tax and shipping) as {self.status()}."
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Any) -> None:
        self.preview()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_fill_left(self) -> None:
        for n, (_sku, _name, _ordered, _invoiced, left) in enumerate(self.lines):
            self.query_one(f"#{field_id(n)}", Input).value = str(left)
        self.preview()

    def action_submit(self) -> None:
        if self._send is not None and self._send.is_running:
            return
        try:
            quantities = self.read()
            discount = self.discount()
        except FieldError as bad:
            self.query_one("#split-preview", Static).update(f"! {bad.field}: {bad}")
            return
        self.query_one("#split-preview", Static).update("Invoicing…")
        self._send = self.send(quantities, self.status() == "Issued", discount)

    @work(exclusive=True, group="split-invoice-send", exit_on_error=False)
    async def send(self, quantities: dict[str, int], issue: bool, discount: Discount | None) -> Any:
        return await self.app.after_sales.invoice_part(  # type: ignore[attr-defined]
            self.order, quantities, issue=issue, discount=discount)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._send:
            return
        if event.state is WorkerState.SUCCESS:
            inv = result_of(event.worker)
            units = sum(i.quantity for i in inv.items)
            off = f", {money(inv.discount_amount, self.currency)} off" if inv.discount_amount else ""
            self.dismiss((inv, f"{inv.invoice_number} ({inv.status}) invoices {len(inv.items)} line(s), "
                               f"{units:,} unit(s) of {self.order.order_number}: "
                               f"{money(inv.invoice_total, self.currency)}{off}."))
        elif event.state is WorkerState.ERROR:
            self.query_one("#split-preview", Static).update(not_done("Not invoiced.", error_of(event.worker)))

    def action_back(self) -> None:
        self.dismiss(None)
