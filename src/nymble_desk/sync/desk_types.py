"""What the Desk hands up and takes in, besides drafts: who signed in, a customer's summary and credit,
a checkout's input and outcome, an earlier use of a PO, a queued order that landed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from nymble_desk.domain.credit import Credit
from nymble_desk.sync.cards import CardDetails


@dataclass(frozen=True)
class Identity:
    org_code: str | None
    role: str | None
    rep_number: str | None
    user_id: str | None
    customer_number: str | None = None  # addition: set for Customer tokens


#: the last orders a customer summary shows (the panel's, to reorder from)
RECENT_ORDERS = 5


@dataclass(frozen=True)
class CustomerSummary:
    customer: Any  # api.models.Customer
    open_invoices: list[Any] = field(default_factory=list)
    #: every order the summary read, newest first: the credit counts them all
    orders: list[Any] = field(default_factory=list)

    @property
    def recent_orders(self) -> list[Any]:
        """The newest few of ``orders``, for the panel to show."""
        return self.orders[:RECENT_ORDERS]


NOT_YET_INVOICED = {"notinvoiced", "partiallyinvoiced"}


def credit_of(summary: CustomerSummary) -> Credit:
    """The customer's credit as the API tells it: ``creditLimit``, ``balance`` and ``creditHold`` of the
    customer, less the not-yet-invoiced part (``orderTotal - invoiceSummary.invoicedTotal``) of the open
    (not cancelled) orders among the orders the summary read (the last ``HISTORY_ORDERS``, not only the
    few the panel shows)."""
    customer = summary.customer
    uninvoiced = Decimal(0)
    for order in summary.orders:
        invoiced = order.invoice_summary
        if invoiced is None or str(order.order_status or "").lower() in ("cancelled", "canceled"):
            continue
        if invoiced.status.lower() in NOT_YET_INVOICED and order.order_total is not None:
            uninvoiced += max(Decimal(0), order.order_total - (invoiced.invoiced_total or Decimal(0)))
    return Credit(limit=customer.credit_limit, balance=customer.balance or Decimal(0), uninvoiced=uninvoiced,
                  on_hold=bool(customer.credit_hold), currency=customer.currency_code or "USD")


@dataclass(frozen=True)
class CheckoutInput:
    channel: str = "Phone"
    billing: dict[str, Any] | None = None
    card: CardDetails | None = field(default=None, repr=False)
    use_terms: bool = False
    #: "Assisted" when a rep takes the order for the customer (trade show, covering rep); None: the cart's type
    order_type: str | None = None
    #: Why the rep placed it over the customer's credit (or on hold): added to the order's notes
    credit_note: str | None = None


@dataclass(frozen=True)
class CheckoutOutcome:
    state: Literal["placed", "queued", "failed"]
    order_number: str | None = None
    confirmation_id: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class PoUse:
    """An earlier order of the customer with the same PO; both None when only the offline index knew."""

    order_number: str | None
    order_date: datetime | None


@dataclass(frozen=True)
class Landed:
    """A queued checkout that a sync has placed: the rep is told its order number."""

    draft_id: str
    order_number: str
    customer_number: str
    customer_name: str
