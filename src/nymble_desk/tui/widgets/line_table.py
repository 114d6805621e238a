"""The cart's lines as a DataTable keyed by SKU, updated in place.

Each row shows SKU, name, quantity, the unit price at the customer's tier, the
product's minimum/increment rule, the line total and, when a cheaper tier break
lies above the quantity, a hint such as "48+ at $11.75". Keys (enter, delete,
+, -) post messages; the screen owns the changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from nymble_desk.domain.money import format_money
from nymble_desk.domain.pricing import TierPrice, next_break
from nymble_desk.tui.keymap import LINE_TABLE_BINDINGS


def rule_text(minimum: int, increment: int) -> str:
    """A short MOQ/increment hint: "min 10 x10", "min 25", "x6", or ""."""
    parts = []
    if minimum > 1:
        parts.append(f"min {minimum}")
    if increment > 1:
        parts.append(f"x{increment}")
    return " ".join(parts)


def break_hint(line: Any, tier: str | None, currency: str) -> str:
    """ "48+ at $11.75" when a cheaper break exists above the line's quantity."""
    raw: Iterable[Any] = getattr(line, "tier_prices", ()) or ()
    prices = []
    for entry in raw:
        if isinstance(entry, TierPrice):
            prices.append(entry)
        else:
            t, price, at = entry
            prices.append(TierPrice(t, Decimal(str(price)), int(at)))
    found = next_break(prices, tier, line.quantity, list_price=getattr(line, "list_price", None))
    if found is None:
        return ""
    return f"{found.at_quantity}+ at {format_money(found.price, currency)}"


class LineTable(DataTable):
    """Cart lines, one row per SKU. ``read_only`` tables (checkout review) take no edit keys."""

    BINDINGS = LINE_TABLE_BINDINGS

    DEFAULT_CSS = """
    LineTable {
        height: 1fr;
    }
    """

    @dataclass
    class EditQuantity(Message):
        """enter on a row: the rep wants to type a new quantity."""

        table: "LineTable"
        sku: str

        @property
        def control(self) -> "LineTable":
            return self.table

    @dataclass
    class Remove(Message):
        table: "LineTable"
        sku: str

        @property
        def control(self) -> "LineTable":
            return self.table

    @dataclass
    class Step(Message):
        """+/-: change the quantity by ``steps`` increments."""

        table: "LineTable"
        sku: str
        steps: int

        @property
        def control(self) -> "LineTable":
            return self.table

    # (label, key, width); None = sized to content. Fits 80 columns with typical data.
    COLUMNS = (
        ("SKU", "sku", None),
        ("Name", "name", 16),
        ("Qty", "qty", None),
        ("Unit", "unit", None),
        ("Rule", "rule", None),
        ("Total", "total", None),
        ("Next break", "hint", None),
    )

    def __init__(self, *, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.read_only = read_only

    def on_mount(self) -> None:
        for label, key, width in self.COLUMNS:
            self.add_column(label, key=key, width=width)

    # -- showing a draft ---------------------------------------------------------
    RIGHT = ("qty", "unit", "total")

    def _cells(self, line: Any, draft: Any) -> dict[str, Text]:
        """Cells as plain Text (a name with "[" is not markup); numbers right-aligned."""
        currency = draft.currency
        raw = {
            "sku": line.sku,
            "name": (line.name or "")[:16],
            "qty": str(line.quantity),
            "unit": format_money(line.unit_price, currency),
            "rule": rule_text(line.minimum, line.increment),
            "total": format_money(line.unit_price * line.quantity, currency),
            "hint": break_hint(line, draft.price_tier, currency),
        }
        return {k: Text(v, justify="right" if k in self.RIGHT else "left") for k, v in raw.items()}

    def show_draft(self, draft: Any) -> None:
        """Bring the rows in step with ``draft``: update changed cells, add and remove rows."""
        wanted = {line.sku for line in draft.lines}
        for key in [k for k in self.rows if k.value not in wanted]:
            self.remove_row(key)
        for line in draft.lines:
            cells = self._cells(line, draft)
            if line.sku in self.rows:
                row = self.get_row(line.sku)
                for (_, column, _), old in zip(self.COLUMNS, row):
                    if old != cells[column]:
                        self.update_cell(line.sku, column, cells[column])
            else:
                self.add_row(*(cells[c] for _, c, _ in self.COLUMNS), key=line.sku)

    def select_sku(self, sku: str) -> None:
        if sku in self.rows:
            self.move_cursor(row=self.get_row_index(sku))

    @property
    def current_sku(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:  # no rows / cursor out of range
            return None
        return key.value

    # -- keys ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_quantity", "remove_line", "step"):
            if self.read_only:
                return False
            return True if self.row_count else None
        return super().check_action(action, parameters)

    def action_edit_quantity(self) -> None:
        if (sku := self.current_sku) is not None:
            self.post_message(self.EditQuantity(self, sku))

    def action_remove_line(self) -> None:
        if (sku := self.current_sku) is not None:
            self.post_message(self.Remove(self, sku))

    def action_step(self, steps: int) -> None:
        if (sku := self.current_sku) is not None:
            self.post_message(self.Step(self, sku, steps))
