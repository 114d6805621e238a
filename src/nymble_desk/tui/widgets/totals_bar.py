"""The one-line totals under the cart's lines: lines, items, subtotal, total.

The line is never cut: when the widest wording does not fit, words give way
(subtotal, then items, then lines) and the total is always shown whole.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from nymble_desk.domain.money import format_money


def totals_variants(draft: Any) -> list[str]:
    """The totals of ``draft`` in plain words, from the fullest wording to the shortest."""
    totals = draft.totals()
    items = sum(line.quantity for line in draft.lines)
    lines = len(draft.lines)
    total = f"TOTAL {format_money(totals.total, draft.currency)}"
    subtotal = f"Subtotal {format_money(totals.subtotal, draft.currency)}"
    return [
        f"Lines {lines}  Items {items}  {subtotal}  {total}",
        f"Lines {lines}  Items {items}  {total}",
        f"Lines {lines}  {total}",
        total,
        format_money(totals.total, draft.currency),
    ]


def totals_text(draft: Any, width: int | None = None, note: str | None = None) -> str:
    """The fullest wording of the totals that fits ``width`` cells (all of it when None). A ``note``
    (the stock's words) goes first while it fits beside the total; it gives way before the total does."""
    variants = totals_variants(draft)
    if note:
        variants = [f"{note} · {text}" for text in variants[1:4]] + variants
    if width is None:
        return variants[0]
    for text in variants:
        if cell_len(text) <= width:
            return text
    return variants[-1]


class TotalsBar(Widget):
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
        super().__init__(*args, **kwargs)
        self._draft: Any = None
        self._note: str | None = None

    def show_draft(self, draft: Any, note: str | None = None) -> None:
        """Show ``draft``'s totals, with ``note`` (e.g. "! 1 over stock, as of 2 min") before them while it fits."""
        self._draft, self._note = draft, note
        self.refresh()

    @property
    def text(self) -> str:
        """What the bar shows now."""
        if self._draft is None:
            return ""
        return totals_text(self._draft, self.content_region.width or None, self._note)

    def render(self) -> Content:
        return Content(self.text)  # plain text: a name or amount is never read as markup
