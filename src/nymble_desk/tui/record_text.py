"""Orders and invoices in short text (a date, a clipped cell, what a discount took off), for the orders,
order-detail, invoices and refund screens, so that none of them imports another."""

from __future__ import annotations

from typing import Any

from nymble_desk.sync.after_sales import money


def short_date(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else (str(value)[:10] if value else "-")


def clip(text: str | None, width: int) -> str:
    text = text or "-"
    return text if len(text) <= width else text[: width - 1] + "…"


def discount_text(owner: Any, currency: str | None) -> str:
    """``" · Discount SPRING Spring promotion (7.5%) -$56.91"`` for an order or invoice; "" when nothing is off.

    The amount is everything deducted (line and order-level discounts); the label is the order-level
    discount's code, description and rate, when one was given."""
    amount = getattr(owner, "discount_amount", None)
    if not amount:
        return ""
    given = getattr(owner, "discount", None)
    label = given.label(currency) if given is not None else ""
    return f" · Discount {label + ' ' if label else ''}-{money(amount, currency)}"
