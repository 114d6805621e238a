"""Typed wire models of the Nymble Commerce API (pydantic v2, camelCase aliases, Decimal money)."""

from .base import ApiModel, Money, UtcDatetime
from .carts import Cart, CartItem, CheckoutRequest, CheckoutResult, CreditCard
from .common import Address, Discount, OrderAddress, ShippingDetails
from .customers import Customer, CustomerAddress
from .invoices import Invoice, InvoiceItem, Payment, Refund
from .orders import (
    InvoicedLine, Order, OrderCreate, OrderCustomer, OrderIdent, OrderInvoiceSummary, OrderItem, OrderRef, OrderUser,
)
from .page import Page
from .products import Product, TierPriceModel
from .salesreps import SalesRep

__all__ = [
    "Address",
    "ApiModel",
    "Cart",
    "CartItem",
    "CheckoutRequest",
    "CheckoutResult",
    "CreditCard",
    "Customer",
    "CustomerAddress",
    "Discount",
    "Invoice",
    "InvoiceItem",
    "InvoicedLine",
    "Money",
    "Order",
    "OrderAddress",
    "OrderCreate",
    "OrderCustomer",
    "OrderIdent",
    "OrderInvoiceSummary",
    "OrderItem",
    "OrderRef",
    "OrderUser",
    "Page",
    "Payment",
    "Product",
    "Refund",
    "SalesRep",
    "ShippingDetails",
    "TierPriceModel",
    "UtcDatetime",
]
