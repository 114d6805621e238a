"""The one-line totals under the cart's lines: lines, items, subtotal, total, and credit.

The line is never cut: when the widest wording does not fit, words give way
(the available credit, subtotal, then items, then lines) and the total is always
shown whole.  Over the customer's available credit, or on hold, a "!" flag in words
(``! OVER CREDIT $409.25``, ``! ON HOLD``) stays as long as it fits beside the total.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from nymble_desk.domain.credit import Credit
from nymble_desk.domain.money import format_money


def credit_words(credit: Credit | None, total: Any, currency: str) -> tuple[str, str]:
    """(the flag that must stay, the available credit that may go): ``("! OVER CREDIT $409.25", "")``."""
    if credit is None or credit.limit is None:
        return ("! ON HOLD", "") if credit is not None and credit.on_hold else ("", "")
    over = credit.over_by(total)
    flags = [f for f in ("! ON HOLD" if credit.on_hold else "",
                         f"! OVER CREDIT {format_money(over, currency)}" if over > 0 else "") if f]
    available = credit.available if credit.available is not None else 0
    return "  ".join(flags), f"Credit avail {format_money(available, currency)}"


def totals_variants(draft: Any, credit: Credit | None = None) -> list[str]:
    """The totals of ``draft`` in plain words, from the fullest wording to the shortest."""
    totals = draft.totals()
    items = sum(line.quantity for line in draft.lines)
    lines = len(draft.lines)
    total = f"TOTAL {format_money(totals.total, draft.currency)}"
    subtotal = f"Subtotal {format_money(totals.subtotal, draft.currency)}"
    flag, available = credit_words(credit, totals.total, draft.currency)
    plain = [
        f"Lines {lines}  Items {items}  {subtotal}  {total}",
        f"Lines {lines}  Items {items}  {total}",
        f"Lines {lines}  {total}",
        total,
    ]
    if flag:
        return [f"{flag}  {v}" for v in plain] + [*plain, format_money(totals.total, draft.currency)]
    with_credit = [f"{available}  {v}" for v in plain[:2]] if available else []
    return [*with_credit, *plain, format_money(totals.total, draft.currency)]


def totals_text(draft: Any, width: int | None = None, credit: Credit | None = None,
                note: str | None = None) -> str:
    """The fullest wording of the totals that fits ``width`` cells (all of it when None). A ``note``
    (the stock's words) goes first while it fits beside the total; it gives way before the total does,
    and so does the credit's."""
    variants = totals_variants(draft, credit)
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
        self._credit: Credit | None = None
        self._note: str | None = None

    def show_draft(self, draft: Any, note: str | None = None) -> None:
        """Show ``draft``'s totals, with ``note`` (e.g. "! 1 over stock, as of 2 min") before them while it fits."""
        self._draft, self._note = draft, note
        self.refresh()

    def show_credit(self, credit: Credit | None) -> None:
        """The customer's credit (from its summary); None: not known."""
        self._credit = credit
        self.refresh()

    @property
    def total_text(self) -> str:
        return format_money(self._draft.totals().total, self._draft.currency) if self._draft is not None else ""

    @property
    def text(self) -> str:
        """What the bar shows now."""
        if self._draft is None:
            return ""
        return totals_text(self._draft, self.content_region.width or None, self._credit, self._note)

    def render(self) -> Content:
        return Content(self.text)  # plain text: a name or amount is never read as markup
