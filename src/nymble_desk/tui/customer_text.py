"""The customer's facts in plain words (flags, addresses, amounts, order labels), for the panel and its brief.

No Textual here: both customer widgets and the screens that show an address read these.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from nymble_desk.domain.money import format_money


def first_attr(obj: Any, *names: str, default: Any = None) -> Any:
    """The first of ``names`` that ``obj`` holds (not None), else ``default``."""
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return default


def money_text(value: Any, currency: str) -> str:
    if value is None:
        return "-"
    return format_money(Decimal(str(value)), currency)


_money = money_text


def open_due(invoices: list[Any]) -> Decimal:
    """What the open invoices still ask for."""
    return sum(
        (Decimal(str(first_attr(i, "balance_due", "amount_due", "balance", "total", default=0))) for i in invoices),
        Decimal(0),
    )


def format_address(address: Any) -> str:
    if address is None:
        return "-"
    region = " ".join(p for p in (first_attr(address, "state_province"),
                                  first_attr(address, "postal_code", "zip_postal_code")) if p)
    parts = [
        first_attr(address, "address1"),
        first_attr(address, "address2"),
        first_attr(address, "city"),
        region,
        first_attr(address, "country"),
    ]
    return ", ".join(str(p) for p in parts if p)


def default_address(customer: Any, kind: str) -> Any:
    addresses = [a for a in (first_attr(customer, "addresses", default=()) or ())
                 if first_attr(a, "address_type") == kind]
    for address in addresses:
        if first_attr(address, "default", "is_default"):
            return address
    return addresses[0] if addresses else None


def customer_flags(customer: Any) -> list[str]:
    """Plain-word flags: INACTIVE, ON HOLD (never colour alone)."""
    flags = []
    if first_attr(customer, "active", default=True) is False:
        flags.append("INACTIVE")
    if first_attr(customer, "credit_hold", default=False):
        flags.append("ON HOLD")
    return flags


def summary_text(summary: Any) -> str:
    c = summary.customer
    currency = first_attr(c, "currency_code", default="USD")
    flags = customer_flags(c)
    head = f"{first_attr(c, 'company_name', default='')} ({first_attr(c, 'customer_number', default='')})"
    invoices = list(first_attr(summary, "open_invoices", default=()) or ())
    due = open_due(invoices)
    lines = [
        head + (f"  {' / '.join(flags)}" if flags else ""),
        f"Terms {first_attr(c, 'terms', default='-')} · "
        f"Tier {first_attr(c, 'pricing', 'price_tier', default='-')} · {currency}",
        # one amount a line: at 40 columns a label and its amount are never split by a wrap
        f"Credit limit {_money(first_attr(c, 'credit_limit'), currency)}",
        f"Balance {_money(first_attr(c, 'balance'), currency)}",
        *_available(summary, currency),
        f"Open invoices {len(invoices)}" + (f" ({_money(due, currency)} due)" if invoices else ""),
        f"Ship-to {format_address(default_address(c, 'Shipping'))}",
        f"Bill-to {format_address(default_address(c, 'Billing'))}",
    ]
    return "\n".join(lines)


def _available(summary: Any, currency: str) -> list[str]:
    """``["Available $1,090.75"]``: limit - balance - open orders not yet invoiced (sync.desk.credit_of)."""
    from nymble_desk.sync.desk import credit_of

    try:
        available = credit_of(summary).available
    except (AttributeError, TypeError):
        return []
    return [] if available is None else [f"Available {_money(available, currency)}"]


def order_label(order: Any) -> str:
    number = first_attr(order, "order_number", "id", default="?")
    when = first_attr(order, "order_date", "created_at", "created", default=None)
    day = when.strftime("%Y-%m-%d") if hasattr(when, "strftime") else (str(when)[:10] if when else "")
    currency = first_attr(order, "currency_code", default="USD")
    total = first_attr(order, "order_total", "total", default=None)
    po = first_attr(order, "po_number", default=None)
    parts = [str(number), day, _money(total, currency) if total is not None else "", f"PO {po}" if po else ""]
    return "  ".join(p for p in parts if p)
