"""Response models: they shape ``/openapi.json`` and check what the routes return.

Money is a Decimal inside and a JSON number on the wire (with a ``*Formatted``
string beside it, as the seed pages show).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field, PlainSerializer

Num = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
T = TypeVar("T")


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str | None = None
    errors: dict[str, list[str]] | None = None


class CartAddress(BaseModel):
    name: str | None = None
    address1: str
    address2: str | None = None
    city: str | None = None
    stateProvince: str | None = None
    postalCode: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None


class OrderAddress(BaseModel):
    name: str | None = None
    address1: str
    address2: str | None = None
    city: str | None = None
    stateProvince: str | None = None
    zipPostalCode: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None


class CustomerAddressOut(CartAddress):
    addressType: str
    default: bool


class CustomerOut(BaseModel):
    customerNumber: str
    companyName: str
    companyEmail: str | None = None
    companyPhone: str | None = None
    companyFax: str | None = None
    active: bool
    creditHold: bool
    repNumber: str | None = None
    pricing: str
    terms: str | None = None
    currencyCode: str
    creditLimit: Num
    creditLimitFormatted: str
    balance: Num
    balanceFormatted: str
    addresses: list[CustomerAddressOut]
    updatedAt: str


class DataPage(BaseModel, Generic[T]):
    data: list[T]
    totalRecords: int
    currentPage: int
    pageSize: int
    totalPages: int


class ItemsPage(BaseModel, Generic[T]):
    items: list[T]
    totalCount: int
    pageNumber: int
    pageSize: int
    totalPages: int


class TierPriceOut(BaseModel):
    tier: str
    price: Num
    priceFormatted: str
    atQuantity: int


class ProductOut(BaseModel):
    sku: str
    name: str
    description: str | None = None
    category: str | None = None
    upc: str | None = None
    externalId: str | None = None
    active: bool
    price: Num
    priceFormatted: str
    currencyCode: str
    quantityOnHand: int
    minimumOrderQuantity: int
    quantityIncrement: int
    prices: list[TierPriceOut]
    updatedAt: str | None = None


class SalesRepOut(BaseModel):
    repNumber: str
    firstName: str | None = None
    lastName: str | None = None
    fullName: str | None = None
    email: str | None = None
    phoneNumber: str | None = None
    active: bool | None = None


class CartItemOut(BaseModel):
    sku: str
    quantity: int
    productName: str | None = None
    unitPrice: Num | None = None
    unitPriceFormatted: str | None = None
    lineTotal: Num | None = None
    lineTotalFormatted: str | None = None
    minimumOrderQuantity: int | None = None
    quantityIncrement: int | None = None


class CartOut(BaseModel):
    shoppingCartId: str
    customerNumber: str
    organizationId: str
    orderType: str
    status: str
    items: list[CartItemOut]
    poNumber: str | None = None
    shippingAddress: CartAddress | None = None
    subtotal: Num
    subtotalFormatted: str
    currencyCode: str
    orderNumber: str | None = None
    confirmationId: str | None = None
    createdAt: str
    updatedAt: str


class CheckoutOut(BaseModel):
    orderNumber: str
    confirmationId: str
    orderId: str | None = None


class Link(BaseModel):
    rel: str
    href: str


class OrderRefData(BaseModel):
    id: str
    orderNumber: str
    created: bool = Field(description="true when this request made the order, false when it updated an existing one")


class OrderCreated(BaseModel):
    data: OrderRefData
    links: list[Link]


class BulkResult(BaseModel):
    data: OrderRefData | None = None
    links: list[Link] = []
    error: Problem | None = None


class DiscountOut(BaseModel):
    """A discount as given: ``Fixed`` (an amount off) or ``Percentage`` (0-100 percent off)."""

    code: str | None = None
    type: str
    value: Num
    description: str | None = None


class OrderItemOut(BaseModel):
    sku: str
    productName: str | None = None
    externalId: str | None = None
    quantity: int
    price: Num
    priceFormatted: str
    subTotal: Num
    subTotalFormatted: str
    discount: DiscountOut | None = None
    discountAmount: Num
    discountAmountFormatted: str
    minimumOrderQuantity: int
    quantityIncrement: int


class ShippingDetailsOut(BaseModel):
    method: str | None = None
    total: Num
    totalFormatted: str
    shippingAddress: OrderAddress | None = None


class OrderCustomerOut(BaseModel):
    customerNumber: str
    companyName: str | None = None
    companyEmail: str | None = None
    companyPhone: str | None = None
    companyFax: str | None = None
    billingAddress: OrderAddress | None = None
    shippingAddress: OrderAddress | None = None


class InvoicedLineOut(BaseModel):
    sku: str
    productName: str | None = None
    ordered: int
    invoiced: int
    remaining: int


class OrderInvoiceSummaryOut(BaseModel):
    """The lifecycle page's OrderInvoiceSummaryDto: fulfilment across all of an order's invoices."""

    status: str
    invoiceCount: int
    lines: list[InvoicedLineOut]
    invoicedTotal: Num
    invoicedTotalFormatted: str
    amountPaid: Num
    amountPaidFormatted: str
    balance: Num
    balanceFormatted: str


class OrderOut(BaseModel):
    id: str
    organizationId: str
    orderNumber: str
    orderDate: str
    orderStatus: str
    orderType: str
    poNumber: str | None = None
    priceTier: str | None = None
    currencyCode: str
    terms: str | None = None
    channel: str | None = None
    externalId: str | None = None
    notes: str | None = None
    originationCartId: str | None = None
    customer: OrderCustomerOut
    primarySalesRep: SalesRepOut | None = None
    takenBySalesRep: SalesRepOut | None = None
    user: dict[str, Any] | None = None
    items: list[OrderItemOut]
    shippingDetails: ShippingDetailsOut
    tax: Num
    taxFormatted: str
    subtotal: Num
    subtotalFormatted: str
    orderTotal: Num
    orderTotalFormatted: str
    discount: DiscountOut | None = None
    discountAmount: Num
    discountAmountFormatted: str
    active: bool
    createdAt: str
    updatedAt: str
    invoiceNumbers: list[str]
    invoiceSummary: OrderInvoiceSummaryOut | None = None


class EmailOut(BaseModel):
    orderId: str
    orderNumber: str
    emailAddresses: list[str]
    sentAt: str
    message: str


class InvoiceItemOut(BaseModel):
    sku: str
    productName: str | None = None
    quantity: int
    price: Num
    priceFormatted: str
    subTotal: Num
    subTotalFormatted: str


class RefundOut(BaseModel):
    id: str
    amount: Num
    amountFormatted: str
    paymentDate: str
    reference: str | None = None
    notes: str | None = None


class PaymentOut(BaseModel):
    id: str
    amount: Num
    amountFormatted: str
    currencyCode: str
    method: str
    status: str
    paymentDate: str
    reference: str | None = None
    notes: str | None = None
    cardType: str | None = None
    last4Digits: str | None = None
    originalPaymentId: str | None = None
    refundedAmount: Num
    refundedAmountFormatted: str
    netAmount: Num
    netAmountFormatted: str
    refunds: list[RefundOut]


class InvoiceOut(BaseModel):
    id: str
    invoiceNumber: str
    orderId: str
    orderNumber: str
    externalId: str | None = None
    customer: OrderCustomerOut
    customerNumber: str
    primarySalesRep: SalesRepOut | None = None
    poNumber: str | None = None
    invoiceDate: str
    dueDate: str | None = None
    terms: str | None = None
    currencyCode: str
    status: str
    statusReason: str | None = None
    items: list[InvoiceItemOut]
    payments: list[PaymentOut]
    tax: Num
    taxFormatted: str
    shipping: Num
    shippingFormatted: str
    subtotal: Num
    subtotalFormatted: str
    discount: DiscountOut | None = None
    discountAmount: Num
    discountAmountFormatted: str
    invoiceTotal: Num
    invoiceTotalFormatted: str
    amountPaid: Num
    amountPaidFormatted: str
    amountPending: Num = Decimal(0)
    amountPendingFormatted: str = "$0.00"
    balance: Num
    balanceFormatted: str
    notes: str | None = None
    createdAt: str
    updatedAt: str


CustomersPage = DataPage[CustomerOut]
ProductsPage = DataPage[ProductOut]
SalesRepsPage = DataPage[SalesRepOut]
InvoicesPage = DataPage[InvoiceOut]
OrdersPage = ItemsPage[OrderOut]
CartsPage = ItemsPage[CartOut]
