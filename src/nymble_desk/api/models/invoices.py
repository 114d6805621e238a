"""Invoices and the payments recorded against them."""

from __future__ import annotations

from pydantic import Field

from .base import ApiModel, Money, UtcDatetime
from .common import Discount
from .orders import OrderCustomer
from .salesreps import SalesRep


#: What ``Payment.status`` holds (the lifecycle page's examples); a Pending payment is not paid yet.
PAYMENT_COMPLETED = "Completed"
PAYMENT_PENDING = "Pending"


class Refund(ApiModel):
    id: str | None = None
    amount: Money
    payment_date: UtcDatetime | None = None
    reference: str | None = None
    notes: str | None = None


class Payment(ApiModel):
    id: str | None = None
    amount: Money
    amount_formatted: str | None = None
    currency_code: str | None = None
    method: str | None = None
    status: str | None = None
    payment_date: UtcDatetime | None = None
    reference: str | None = None
    notes: str | None = None
    card_type: str | None = None
    last4_digits: str | None = None
    refunded_amount: Money | None = None
    refunded_amount_formatted: str | None = None
    net_amount: Money | None = None
    net_amount_formatted: str | None = None
    original_payment_id: str | None = None
    refunds: list[Refund] = Field(default_factory=list)

    @property
    def is_pending(self) -> bool:
        return (self.status or "").lower() == PAYMENT_PENDING.lower()


class InvoiceItem(ApiModel):
    sku: str
    product_name: str | None = None
    quantity: int
    price: Money
    price_formatted: str | None = None
    sub_total: Money | None = None
    sub_total_formatted: str | None = None


class Invoice(ApiModel):
    id: str
    invoice_number: str | None = None
    order_id: str | None = None
    order_number: str | None = None
    external_id: str | None = None
    customer_number: str | None = None
    customer: OrderCustomer | None = None
    primary_sales_rep: SalesRep | None = None
    po_number: str | None = None
    invoice_date: UtcDatetime | None = None
    due_date: UtcDatetime | None = None
    terms: str | None = None
    currency_code: str | None = None
    status: str
    status_reason: str | None = None
    items: list[InvoiceItem] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    tax: Money | None = None
    tax_formatted: str | None = None
    shipping: Money | None = None
    shipping_formatted: str | None = None
    subtotal: Money | None = None
    subtotal_formatted: str | None = None
    discount: Discount | None = None
    discount_amount: Money | None = None
    discount_amount_formatted: str | None = None
    invoice_total: Money | None = None
    invoice_total_formatted: str | None = None
    amount_paid: Money | None = None
    amount_paid_formatted: str | None = None
    amount_pending: Money | None = None  # payments recorded but not completed: not paid yet
    balance: Money | None = None
    balance_formatted: str | None = None
    notes: str | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None

    @property
    def is_open(self) -> bool:
        """Issued or part paid: money is still expected."""
        return self.status.lower() in ("issued", "partiallypaid")
