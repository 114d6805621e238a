"""The invoice and payment state machine of the lifecycle page (seeds/003), as one table.

``TABLE[(status, operation)]`` is either :class:`Allowed` (the status it leads to, or
``SETTLE``: recomputed from the invoice's completed payments) or :class:`Refused`
(the reason, in the page's words).  Every route that changes an invoice asks
:func:`decide` first; nothing else in the sandbox knows the rules.

Statuses (the page's "Invoice status states"): Draft, Issued, PartiallyPaid, Paid,
Voided, Cancelled.  Operations: ``issue`` (Draft -> Issued), ``pay`` (record a
payment, Completed or Pending), ``complete`` (a Pending payment completes: the
provider's webhook), ``refund`` (a negative payment against an original),
``discount`` (set the invoice-level discount), ``void`` and ``cancel``.

``SETTLE`` reads the page's definitions literally (docs/lifecycle.md says why):
Paid when the completed payments cover the total (Balance = 0); PartiallyPaid when
one or more payments are recorded but Balance > 0, which includes an invoice whose
payments were all refunded; Issued only while no payment has completed.  A Pending
payment counts for nothing until it completes.
"""

from __future__ import annotations

from dataclasses import dataclass

from nymble_desk.sandbox.errors import conflict

STATUSES: tuple[str, ...] = ("Draft", "Issued", "PartiallyPaid", "Paid", "Voided", "Cancelled")
OPERATIONS: tuple[str, ...] = ("issue", "pay", "complete", "refund", "discount", "void", "cancel")
SETTLE = "settle"
#: Still expecting money: counted in the customer's balance (accounts receivable).
RECEIVABLE: tuple[str, ...] = ("Issued", "PartiallyPaid")


@dataclass(frozen=True)
class Allowed:
    to: str  # a status, or SETTLE
    #: refuse with this reason while the invoice holds money (completed net or pending payments)
    unless_money_held: str | None = None


@dataclass(frozen=True)
class Refused:
    reason: str  # formatted with {invoice} and {status}


_FINAL = "{invoice} is {status}; voids and cancels are permanent and cannot be undone."
_NOT_ISSUED = "{invoice} is a Draft: issue it to the customer first."
_REFUND_FIRST = "{invoice} is {status}: refund its payments first."
_NO_PENDING = "{invoice} is {status}; it has no pending payment to complete."
_DISCOUNT_SENT = "{invoice} is {status}: it was sent to the customer, so its discount is fixed."

TABLE: dict[tuple[str, str], Allowed | Refused] = {
    # -- Draft: created, not yet sent to the customer
    ("Draft", "issue"): Allowed("Issued"),
    ("Draft", "pay"): Refused(_NOT_ISSUED),
    ("Draft", "complete"): Refused(_NO_PENDING),
    ("Draft", "refund"): Refused("{invoice} is a Draft; it has no payments to refund."),
    ("Draft", "discount"): Allowed("Draft"),
    ("Draft", "void"): Allowed("Voided"),
    ("Draft", "cancel"): Allowed("Cancelled"),
    # -- Issued: payment is expected
    ("Issued", "issue"): Refused("{invoice} is already Issued."),
    ("Issued", "pay"): Allowed(SETTLE),
    ("Issued", "complete"): Allowed(SETTLE),
    ("Issued", "refund"): Refused("{invoice} is Issued; no payment has completed, so there is nothing to refund."),
    ("Issued", "discount"): Refused(_DISCOUNT_SENT),
    ("Issued", "void"): Allowed("Voided", unless_money_held="{invoice} has a pending payment; it cannot be voided "
                                                          "until that payment completes or is refunded."),
    ("Issued", "cancel"): Allowed("Cancelled", unless_money_held="{invoice} has a pending payment; it cannot be "
                                                                "cancelled until that payment completes."),
    # -- PartiallyPaid: one or more payments recorded, Balance > 0
    ("PartiallyPaid", "issue"): Refused("{invoice} is already issued (PartiallyPaid)."),
    ("PartiallyPaid", "pay"): Allowed(SETTLE),
    ("PartiallyPaid", "complete"): Allowed(SETTLE),
    ("PartiallyPaid", "refund"): Allowed(SETTLE),
    ("PartiallyPaid", "discount"): Refused(_DISCOUNT_SENT),
    ("PartiallyPaid", "void"): Refused("{invoice} is PartiallyPaid: only unpaid (Draft or Issued) invoices can be "
                                       "voided. Refund its payments, then cancel it to keep the record."),
    ("PartiallyPaid", "cancel"): Allowed("Cancelled", unless_money_held=_REFUND_FIRST),
    # -- Paid: Balance = 0
    ("Paid", "issue"): Refused("{invoice} is already issued (Paid)."),
    ("Paid", "pay"): Refused("{invoice} is paid in full; nothing is due."),
    ("Paid", "complete"): Refused(_NO_PENDING),
    ("Paid", "refund"): Allowed(SETTLE),
    ("Paid", "discount"): Refused(_DISCOUNT_SENT),
    ("Paid", "void"): Refused("{invoice} is Paid: only unpaid (Draft or Issued) invoices can be voided. "
                              "Refund its payments instead."),
    ("Paid", "cancel"): Refused(_REFUND_FIRST),
    # -- Voided: removed from accounts receivable, as if the obligation never existed
    **{("Voided", op): Refused(_FINAL if op in ("void", "cancel") else "{invoice} is Voided; it takes no " + what)
       for op, what in (("issue", "changes."), ("pay", "payments."), ("complete", "payments."),
                        ("refund", "refunds."), ("discount", "changes."), ("void", ""), ("cancel", ""))},
    # -- Cancelled: inactive, the record kept for audit and reporting
    **{("Cancelled", op): Refused(_FINAL if op in ("void", "cancel") else "{invoice} is Cancelled; it takes no " + what)
       for op, what in (("issue", "changes."), ("pay", "payments."), ("complete", "payments."),
                        ("refund", "refunds."), ("discount", "changes."), ("void", ""), ("cancel", ""))},
}


def decide(invoice_number: str, status: str, operation: str, *, money_held: bool = False) -> str:
    """The status ``operation`` leads to (or ``SETTLE``); else 409 ``Status`` with the table's reason."""
    cell = TABLE[(status, operation)]
    if isinstance(cell, Refused):
        raise conflict(cell.reason.format(invoice=invoice_number, status=status), "Status")
    if money_held and cell.unless_money_held:
        raise conflict(cell.unless_money_held.format(invoice=invoice_number, status=status), "Status")
    return cell.to


def settled(total: int, completed: int, any_completed: bool) -> str:
    """Issued / PartiallyPaid / Paid from the completed payments (minor units, refunds netted)."""
    if any_completed and completed >= total:
        return "Paid"
    if any_completed:
        return "PartiallyPaid"
    return "Issued"
