"""The customer panel in three lines, for 80x24: terms, credit, balance, open invoices, ship-to.

Each line is made of parts that are shown whole or left out (the first part of a line
always shows); only the ship-to address, which is text, is cut with "…". The full panel
(addresses, last orders with reorder) opens with the cart's customer-panel key.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from nymble_desk.tui.widgets.line_table import fit_text


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return default


def join_fitting(parts: list[str], width: int, sep: str = " · ") -> str:
    """``parts`` joined while they fit ``width`` cells whole; the first part is always kept."""
    text = parts[0] if parts else ""
    for part in parts[1:]:
        if cell_len(text + sep + part) > width:
            break
        text += sep + part
    return text


def brief_lines(summary: Any, width: int) -> list[str]:
    """Three lines for ``summary`` (a ``CustomerSummary``) within ``width`` cells."""
    from nymble_desk.tui.widgets.customer_panel import (customer_flags, default_address, format_address,
                                                         money_text, open_due)

    c = summary.customer
    currency = _get(c, "currency_code", default="USD")
    invoices = list(_get(summary, "open_invoices", default=()) or ())
    flags = customer_flags(c)
    first = [" / ".join(flags)] if flags else []
    first += [f"Terms {_get(c, 'terms', default='-')}",
              f"Credit {money_text(_get(c, 'credit_limit'), currency)}",
              f"Balance {money_text(_get(c, 'balance'), currency)}",
              f"Tier {_get(c, 'pricing', 'price_tier', default='-')}"]
    second = [f"Open invoices {len(invoices)}" + (f" ({money_text(open_due(invoices), currency)} due)"
                                                  if invoices else "")]
    recent = list(_get(summary, "recent_orders", default=()) or ())
    if recent:
        last = recent[0]
        total = _get(last, "order_total", "total")
        second.append(f"Last order {_get(last, 'order_number', 'id', default='?')}"
                      + (f" {money_text(total, currency)}" if total is not None else ""))
    ship_to = fit_text(f"Ship-to {format_address(default_address(c, 'Shipping'))}", width)
    return [join_fitting(first, width), join_fitting(second, width), ship_to]


class CustomerBrief(Widget):
    """Draws :func:`brief_lines` for the width it has; call :meth:`show_summary`."""

    DEFAULT_CSS = """
    CustomerBrief { height: 3; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary: Any = None
        self.placeholder = "Loading…"

    def show_summary(self, summary: Any) -> None:
        self.summary = summary
        self.refresh()

    def say(self, text: str) -> None:
        self.summary = None
        self.placeholder = text
        self.refresh()

    @property
    def lines(self) -> list[str]:
        if self.summary is None:
            return [self.placeholder]
        return brief_lines(self.summary, self.content_region.width or 76)

    def render(self) -> Content:
        return Content("\n".join(self.lines))
