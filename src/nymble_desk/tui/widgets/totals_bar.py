"""The one-line totals under the cart's lines: lines, items, subtotal, total."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from nymble_desk.domain.money import format_money


def totals_text(draft: Any) -> str:
    """Plain words for a draft's totals (no colour needed to read them)."""
    totals = draft.totals()
    items = sum(line.quantity for line in draft.lines)
    lines = len(draft.lines)
    return (
        f"Lines {lines}  Items {items}  "
        f"Subtotal {format_money(totals.subtotal, draft.currency)}  "
        f"TOTAL {format_money(totals.total, draft.currency)}"
    )


class TotalsBar(Static):
    """Shows a draft's totals; call :meth:`show_draft` after each change."""

    DEFAULT_CSS = """
    TotalsBar {
        height: 1;
        width: 1fr;
        padding: 0 1;
        text-style: bold;
        background: $boost;
    }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(*args, **kwargs)

    def show_draft(self, draft: Any) -> None:
        self.update(totals_text(draft))
