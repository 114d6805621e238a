"""After the order: find orders, open one with its invoices and payments, and act on them.

:class:`AfterSales` is a small service over the API client (and the Desk, for
reorders into a local draft) used by the orders/invoices screens and the
``orders``/``invoices`` commands.  The lifecycle rules of the seed page
(order/invoice/payment lifecycle) are checked *before* anything is sent, by
:func:`can_issue`, :func:`can_void`, :func:`can_cancel`, :func:`can_refund`,
:func:`can_pay` and :func:`can_invoice`; each answers a :class:`Verdict` whose ``reason`` says why in plain words.
An action the rules refuse raises :class:`Refused` (with the field at fault)
and sends nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, UTC
from decimal import Decimal
from typing import Any

from nymble_desk.api.models import Discount
from nymble_desk.api.paging import Filter
from nymble_desk.domain.money import format_money, parse_money
from nymble_desk.errors import Refused as Refused  # re-exported; defined in errors

#: Offline payment methods a rep can record (the seed's "EFT, cheque, cash" as the API names them).
OFFLINE_METHODS: tuple[str, ...] = ("Check", "Wire", "ACH", "Cash")
VOIDABLE = ("draft", "issued")
_ONE_DAY = timedelta(days=1)
CUSTOMER_NUMBER = re.compile(r"^[A-Za-z]{1,10}-?\d+$")
CLOSED = ("voided", "cancelled", "canceled")
ORDER_SORTS: tuple[str, ...] = ("orderDate", "orderNumber", "orderTotal", "customerNumber", "poNumber",
                                "orderStatus", "createdAt")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str | None = None
    field: str | None = None

    def __bool__(self) -> bool:
        return self.ok


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def money(value: Any, currency: str | None = None) -> str:
    """An amount for display via domain.money ("-" when absent)."""
    if value is None:
        return "-"
    return format_money(_dec(value), currency or "USD")


def invoice_label(invoice: Any) -> str:
    return str(invoice.invoice_number or invoice.id)


def balance_of(invoice: Any) -> Decimal:
    """What the invoice still owes: nothing once Voided (removed from receivables), whatever a server says."""
    if (invoice.status or "").lower() == "voided":
        return Decimal(0)
    if invoice.balance is not None:
        return _dec(invoice.balance)
    return _dec(invoice.invoice_total) - _dec(invoice.amount_paid)


def is_refund(payment: Any) -> bool:
    return bool(payment.original_payment_id) or _dec(payment.amount) < 0


def pending_of(invoice: Any) -> Decimal:
    """Payments recorded but not completed: not paid yet, but not to be asked for twice."""
    return sum((_dec(p.amount) for p in invoice.payments if _is_pending(p)), Decimal(0))


def _is_pending(payment: Any) -> bool:
    return (payment.status or "").lower() == "pending"


def money_held(invoice: Any) -> bool:
    """Completed money not refunded, or a pending payment: what void and cancel must not drop."""
    paid = _dec(invoice.amount_paid) if invoice.amount_paid is not None else \
        sum((_dec(p.amount) for p in invoice.payments if not _is_pending(p)), Decimal(0))
    return paid != 0 or pending_of(invoice) != 0


def refundable(payment: Any) -> Decimal:
    """What is left to refund of an original, completed payment."""
    if is_refund(payment) or _is_pending(payment):
        return Decimal(0)
    if payment.net_amount is not None:
        return _dec(payment.net_amount)
    return _dec(payment.amount) - _dec(payment.refunded_amount)


# -- lifecycle rules (seed: order/invoice/payment lifecycle) ---------------------------------------

def can_issue(invoice: Any) -> Verdict:
    """Only a Draft is issued (Draft -> Issued)."""
    if (invoice.status or "").lower() == "draft":
        return Verdict(True)
    return Verdict(False, f"{invoice_label(invoice)} is {invoice.status}; only a Draft is issued.", "Status")


def can_void(invoice: Any) -> Verdict:
    """Void only before payment: Draft or Issued, with no payment pending."""
    status = (invoice.status or "").lower()
    label = invoice_label(invoice)
    if status in CLOSED:
        return Verdict(False, f"{label} is already {invoice.status}; voids and cancels cannot be undone.", "Status")
    if status not in VOIDABLE:
        return Verdict(False, f"{label} is {invoice.status}: only Draft or Issued invoices can be voided. "
                              "Refund its payments, then cancel it to keep the record.", "Status")
    if money_held(invoice):
        return Verdict(False, f"{label} has a pending payment; it cannot be voided until that completes.", "Status")
    return Verdict(True)


def can_cancel(invoice: Any) -> Verdict:
    """Cancel keeps the record; not while the invoice holds money (refund it first)."""
    status = (invoice.status or "").lower()
    label = invoice_label(invoice)
    if status in CLOSED:
        return Verdict(False, f"{label} is already {invoice.status}; voids and cancels cannot be undone.", "Status")
    if status == "paid" or (status == "partiallypaid" and money_held(invoice)):
        return Verdict(False, f"{label} is {invoice.status}: refund its payments first.", "Status")
    if money_held(invoice):
        return Verdict(False, f"{label} has a pending payment; it cannot be cancelled until that completes.",
                       "Status")
    return Verdict(True)


def can_pay(invoice: Any, amount: Decimal | None = None, method: str | None = None) -> Verdict:
    label, currency = invoice_label(invoice), invoice.currency_code or "USD"
    status = (invoice.status or "").lower()
    if status in CLOSED:
        return Verdict(False, f"{label} is {invoice.status}; it takes no payments.", "Status")
    if status == "draft":
        return Verdict(False, f"{label} is a Draft: issue it to the customer first.", "Status")
    balance = balance_of(invoice) - pending_of(invoice)
    if balance <= 0:
        return Verdict(False, f"{label} is paid in full; nothing is due." if not pending_of(invoice) else
                       f"{label} is covered by a pending payment; nothing more is due.", "Amount")
    if method is not None and method not in OFFLINE_METHODS:
        return Verdict(False, f"Method must be one of {', '.join(OFFLINE_METHODS)}.", "Method")
    if amount is not None:
        if amount <= 0:
            return Verdict(False, "The amount must be more than zero.", "Amount")
        if amount > balance:
            return Verdict(False, f"The amount exceeds the balance of {money(balance, currency)}.", "Amount")
    return Verdict(True)


def read_discount(text: str, label: str = "") -> Discount | None:
    """An invoice-level discount as a rep types it: ``10%`` (Percentage) or ``25`` / ``$25.00`` (Fixed);
    blank is none. ``label`` is its description (a leading ``CODE:`` becomes its code)."""
    raw = text.strip()
    if not raw:
        return None
    code, _, description = label.strip().partition(":") if ":" in label else ("", "", label.strip())
    extra = {"code": code.strip() or None, "description": description.strip() or None}
    try:
        if raw.endswith("%"):
            rate = parse_money(raw[:-1])
            if not 0 < rate <= 100:
                raise Refused("A percentage discount is more than 0 and at most 100%.", "Discount")
            return Discount.percentage(rate, **extra)
        amount = parse_money(raw)
    except (ValueError, ArithmeticError):
        raise Refused(f"{raw!r} is not a discount: type 10% or an amount such as 25.00.", "Discount") from None
    if amount <= 0:
        raise Refused("A discount amount is more than zero.", "Discount")
    return Discount.fixed(amount, **extra)


def can_invoice(order: Any, quantities: dict[str, int]) -> Verdict:
    """A split invoice: at least one line, each quantity 0..what is left to invoice of that line."""
    summary = getattr(order, "invoice_summary", None)
    left = {x.sku: x.remaining for x in summary.lines} if summary is not None else \
        {i.sku: i.quantity for i in order.items}
    chosen = {sku: q for sku, q in quantities.items() if q}
    if not chosen:
        return Verdict(False, "Choose at least one line and quantity to invoice.", "Quantity")
    for sku, qty in chosen.items():
        if sku not in left:
            return Verdict(False, f"{sku} is not on {order.order_number}.", sku)
        if qty < 0 or qty > left[sku]:
            return Verdict(False, f"{sku}: at most {left[sku]} left to invoice.", sku)
    return Verdict(True)


def can_refund(invoice: Any, payment: Any | None = None, amount: Decimal | None = None) -> Verdict:
    label, currency = invoice_label(invoice), invoice.currency_code or "USD"
    status = (invoice.status or "").lower()
    if status in CLOSED:
        return Verdict(False, f"{label} is {invoice.status}; its payments cannot be refunded.", "Status")
    if payment is None:
        if not any(refundable(p) > 0 for p in invoice.payments):
            return Verdict(False, f"{label} has no payment left to refund.", "Payment")
        return Verdict(True)
    if is_refund(payment):
        return Verdict(False, "That line is a refund; refund the original payment.", "Payment")
    left = refundable(payment)
    if left <= 0:
        return Verdict(False, "That payment is already refunded in full.", "Payment")
    if amount is not None:
        if amount <= 0:
            return Verdict(False, "The refund amount must be more than zero.", "Amount")
        if amount > left:
            return Verdict(False, f"At most {money(left, currency)} of that payment is left to refund.", "Amount")
    return Verdict(True)


# -- order search ----------------------------------------------------------------------------------

def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class OrderQuery:
    """Typed order filters; empty fields are not sent. Dates are inclusive whole days (UTC)."""

    order_number: str | None = None
    customer: str | None = None  # a customer number (CUST-1042), else part of the company name
    po_number: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    total_min: Decimal | None = None
    total_max: Decimal | None = None
    channel: str | None = None  # TradeShow, Phone, Web, ...
    taken_by: str | None = None  # the rep number that took the order for the primary rep
    sort_on: str = "orderDate"
    sort_direction: str = "desc"
    page_number: int = 1
    page_size: int = 20

    def filters(self) -> list[Filter]:
        out: list[Filter] = []
        if self.order_number:
            out.append(Filter("orderNumber", "contains", self.order_number.strip()))
        if self.customer:
            who = self.customer.strip()
            if CUSTOMER_NUMBER.match(who):
                out.append(Filter("customerNumber", "equals", who.upper()))
            else:  # a name: "brightfield" finds Brightfield Supply Co.
                out.append(Filter("companyName", "contains", who))
        if self.po_number:
            out.append(Filter("poNumber", "contains", self.po_number.strip()))
        if self.status:
            out.append(Filter("orderStatus", "equals", self.status.strip()))
        if self.date_from:
            out.append(Filter("orderDate", "gte", _day_start(self.date_from)))
        if self.date_to:
            out.append(Filter("orderDate", "lt", _day_start(self.date_to) + _ONE_DAY))
        if self.total_min is not None:
            out.append(Filter("orderTotal", "gte", self.total_min))
        if self.total_max is not None:
            out.append(Filter("orderTotal", "lte", self.total_max))
        if self.channel:
            out.append(Filter("channel", "equals", self.channel.strip()))
        if self.taken_by:
            out.append(Filter("takenBySalesRep", "equals", self.taken_by.strip().upper()))
        return out



@dataclass(frozen=True)
class OrderBundle:
    """An order with its invoices (each holding its payments)."""

    order: Any
    invoices: list[Any] = field(default_factory=list)

    @property
    def payments(self) -> list[tuple[Any, Any]]:
        return [(inv, p) for inv in self.invoices for p in inv.payments]

    @property
    def currency(self) -> str:
        return self.order.currency_code or "USD"

    @property
    def summary(self) -> Any:
        """The order's invoice summary (OrderInvoiceSummary), None from a server that sends none."""
        return getattr(self.order, "invoice_summary", None)


@dataclass(frozen=True)
class ReorderResult:
    draft: Any
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "SKU: why"


class AfterSales:
    def __init__(self, client: Any, desk: Any = None) -> None:
        self.client = client
        self.desk = desk

    # -- reads -------------------------------------------------------------------------------------
    async def search_orders(self, query: OrderQuery) -> Any:
        return await self.client.orders.search(query.filters(), sort_on=query.sort_on,
                                               sort_direction=query.sort_direction,
                                               page_number=max(1, query.page_number), page_size=query.page_size)

    async def order_bundle(self, id_or_number: str) -> OrderBundle:
        order = await self.client.orders.get(id_or_number)
        invoices = await self.client.invoices.for_order(order.id)
        return OrderBundle(order, sorted(invoices, key=lambda i: i.invoice_number or i.id))

    async def search_invoices(self, *, customer: str | None = None, order_number: str | None = None,
                              status: str | None = None, page_number: int = 1, page_size: int = 20) -> Any:
        filters = []
        if customer:
            filters.append(Filter("customerNumber", "equals", customer.strip().upper()))
        if order_number:
            filters.append(Filter("orderNumber", "equals", order_number.strip()))
        if status:
            filters.append(Filter("status", "equals", status.strip()))
        return await self.client.invoices.search(filters, sort_on="invoiceDate", sort_direction="desc",
                                                 page_number=max(1, page_number), page_size=page_size)

    async def get_invoice(self, invoice_id: str) -> Any:
        return await self.client.invoices.get(invoice_id)

    # -- invoice actions (rules checked first) -----------------------------------------------------
    async def record_payment(self, invoice: Any, amount: Decimal, method: str, *, reference: str | None = None,
                             payment_date: date | None = None, notes: str | None = None) -> Any:
        verdict = can_pay(invoice, Decimal(amount), method)
        if not verdict:
            raise Refused(verdict.reason or "refused", verdict.field)
        when = _day_start(payment_date) if isinstance(payment_date, date) and not isinstance(
            payment_date, datetime) else payment_date
        return await self.client.invoices.record_payment(invoice.id, Decimal(amount), method, payment_date=when,
                                                         reference=reference or None, notes=notes or None)

    async def refund(self, invoice: Any, payment: Any, amount: Decimal, *, reference: str | None = None,
                     notes: str | None = None) -> Any:
        verdict = can_refund(invoice, payment, Decimal(amount))
        if not verdict:
            raise Refused(verdict.reason or "refused", verdict.field)
        return await self.client.invoices.refund(invoice.id, payment.id, Decimal(amount),
                                                 reference=reference or None, notes=notes or None)

    async def issue(self, invoice: Any) -> Any:
        verdict = can_issue(invoice)
        if not verdict:
            raise Refused(verdict.reason or "refused", verdict.field)
        return await self.client.invoices.issue(invoice.id)

    async def invoice_part(self, order: Any, quantities: dict[str, int], *, issue: bool = True,
                           discount: Discount | None = None) -> Any:
        """Invoice chosen lines and quantities of an order (a split shipment): Issued, or a Draft;
        with an invoice-level ``discount`` if given."""
        verdict = can_invoice(order, quantities)
        if not verdict:
            raise Refused(verdict.reason or "refused", verdict.field)
        items = [{"sku": sku, "quantity": q} for sku, q in quantities.items() if q]
        return await self.client.invoices.create_from_order(order.id, "Issued" if issue else "Draft", items,
                                                            discount=discount)

    async def complete_payment(self, invoice: Any, payment: Any) -> Any:
        if not _is_pending(payment):
            raise Refused("That payment is not pending.", "Payment")
        return await self.client.invoices.complete_payment(invoice.id, payment.id)

    async def void(self, invoice: Any, reason: str | None = None) -> Any:
        verdict = can_void(invoice)
        if not verdict:
            raise Refused(verdict.reason or "refused", verdict.field)
        return await self.client.invoices.void(invoice.id, reason or None)

    async def cancel(self, invoice: Any, reason: str | None = None) -> Any:
        verdict = can_cancel(invoice)
        if not verdict:
            raise Refused(verdict.reason or "refused", verdict.field)
        return await self.client.invoices.cancel(invoice.id, reason or None)

    # -- order actions -------------------------------------------------------------------------------
    async def change_shipping(self, order: Any, address: dict[str, Any], *, method: str | None = None,
                              total: Decimal | None = None) -> Any:
        missing = [k for k in ("address1", "city", "country") if not (address.get(k) or "").strip()]
        if missing:
            raise Refused(f"The ship-to address needs {', '.join(missing)}.", missing[0])
        details = order.shipping_details
        method = method or (details.method if details else None) or "Standard"
        total = total if total is not None else (_dec(details.total) if details and details.total is not None
                                                 else Decimal(0))
        return await self.client.orders.update_shipping(order.id, method, total, address)

    async def move_to_customer(self, order: Any, customer_number: str) -> Any:
        number = customer_number.strip().upper()
        if not number:
            raise Refused("Type the customer number to move the order to.", "customerNumber")
        if order.customer is not None and order.customer.customer_number == number:
            raise Refused(f"{order.order_number} already belongs to {number}.", "customerNumber")
        customer = await self.client.customers.get(number)
        billing = customer.default_billing
        return await self.client.orders.update_customer(
            order.id, customer.customer_number, customer.company_name or customer.customer_number,
            company_email=customer.company_email, company_phone=customer.company_phone,
            billing_address=billing.model_dump() if billing is not None else None)

    async def email_confirmation(self, order: Any, addresses: list[str]) -> None:
        cleaned = [a.strip() for a in addresses if a.strip()]
        if not cleaned:
            raise Refused("Type at least one email address.", "emailAddresses")
        bad = [a for a in cleaned if "@" not in a or a.startswith("@") or a.endswith("@")]
        if bad:
            raise Refused(f"Not an email address: {', '.join(bad)}.", "emailAddresses")
        await self.client.orders.email_confirmation(order.id, cleaned)

    async def reorder(self, order: Any) -> ReorderResult:
        """Copy an order's lines into the customer's local draft (opened or resumed), at today's prices."""
        if self.desk is None:
            raise RuntimeError("reorder needs the Desk")
        customer = await self.client.customers.get(order.customer.customer_number)
        draft = self.desk.open_draft(customer)  # raises CustomerInactive
        added: list[str] = []
        skipped: list[str] = []
        for item in order.items:
            product = await self.desk.find_product(item.sku)
            if product is None:
                skipped.append(f"{item.sku}: no longer in the catalogue")
                continue
            try:
                draft = self.desk.add_line(draft.id, product, item.quantity)
            except ValueError as exc:  # QuantityRejected or an inactive product
                skipped.append(f"{item.sku}: {exc}")
                continue
            added.append(item.sku)
        return ReorderResult(self.desk.get_draft(draft.id), added, skipped)
