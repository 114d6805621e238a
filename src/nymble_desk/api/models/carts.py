"""Carts, their lines, and checkout."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, model_validator

from .base import ApiModel, Money, UtcDatetime
from .common import Address, Discount

#: Statuses after which a cart takes no more changes.
CLOSED_STATUSES = frozenset({"complete", "completed", "abandoned", "cancelled", "canceled", "expired"})


class CartItem(ApiModel):
    sku: str
    quantity: int
    product_name: str | None = None
    unit_price: Money | None = None
    unit_price_formatted: str | None = None
    line_total: Money | None = None
    line_total_formatted: str | None = None
    minimum_order_quantity: int | None = None
    quantity_increment: int | None = None


class Cart(ApiModel):
    shopping_cart_id: str
    customer_number: str
    organization_id: str | None = None
    order_type: str | None = None
    status: str
    items: list[CartItem] = Field(default_factory=list)
    shipping_address: Address | None = None
    po_number: str | None = None
    subtotal: Money | None = None
    subtotal_formatted: str | None = None
    currency_code: str | None = None
    order_number: str | None = None  # set once checked out (where the server says so)
    confirmation_id: str | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None

    @property
    def id(self) -> str:
        return self.shopping_cart_id

    @property
    def is_complete(self) -> bool:
        return self.status.lower() in ("complete", "completed")

    @property
    def is_active(self) -> bool:
        return self.status.lower() not in CLOSED_STATUSES

    def line(self, sku: str) -> CartItem | None:
        """The line of a SKU: an exact match first, else one that differs only in letter case."""
        for item in self.items:
            if item.sku == sku:
                return item
        folded = sku.casefold()
        for item in self.items:
            if item.sku.casefold() == folded:
                return item
        return None

    def quantity_of(self, sku: str) -> int:
        """Quantity of a SKU's line (0 when absent); matched as `line` does."""
        item = self.line(sku)
        return item.quantity if item is not None else 0


class CreditCard(ApiModel):
    """A card for one checkout.  Number and CVV are secrets: they never show in a repr or a log."""

    card_number: SecretStr
    cardholder_name: str
    expiry_month: str
    expiry_year: int
    cvv: SecretStr

    @property
    def last4(self) -> str:
        return self.card_number.get_secret_value()[-4:]

    def to_wire(self) -> dict[str, Any]:
        return {
            "cardNumber": self.card_number.get_secret_value(),
            "cardholderName": self.cardholder_name,
            "expiryMonth": self.expiry_month,
            "expiryYear": self.expiry_year,
            "cvv": self.cvv.get_secret_value(),
        }


class CheckoutRequest(ApiModel):
    """What checkout needs beyond the cart: channel, billing address and, for a card sale, the card.

    No card means the order goes on the customer's terms.  The seed's nested
    `payment: {billingAddress, creditCard}` form is accepted too.
    """

    channel: str = "Phone"
    billing_address: Address | None = None
    credit_card: CreditCard | None = None
    # The order's own terms, placed with the order in the same call (docs/order-terms.md).
    order_type: str | None = None
    notes: str | None = None
    shipping_method: str | None = None
    shipping_total: Money | None = None
    tax: Money | None = None
    discount: Discount | None = None
    line_discounts: dict[str, Discount] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _flatten_payment(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("payment"), dict):
            data = dict(data)
            payment = data.pop("payment")
            for src, dst in (("billingAddress", "billing_address"), ("creditCard", "credit_card")):
                if src in payment:
                    data.setdefault(dst, payment[src])
        return data

    def body(self, customer_number: str, cart_id: str) -> dict[str, Any]:
        """The complete-checkout request body.  It holds the card: keep it in memory only."""
        payment: dict[str, Any] = {}
        if self.billing_address is not None:
            payment["billingAddress"] = self.billing_address.to_wire()
        if self.credit_card is not None:
            payment["creditCard"] = self.credit_card.to_wire()
        out: dict[str, Any] = {"customerNumber": customer_number, "shoppingCartId": cart_id,
                               "channel": self.channel}
        if payment:
            out["payment"] = payment
        if self.order_type:
            out["orderType"] = self.order_type
        if self.notes:
            out["notes"] = self.notes
        if self.shipping_method or self.shipping_total is not None:
            out["shippingDetails"] = {"method": self.shipping_method, "total": self.shipping_total or 0}
        if self.tax is not None:
            out["tax"] = self.tax
        if self.discount is not None:
            out["discount"] = _discount_wire(self.discount)
        if self.line_discounts:
            out["lineDiscounts"] = [{"sku": sku, "discount": _discount_wire(d)}
                                    for sku, d in self.line_discounts.items()]
        return out


def _discount_wire(discount: Discount) -> dict[str, Any]:
    return {k: v for k, v in {"type": discount.type, "value": discount.value, "code": discount.code,
                              "description": discount.description}.items() if v is not None}


class CheckoutResult(ApiModel):
    order_number: str
    confirmation_id: str | None = None
