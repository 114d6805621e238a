"""Invoices: list, get, create from an order, issue, discount, record a payment (completed or
pending), complete a pending one, refund, void, cancel.

The POSTs here are unsafe.  Payments, refunds and new invoices are reconciled
after a lost reply by comparing with what existed before the send (one read
first); issue, void and cancel by the invoice's status, completing a payment by
the payment's.  Setting the discount is a PUT of the whole value (repeat-safe).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from ._util import find_out, send_once, seg, unwrap
from .errors import Conflict, OutcomeUnknown
from .models import Discount, Invoice, Payment
from .models.invoices import PAYMENT_COMPLETED
from .listing import FilterListing
from .paging import Filter, collect
from .retry import Deadline


T = TypeVar("T")


def _looks_like_invoice(data: Any) -> bool:
    return isinstance(data, dict) and "id" in data and "status" in data and (
        "invoiceNumber" in data or "invoiceTotal" in data)


class Invoices(FilterListing[Invoice]):
    """Invoices, filtered (for example by customerNumber, orderId, orderNumber or status)."""

    PATH = "/api/invoices"
    MODEL = Invoice

    async def for_order(self, order_id: str, *, deadline: Deadline | None = None) -> list[Invoice]:
        return await collect(lambda n: self.search([Filter("orderId", "equals", order_id)], None, None, n, 100,
                                                   deadline=deadline))

    async def get(self, invoice_id: str, *, deadline: Deadline | None = None) -> Invoice:
        data = await self._http.call("GET", f"/api/invoices/{seg(invoice_id)}", deadline=deadline)
        return Invoice.model_validate(unwrap(data))

    async def _invoice_reply(self, data: Any, invoice_id: str, deadline: Deadline) -> Invoice:
        data = unwrap(data)
        if _looks_like_invoice(data):
            return Invoice.model_validate(data)
        return await self.get(invoice_id, deadline=deadline)

    # -- unsafe calls, reconciled ------------------------------------------------------------

    async def _send_once(
        self,
        what: str,
        send: Callable[[Deadline], Awaitable[T]],
        landed: Callable[[Deadline], Awaitable[T | None]],
        deadline: Deadline,
    ) -> T:
        """Send; after a lost reply ask `landed` (None: it did not) and send again only then."""

        async def check(lost: OutcomeUnknown, d: Deadline) -> T | None:
            return await find_out(landed(d), lost, what)

        return await send_once(what, send, check, deadline, self._http.retry.max_attempts)

    async def create_from_order(self, order_id: str, status: str = "Draft",
                                items: Sequence[dict[str, Any]] | None = None, *,
                                discount: Discount | None = None) -> Invoice:
        """Generate an invoice against an order (`status` Draft or Issued).

        `items` (`[{"sku": ..., "quantity": ...}]`) invoices part of the order (a split
        shipment); without them the server invoices whatever is not invoiced yet.
        `discount` is an invoice-level discount (Fixed or Percentage, code, description).
        """
        deadline = self._http.retry.start()
        before = {inv.id for inv in await self.for_order(order_id, deadline=deadline)}
        body: dict[str, Any] = {"status": status}
        if items is not None:
            body["items"] = list(items)
        if discount is not None:
            body["discount"] = discount.to_wire()

        async def send(d: Deadline) -> Invoice:
            data = unwrap(await self._http.call("POST", f"/api/orders/{seg(order_id)}/invoices", body=body,
                                                deadline=d))
            if _looks_like_invoice(data):
                return Invoice.model_validate(data)
            new = [i for i in await self.for_order(order_id, deadline=d) if i.id not in before]
            if len(new) != 1:
                raise OutcomeUnknown(f"invoice for order {order_id}: answered, but {len(new)} new invoices found")
            return new[0]

        async def landed(d: Deadline) -> Invoice | None:
            new = [i for i in await self.for_order(order_id, deadline=d) if i.id not in before]
            return new[0] if new else None

        return await self._send_once(f"invoice for order {order_id}", send, landed, deadline)

    async def _payment(self, invoice_id: str, body: dict[str, Any], what: str) -> Invoice:
        deadline = self._http.retry.start()
        before = {p.id for p in (await self.get(invoice_id, deadline=deadline)).payments}
        amount = Decimal(body["amount"])

        def is_ours(p: Payment) -> bool:
            return p.id not in before and p.amount == amount and (p.reference or None) == body.get("reference")

        async def send(d: Deadline) -> Invoice:
            data = await self._http.call("POST", f"/api/invoices/{seg(invoice_id)}/payments", body=body, deadline=d)
            return await self._invoice_reply(data, invoice_id, d)

        async def landed(d: Deadline) -> Invoice | None:
            invoice = await self.get(invoice_id, deadline=d)
            return invoice if any(is_ours(p) for p in invoice.payments) else None

        return await self._send_once(what, send, landed, deadline)

    async def record_payment(
        self,
        invoice_id: str,
        amount: Decimal,
        method: str,
        *,
        payment_date: datetime | None = None,
        reference: str | None = None,
        notes: str | None = None,
        status: str = PAYMENT_COMPLETED,
    ) -> Invoice:
        """Record an offline payment (check, wire, ACH, cash); answers the updated invoice.

        `status` "Pending" records a payment that counts as paid only once completed
        (:meth:`complete_payment`)."""
        if Decimal(amount) <= 0:
            raise ValueError("a payment amount is positive; use refund() to reverse one")
        body = self._payment_body(amount, method, payment_date, reference, notes)
        if status != PAYMENT_COMPLETED:
            body["status"] = status
        return await self._payment(invoice_id, body, f"payment of {amount} on invoice {invoice_id}")

    async def refund(
        self,
        invoice_id: str,
        original_payment_id: str,
        amount: Decimal,
        *,
        method: str | None = None,
        payment_date: datetime | None = None,
        reference: str | None = None,
        notes: str | None = None,
    ) -> Invoice:
        """Refund (part of) a payment: a negative payment linked to the original (method: the original's)."""
        amount = abs(Decimal(amount))
        if amount == 0:
            raise ValueError("a refund amount is not zero")
        body = self._payment_body(-amount, method, payment_date, reference, notes)
        body["originalPaymentId"] = original_payment_id
        return await self._payment(invoice_id, body, f"refund of {amount} on invoice {invoice_id}")

    @staticmethod
    def _payment_body(amount: Decimal, method: str | None, payment_date: datetime | None, reference: str | None,
                      notes: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {"amount": Decimal(amount),
                                "paymentDate": (payment_date or datetime.now(UTC)).isoformat()}
        if method:
            body["method"] = method
        if reference:
            body["reference"] = reference
        if notes:
            body["notes"] = notes
        return body

    async def _transition(self, invoice_id: str, action: str, target: str, reason: str | None) -> Invoice:
        """void / cancel: repeat-safe by checking the status after a lost reply or a 409."""
        deadline = self._http.retry.start()
        path = f"/api/invoices/{seg(invoice_id)}/{action}"

        async def send(d: Deadline) -> Invoice:
            try:
                data = await self._http.call("POST", path, body={"reason": reason} if reason else None,
                                             deadline=d)
            except Conflict as refused:
                invoice = await self.get(invoice_id, deadline=d)
                if invoice.status.lower() == target.lower():
                    return invoice  # an earlier send whose reply was lost did it
                raise refused
            return await self._invoice_reply(data, invoice_id, d)

        async def landed(d: Deadline) -> Invoice | None:
            invoice = await self.get(invoice_id, deadline=d)
            return invoice if invoice.status.lower() == target.lower() else None

        return await self._send_once(f"{action} invoice {invoice_id}", send, landed, deadline)

    async def issue(self, invoice_id: str) -> Invoice:
        """Issue a Draft invoice to the customer (Draft -> Issued); payments are taken from then on."""
        return await self._transition(invoice_id, "issue", "Issued", None)

    async def set_discount(self, invoice_id: str, discount: Discount | None) -> Invoice:
        """Set (None: remove) a Draft invoice's invoice-level discount."""
        deadline = self._http.retry.start()
        data = await self._http.call("PUT", f"/api/invoices/{seg(invoice_id)}/discount",
                                     body={"discount": discount.to_wire() if discount is not None else None},
                                     deadline=deadline)
        return await self._invoice_reply(data, invoice_id, deadline)

    async def complete_payment(self, invoice_id: str, payment_id: str) -> Invoice:
        """A Pending payment completes (what the provider's webhook does); repeat-safe by its status."""
        deadline = self._http.retry.start()
        path = f"/api/invoices/{seg(invoice_id)}/payments/{seg(payment_id)}/complete"

        def completed(invoice: Invoice) -> bool:
            return any(p.id == payment_id and not p.is_pending for p in invoice.payments)

        async def send(d: Deadline) -> Invoice:
            try:
                data = await self._http.call("POST", path, deadline=d)
            except Conflict as refused:
                invoice = await self.get(invoice_id, deadline=d)
                if completed(invoice):
                    return invoice  # an earlier send whose reply was lost did it
                raise refused
            return await self._invoice_reply(data, invoice_id, d)

        async def landed(d: Deadline) -> Invoice | None:
            invoice = await self.get(invoice_id, deadline=d)
            return invoice if completed(invoice) else None

        return await self._send_once(f"complete payment {payment_id}", send, landed, deadline)

    async def void(self, invoice_id: str, reason: str | None = None) -> Invoice:
        """Void an unpaid invoice (Draft or Issued)."""
        return await self._transition(invoice_id, "void", "Voided", reason)

    async def cancel(self, invoice_id: str, reason: str | None = None) -> Invoice:
        """Cancel an invoice, keeping its record."""
        return await self._transition(invoice_id, "cancel", "Cancelled", reason)

