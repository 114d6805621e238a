"""The cart's lines as a DataTable keyed by SKU, updated in place.

Each row shows SKU, name, quantity, the unit price at the customer's tier, the
product's minimum/increment rule, the line total and, when a cheaper tier break
lies above the quantity, a hint such as "48+ at $11.75". Keys (enter, delete,
+, -) post messages; the screen owns the changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable, Mapping, Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from nymble_desk.domain.money import format_money
from nymble_desk.domain.pricing import TierPrice, next_break
from nymble_desk.tui.keymap import LINE_TABLE_BINDINGS
from nymble_desk.tui.stock_text import stock_cell
from nymble_desk.tui.widgets.fit_table import Col, fit_text, plan_columns

if TYPE_CHECKING:
    from nymble_desk.sync.history import StockLevel


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


#: the cart's columns: the numbers and the SKU that names them whole, the hints whole or left out
#: (the break hint first), the name gives way (see :func:`plan_columns`)
LINE_COLS = (
    Col("sku", "SKU", "whole"),
    Col("name", "Name", "text"),
    Col("qty", "Qty", "number"),
    Col("stock", "Stock", "number"),  # on hand from the index ("20!" when the line asks for more)
    Col("unit", "Unit", "number"),
    Col("rule", "Rule", "optional"),
    Col("total", "Total", "number"),
    Col("hint", "Next break", "optional"),
    Col("last", "Last paid", "optional"),  # this customer's last price and its date
)
#: the columns only shown when the table was given their figures
FED_COLS = ("stock", "last")


def line_cols(rows: Sequence[dict[str, str]]) -> tuple[Col, ...]:
    """The columns for these rows: the fed ones (stock, last paid) only when some row has a figure for them."""
    return tuple(c for c in LINE_COLS if c.key not in FED_COLS or any(r.get(c.key) for r in rows))


def plan_widths(rows: Sequence[dict[str, str]], room: int, padding: int = 1) -> dict[str, int]:
    """Column widths (by key) for ``rows`` of cell texts within ``room`` cells (see :func:`plan_columns`)."""
    return plan_columns(line_cols(rows), rows, room, gap=2 * padding)


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

        table: LineTable
        sku: str

        @property
        def control(self) -> LineTable:
            return self.table

    @dataclass
    class Remove(Message):
        table: LineTable
        sku: str

        @property
        def control(self) -> LineTable:
            return self.table

    @dataclass
    class Step(Message):
        """+/-: change the quantity by ``steps`` increments."""

        table: LineTable
        sku: str
        steps: int

        @property
        def control(self) -> LineTable:
            return self.table

    # (label, key) in display order; widths come from :func:`plan_widths`
    COLUMNS = tuple((c.label, c.key) for c in LINE_COLS)
    RIGHT = tuple(c.key for c in LINE_COLS if c.right)

    def __init__(self, *, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.read_only = read_only
        self._draft: Any = None
        self._widths: dict[str, int] = {}  # the columns on screen now, by key
        self._stock: Mapping[str, StockLevel] = {}  # on hand by SKU (the stock column shows when any is known)
        self._last: Mapping[str, str] = {}  # "last paid" words by SKU (the column shows when any is known)

    def feed(self, *, stock: Mapping[str, StockLevel] | None = None,
             last_paid: Mapping[str, str] | None = None) -> None:
        """Give the table the stock and last-paid figures it shows beside the lines (from the next
        :meth:`show_draft` on)."""
        if stock is not None:
            self._stock = stock
        if last_paid is not None:
            self._last = last_paid

    # -- showing a draft ---------------------------------------------------------
    @staticmethod
    def texts(line: Any, draft: Any) -> dict[str, str]:
        """Every cell of ``line`` as plain text, whole (the name is cut only when drawn)."""
        currency = draft.currency
        return {
            "sku": line.sku,
            "name": line.name or "",
            "qty": str(line.quantity),
            "unit": format_money(line.unit_price, currency),
            "rule": rule_text(line.minimum, line.increment),
            "total": format_money(line.unit_price * line.quantity, currency),
            "hint": break_hint(line, draft.price_tier, currency),
        }

    def _room(self) -> int:
        """Columns the cells may use: the table's width less the vertical scrollbar's column."""
        width = self.size.width or self.app.size.width
        return max(0, width - self.styles.scrollbar_size_vertical)

    def _cell(self, key: str, text: str) -> Text:
        if key == "name":
            text = fit_text(text, self._widths.get("name", 0))
        return Text(text, justify="right" if key in self.RIGHT else "left")

    def _row_texts(self, line: Any, draft: Any) -> dict[str, str]:
        cells = self.texts(line, draft)
        cells["stock"] = stock_cell(self._stock.get(line.sku), line.quantity)
        cells["last"] = self._last.get(line.sku, "")
        return cells

    def show_draft(self, draft: Any) -> None:
        """Bring the rows in step with ``draft``; when a value no longer fits its column (or the
        table was resized) the columns are laid out again, so a number is never cut."""
        self._draft = draft
        rows = [(line.sku, self._row_texts(line, draft)) for line in draft.lines]
        widths = plan_widths([cells for _, cells in rows], self._room(), self.cell_padding)
        wanted = {sku for sku, _ in rows}
        kept = [k.value for k in self.rows if k.value in wanted]
        in_order = kept + [sku for sku, _ in rows if sku not in kept] == [sku for sku, _ in rows]
        if widths != self._widths or not self.columns or not in_order:
            self._rebuild(widths, rows)  # rows in the draft's order, so none jumps on a later rebuild
            return
        for key in [k for k in self.rows if k.value not in wanted]:
            self.remove_row(key)
        shown = [key for _, key in self.COLUMNS if key in widths]
        for sku, texts in rows:
            cells = {key: self._cell(key, texts[key]) for key in shown}
            if sku in self.rows:
                for column, old in zip(shown, self.get_row(sku), strict=False):
                    if old != cells[column]:
                        self.update_cell(sku, column, cells[column])
            else:
                self.add_row(*(cells[key] for key in shown), key=sku)

    def _rebuild(self, widths: dict[str, int], rows: list[tuple[str, dict[str, str]]]) -> None:
        """Lay the columns out again at ``widths`` (public DataTable calls; the cursor stays put)."""
        row, scroll = self.cursor_row, self.scroll_y
        self.clear(columns=True)
        self._widths = widths
        for label, key in self.COLUMNS:
            if key in widths:
                self.add_column(Text(label, justify="right" if key in self.RIGHT else "left"),
                                key=key, width=widths[key])
        for sku, texts in rows:
            self.add_row(*(self._cell(key, texts[key]) for _, key in self.COLUMNS if key in widths), key=sku)
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)
            self.scroll_to(y=scroll, animate=False)

    def on_resize(self, _event: events.Resize) -> None:
        if self._draft is not None:
            self.show_draft(self._draft)

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
