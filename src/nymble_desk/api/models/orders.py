"""Orders: the full order object, its lines, and the create request."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from .base import ApiModel, Money, UtcDatetime
from .common import Discount, OrderAddress, ShippingDetails
from .salesreps import SalesRep


class OrderCustomer(ApiModel):
    """The customer snapshot held on an order or invoice."""

    customer_number: str
    company_name: str | None = None
    company_email: str | None = None
    company_phone: str | None = None
    company_fax: str | None = None
    billing_address: OrderAddress | None = None
    shipping_address: OrderAddress | None = None


class OrderItem(ApiModel):
    sku: str
    product_name: str | None = None
    external_id: str | None = None
    quantity: int
    price: Money
    price_formatted: str | None = None
    sub_total: Money | None = None
    sub_total_formatted: str | None = None
    discount: Discount | None = None
    discount_amount: Money | None = None
    discount_amount_formatted: str | None = None
    minimum_order_quantity: int | None = None
    quantity_increment: int | None = None


class OrderUser(ApiModel):
    user_id: str | None = None
    user_type: str | None = None


class InvoicedLine(ApiModel):
    """One order line's fulfilment: ordered vs invoiced on the live (not voided/cancelled) invoices."""

    sku: str
    product_name: str | None = None
    ordered: int
    invoiced: int
    remaining: int


class OrderInvoiceSummary(ApiModel):
    """The lifecycle page's OrderInvoiceSummaryDto: fulfilment across all of an order's invoices.

    ``status``: NotInvoiced, PartiallyInvoiced, Invoiced, PartiallyPaid or Paid."""

    status: str
    invoice_count: int = 0
    lines: list[InvoicedLine] = Field(default_factory=list)
    invoiced_total: Money | None = None
    amount_paid: Money | None = None
    balance: Money | None = None

    def line(self, sku: str) -> InvoicedLine | None:
        return next((x for x in self.lines if x.sku == sku), None)


class Order(ApiModel):
    id: str
    organization_id: str | None = None
    order_number: str
    order_date: UtcDatetime | None = None
    order_status: str | None = None
    order_type: str | None = None
    po_number: str | None = None
    price_tier: str | None = None
    currency_code: str | None = None
    terms: str | None = None
    channel: str | None = None
    external_id: str | None = None
    notes: str | None = None
    origination_cart_id: str | None = None
    customer: OrderCustomer | None = None
    primary_sales_rep: SalesRep | None = None
    taken_by_sales_rep: SalesRep | None = None
    items: list[OrderItem] = Field(default_factory=list)
    shipping_details: ShippingDetails | None = None
    tax: Money | None = None
    tax_formatted: str | None = None
    subtotal: Money | None = None
    subtotal_formatted: str | None = None
    order_total: Money | None = None
    order_total_formatted: str | None = None
    discount: Discount | None = None
    discount_amount: Money | None = None
    discount_amount_formatted: str | None = None
    active: bool | None = None
    user: OrderUser | None = None
    invoice_numbers: list[str] = Field(default_factory=list)
    invoice_summary: OrderInvoiceSummary | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None


class OrderCreate(ApiModel):
    """The body of POST /api/orders (and each element of a bulk import).

    This client requires `external_id` when sending: it is what makes a repeat
    an update rather than a second order.
    """

    customer: OrderCustomer
    order_type: str
    po_number: str | None = None
    price_tier: str
    currency_code: str
    primary_sales_rep: SalesRep
    items: list[OrderItem]
    user: OrderUser | None = None
    shipping_details: ShippingDetails | None = None
    taken_by_sales_rep: SalesRep | None = None
    terms: str | None = None
    notes: str | None = None
    order_status: str | None = None
    channel: str | None = None
    external_id: str | None = None
    tax: Money | None = None
    origination_cart_id: str | None = None
    order_number: str | None = None
    order_date: UtcDatetime | None = None
    # order level; each item may carry its own `discount` (OrderItem.discount)
    discount: Discount | None = None


class OrderIdent(ApiModel):
    """Only what identifies an order in a listing (the rest of each item is not read)."""

    id: str
    external_id: str | None = None


class OrderRef(ApiModel):
    """What a create answers: `{data: {id, orderNumber}, links: [...]}`."""

    id: str
    order_number: str

    @model_validator(mode="before")
    @classmethod
    def _unwrap(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("data"), dict):
            return data["data"]
        return data
