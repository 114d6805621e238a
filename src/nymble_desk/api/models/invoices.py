"""Invoices and the payments recorded against them."""

from __future__ import annotations

from pydantic import Field

from .base import ApiModel, Money, UtcDatetime
from .common import Discount
from .orders import OrderCustomer
from .salesreps import SalesRep


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
    net_amount: Money | None = None
    original_payment_id: str | None = None
    refunds: list[Refund] = Field(default_factory=list)


class InvoiceItem(ApiModel):
    sku: str
    product_name: str | None = None
    quantity: int
    price: Money
    sub_total: Money | None = None


class Invoice(ApiModel):
    id: str
    invoice_number: str | None = None
    order_id: str | None = None
    order_number: str | None = None
    external_id: str | None = None
    customer: OrderCustomer | None = None
    primary_sales_rep: SalesRep | None = None
    po_number: str | None = None
    invoice_date: UtcDatetime | None = None
    due_date: UtcDatetime | None = None
    terms: str | None = None
    currency_code: str | None = None
    status: str
    items: list[InvoiceItem] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    tax: Money | None = None
    subtotal: Money | None = None
    discount: Discount | None = None
    discount_amount: Money | None = None
    invoice_total: Money | None = None
    amount_paid: Money | None = None
    balance: Money | None = None
    notes: str | None = None
