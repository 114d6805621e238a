"""Request bodies: pydantic models with case-insensitive property names.

Every body model derives from :class:`Body`, which matches incoming keys to
field names without regard to case (``"PONumber"`` -> ``poNumber``) and maps
the synonyms in ``SYNONYMS`` (an address's ``zipPostalCode`` is its
``postalCode``).  Unknown properties are ignored.  Strings are bounded and may
not hold lone surrogates (SQLite cannot store them); amounts are finite
Decimals within bounds; quantities are positive whole numbers.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationInfo, WithJsonSchema,
    field_validator, model_validator,
)

from nymble_desk.sandbox.currencies import CurrencyCode


def _no_surrogates(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


# What _no_surrogates and _not_blank refuse, stated for the OpenAPI document: no NUL, and (names, codes)
# one character that is not white space as str.strip() sees it.  Lone surrogates are left out of the
# patterns: JSON text rarely holds them and schema tools mishandle the escapes; the server still refuses them.
WHITE = r"\s\x00\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = r"^[^\x00]*$"
NONBLANK_PATTERN = rf"^[^\x00]*[^{WHITE}][^\x00]*$"
_PLAIN = Field(json_schema_extra={"pattern": TEXT_PATTERN})
# orderDate, paymentDate: empty (now), a day, or a day and time with an optional offset (a subset of what
# datetime.fromisoformat reads: days 29-31 are left out of the statement, not refused)
DATE_TEXT = (r"^([1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
             r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?)?$")
_NONBLANK = Field(json_schema_extra={"pattern": NONBLANK_PATTERN})


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


Text = Annotated[str, StringConstraints(max_length=500), AfterValidator(_no_surrogates), _PLAIN]
DateText = Annotated[Text, Field(json_schema_extra={"pattern": DATE_TEXT})]
Code = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100),
    AfterValidator(_no_surrogates),
    AfterValidator(_not_blank),
    _NONBLANK,
]
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200),
    AfterValidator(_no_surrogates),
    AfterValidator(_not_blank),
    _NONBLANK,
]
# An amount is a JSON number within the bounds, or a string of plain decimal digits (what the schema says,
# exactly: no exponent, no sign but a leading minus where negatives are allowed, at most 9 whole digits).
AMOUNT_TEXT = r"^[0-9]{1,9}(\.[0-9]{1,20})?$"
SIGNED_AMOUNT_TEXT = r"^-?[0-9]{1,9}(\.[0-9]{1,20})?$"


def _amount_text(pattern: str) -> Any:
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        _no_bool(value)
        if isinstance(value, str) and not compiled.match(value):
            raise ValueError("must be a number, or a string of digits with an optional decimal point")
        return value

    return check


def _amount_schema(low: int, pattern: str) -> WithJsonSchema:
    return WithJsonSchema({"anyOf": [{"type": "number", "minimum": low, "maximum": 1_000_000_000},
                                     {"type": "string", "pattern": pattern}]})


Amount = Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), allow_inf_nan=False),
                   BeforeValidator(_amount_text(AMOUNT_TEXT)), _amount_schema(0, AMOUNT_TEXT)]
# a payment's amount (SignedAmount): not zero once rounded to cents (|amount| >= 0.005); negative = a refund
ROUNDS_TO_ZERO = r"^-?0+(\.(0|00|00[0-4][0-9]{0,17}))?$"
SignedAmount = Annotated[
    Decimal, Field(ge=Decimal("-1000000000"), le=Decimal("1000000000"), allow_inf_nan=False),
    BeforeValidator(_amount_text(SIGNED_AMOUNT_TEXT)),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0.005, "maximum": 1_000_000_000},
                              {"type": "number", "minimum": -1_000_000_000, "maximum": -0.005},
                              {"type": "string", "pattern": SIGNED_AMOUNT_TEXT, "not": {"pattern": ROUNDS_TO_ZERO}}],
                    "description": "not zero once rounded to cents; negative for a refund (with originalPaymentId)"}),
]
Quantity = Annotated[int, Field(ge=1, le=1_000_000), BeforeValidator(_no_bool)]

SYNONYMS = {"zippostalcode": "postalCode", "zip": "postalCode", "state": "stateProvince"}


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    @model_validator(mode="before")
    @classmethod
    def _match_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fields = {name.lower(): name for name in cls.model_fields}
        out: dict[str, Any] = {}
        for key, value in data.items():
            if not isinstance(key, str):
                continue
            low = key.lower()
            name = fields.get(low) or (SYNONYMS.get(low) if SYNONYMS.get(low) in cls.model_fields else None)
            if name and (name not in out or low == name.lower()):
                out[name] = value
        return out


class AddressIn(Body):
    name: Text | None = None
    address1: Name
    address2: Text | None = None
    city: Name
    stateProvince: Text | None = None
    postalCode: Text | None = None
    country: Annotated[str, StringConstraints(min_length=2, max_length=60), AfterValidator(_no_surrogates), _PLAIN] = (
        "US"
    )
    phone: Text | None = None
    email: Text | None = None


class LoginIn(Body):
    OrgCode: Code
    ClientId: Code
    ClientSecret: Annotated[str, StringConstraints(min_length=1, max_length=200)]


# --- carts -------------------------------------------------------------------------------

# The cart pages' bodies repeat the path's ids.  They are read-only in the schema (the path decides them):
# leave them out, or send the path's value; another value is refused with 400 naming the field.
def _echo(of: str) -> Any:
    return Field(
        default=None,
        json_schema_extra={
            "readOnly": True,
            "description": f"the path's {of}, repeated: may be left out; when sent it must equal the path's",
        },
    )


CustomerEcho = Annotated[Code | None, _echo("customerNumber")]
CartEcho = Annotated[Code | None, _echo("shoppingCartId")]
SkuEcho = Annotated[Code | None, _echo("sku (any case)")]


class CartCreateIn(Body):
    customerNumber: CustomerEcho = None
    sku: Code
    quantity: Quantity = 1
    orderType: Code = "Standard"


class CartItemIn(Body):
    customerNumber: CustomerEcho = None
    shoppingCartId: CartEcho = None
    sku: Code
    quantity: Quantity


class CartItemUpdateIn(Body):
    customerNumber: CustomerEcho = None
    shoppingCartId: CartEcho = None
    sku: SkuEcho = None
    quantity: Annotated[int, Field(ge=0, le=1_000_000), BeforeValidator(_no_bool)]


class CartShippingIn(Body):
    customerNumber: CustomerEcho = None
    shoppingCartId: CartEcho = None
    shippingAddress: AddressIn


class CartPoIn(Body):
    customerNumber: CustomerEcho = None
    shoppingCartId: CartEcho = None
    poNumber: Annotated[str, StringConstraints(max_length=100), AfterValidator(_no_surrogates), _PLAIN]


class CreditCardIn(Body):
    cardNumber: Annotated[str, StringConstraints(min_length=12, max_length=23, pattern=r"^[0-9 -]+$")]
    cardholderName: Name
    expiryMonth: Annotated[int, Field(ge=1, le=12), BeforeValidator(_no_bool)]
    expiryYear: Annotated[int, Field(ge=2000, le=2100), BeforeValidator(_no_bool)]
    cvv: Annotated[str, StringConstraints(pattern=r"^[0-9]{3,4}$")] | None = None


class PaymentIn(Body):
    billingAddress: AddressIn | None = None
    creditCard: CreditCardIn | None = None


class CheckoutIn(Body):
    customerNumber: CustomerEcho = None
    shoppingCartId: CartEcho = None
    channel: Code = "Web"
    orderType: Code | None = None
    payment: PaymentIn | None = None
    notes: Annotated[str, StringConstraints(max_length=4000), AfterValidator(_no_surrogates), _PLAIN] | None = None
    # The order's own terms, placed with the order in the one atomic checkout (docs/order-terms.md): the
    # Orders page's create-order fields `shippingDetails` (method, total), `tax` and the lifecycle page's
    # order-level `discount`, plus `lineDiscounts` (a discount per SKU of the cart).
    shippingDetails: ShippingDetailsIn | None = None
    tax: Amount | None = None
    discount: DiscountIn | None = None
    lineDiscounts: Annotated[list[LineDiscountIn], Field(max_length=1000)] | None = None


# --- orders ------------------------------------------------------------------------------


class OrderCustomerIn(Body):
    customerNumber: Code
    companyName: Text | None = None
    companyEmail: Text | None = None
    companyPhone: Text | None = None
    companyFax: Text | None = None
    billingAddress: AddressIn | None = None
    shippingAddress: AddressIn | None = None


class SalesRepRefIn(Body):
    repNumber: Code
    firstName: Text | None = None
    lastName: Text | None = None
    email: Text | None = None
    phoneNumber: Text | None = None


class UserIn(Body):
    userId: Text | None = None
    userType: Text | None = None


def _discount_type(value: Any) -> Any:
    """``"fixed"``/``"PERCENTAGE"`` -> the page's spelling; anything else is left for the Literal to refuse."""
    if isinstance(value, str):
        return {"fixed": "Fixed", "percentage": "Percentage"}.get(value.strip().lower(), value)
    return value


class DiscountIn(Body):
    """A discount (lifecycle page): ``Fixed`` = an amount off, ``Percentage`` = 0-100 percent off."""

    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"type": {"const": "Percentage"}}, "required": ["type"]},
        "then": {"properties": {"value": {"anyOf": [
            {"type": "number", "minimum": 0, "maximum": 100},
            {"type": "string", "pattern": r"^(100(\.0{1,20})?|[0-9]{1,2}(\.[0-9]{1,20})?)$"}]}}},
    })

    code: Text | None = None
    type: Annotated[Literal["Fixed", "Percentage"], BeforeValidator(_discount_type)]
    value: Amount
    description: Text | None = None

    @field_validator("value")
    @classmethod
    def _percent_at_most_100(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        if info.data.get("type") == "Percentage" and value > 100:
            raise ValueError("a Percentage discount is 0 to 100")
        return value


class OrderItemIn(Body):
    sku: Code
    productName: Text | None = None
    quantity: Quantity
    price: Amount | None = None
    # an amount off the line as given (older clients); a `discount` object takes precedence
    discountAmount: Amount | None = None
    discount: DiscountIn | None = None
    externalId: Text | None = None


class LineDiscountIn(Body):
    """A checkout's discount on one cart line."""

    sku: Code
    discount: DiscountIn


class ShippingDetailsIn(Body):
    method: Text | None = None
    total: Amount = Decimal(0)
    shippingAddress: AddressIn | None = None


class OrderCreateIn(Body):
    customer: OrderCustomerIn
    orderType: Code
    poNumber: Annotated[str, StringConstraints(max_length=100), AfterValidator(_no_surrogates), _PLAIN]
    priceTier: Code
    currencyCode: CurrencyCode
    primarySalesRep: SalesRepRefIn
    items: Annotated[list[OrderItemIn], Field(min_length=1, max_length=1000)]
    # required by the Orders page, yet the lifecycle page's example omits it: defaults to the token's user
    user: UserIn | None = None
    shippingDetails: ShippingDetailsIn | None = None
    takenBySalesRep: SalesRepRefIn | None = None
    terms: Text | None = None
    notes: Annotated[str, StringConstraints(max_length=4000), AfterValidator(_no_surrogates), _PLAIN] | None = None
    orderStatus: Code | None = None
    channel: Text | None = None
    externalId: Code | None = None
    tax: Amount | None = None
    originationCartId: Text | None = None
    orderNumber: Code | None = None
    orderDate: DateText | None = None
    discount: DiscountIn | None = None


class OrderShippingIn(Body):
    method: Name
    total: Amount
    shippingAddress: AddressIn | None = None


class OrderCustomerUpdateIn(Body):
    customerNumber: Code
    companyName: Name
    companyEmail: Text | None = None
    companyPhone: Text | None = None
    companyFax: Text | None = None
    billingAddress: AddressIn | None = None


# Not checked for an "@": the Orders page's own example addresses read "[email protected]" (obfuscated).
Email = Annotated[
    str,
    StringConstraints(min_length=3, max_length=254),
    AfterValidator(_no_surrogates),
    AfterValidator(_not_blank),
    _NONBLANK,
]


class EmailIn(Body):
    emailAddresses: Annotated[list[Email], Field(min_length=1, max_length=50)]


# --- customers and invoices --------------------------------------------------------------


class CustomerAddressIn(AddressIn):
    addressType: Annotated[str, StringConstraints(pattern=r"^(?i:shipping|billing)$")]
    default: bool = False


class CustomerIn(Body):
    customerNumber: Code
    companyName: Name
    companyEmail: Text | None = None
    companyPhone: Text | None = None
    companyFax: Text | None = None
    active: bool = True
    creditHold: bool = False
    repNumber: Code | None = None
    pricing: Code = "Retail"
    terms: Text | None = None
    currencyCode: CurrencyCode = "USD"
    creditLimit: Amount = Decimal(0)
    addresses: Annotated[list[CustomerAddressIn], Field(max_length=50)] | None = None


class InvoiceItemIn(Body):
    sku: Code
    quantity: Quantity


class InvoiceCreateIn(Body):
    status: Annotated[str, StringConstraints(pattern=r"^(?i:draft|issued)$")] = "Issued"
    items: Annotated[list[InvoiceItemIn], Field(min_length=1, max_length=1000)] | None = None
    notes: Text | None = None
    externalId: Text | None = None
    discount: DiscountIn | None = None  # invoice level (lifecycle page, "Discounts")


class InvoiceDiscountIn(Body):
    """``PUT /api/invoices/{id}/discount``: the invoice-level discount; null removes it."""

    discount: DiscountIn | None = None


# the offline payment methods (invoices.OFFLINE_METHODS), any case
PAYMENT_METHODS = ("Cheque", "Check", "EFT", "ACH", "Wire", "Cash", "CreditCard", "Other")
PaymentMethod = Annotated[Code, Field(json_schema_extra={"pattern": f"^\\s*(?i:{'|'.join(PAYMENT_METHODS)})\\s*$"})]


class PaymentRecordIn(Body):
    # a refund (negative amount) names the payment it refunds; a payment names none
    model_config = ConfigDict(
        json_schema_extra={
            "if": {
                "properties": {
                    "amount": {"anyOf": [{"type": "number", "maximum": 0}, {"type": "string", "pattern": "^-"}]}
                },
                "required": ["amount"],
            },
            "then": {"required": ["originalPaymentId"], "properties": {"originalPaymentId": {"type": "string"}}},
            "else": {"properties": {"originalPaymentId": {"type": "null"}}},
        }
    )
    amount: SignedAmount
    status: Annotated[str, StringConstraints(pattern=r"^(?i:completed|pending)$")] = "Completed"
    method: PaymentMethod | None = None
    paymentDate: DateText | None = None
    reference: Text | None = None
    notes: Text | None = None
    originalPaymentId: Code | None = None


class ReasonIn(Body):
    reason: Text | None = None


CheckoutIn.model_rebuild()  # its terms fields name models defined further down
