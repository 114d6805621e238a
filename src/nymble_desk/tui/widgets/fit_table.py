"""Tables whose number columns are always as wide as their widest value.

Every table that shows quantities or money lays its columns out with :func:`plan_columns`:
numbers (and the codes that name a row) are never cut; optional hints are shown whole or
left out; text columns (names, references) share what is left and are cut with "…".
:class:`FitTable` is a DataTable that lays itself out that way on every fill and resize.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.widgets import DataTable

#: number: right-aligned, never cut · whole: left-aligned, never cut · optional: whole or left out
#: (in the order given, while the text columns keep TEXT_MIN cells) · text: gets what is left, cut with "…"
Kind = Literal["number", "whole", "optional", "text"]

#: a text column keeps at least this many cells (or its longest value) before an optional column is left out
TEXT_MIN = 8
#: a text column narrower than this is left out rather than shown as a stub
TEXT_SHOWN = 3


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    kind: Kind = "text"

    @property
    def right(self) -> bool:
        return self.kind == "number"


def fit_text(text: str, width: int) -> str:
    """``text`` within ``width`` cells, cut with "…" when longer."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…" if width > 1 else ""


def plan_columns(cols: Sequence[Col], rows: Sequence[dict[str, str]], room: int, gap: int = 2) -> dict[str, int]:
    """Content widths (by key) of ``cols`` for ``rows`` of cell texts within ``room`` cells, each column
    costing ``gap`` more cells. Numbers and whole columns take their widest value (or label) always;
    then optional columns are added whole while the text columns keep ``TEXT_MIN`` cells each; the
    text columns share what is left, none wider than its longest value. A left-out column is not in the result."""

    def natural(col: Col) -> int:
        return max([cell_len(col.label)] + [cell_len(r.get(col.key, "")) for r in rows])

    widths = {c.key: natural(c) for c in cols if c.kind in ("number", "whole")}
    left = room - sum(w + gap for w in widths.values())
    texts = [c for c in cols if c.kind == "text"]
    keep = sum(min(natural(c), TEXT_MIN) + gap for c in texts)
    for col in (c for c in cols if c.kind == "optional"):
        need = natural(col) + gap
        if left - need >= keep:
            widths[col.key] = natural(col)
            left -= need
    # the text columns share the rest: the narrowest first, each at most its natural width
    share = left - gap * len(texts)
    ordered = sorted(texts, key=natural)
    for i, col in enumerate(ordered):
        width = min(natural(col), share // (len(ordered) - i)) if share > 0 else 0
        if width >= min(TEXT_SHOWN, natural(col)) and width > 0:
            widths[col.key] = width
            share -= width
        else:
            share += gap  # a left-out column's gap goes to the others
    return widths


class FitTable(DataTable[Any]):
    """A DataTable filled whole with :meth:`show_rows`: its columns are planned from the rows and the
    width it has, and planned again when it is resized. A cell holds its whole text; a text column
    too narrow for it draws it cut with "…"."""

    def __init__(self, cols: Sequence[Col], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cols = tuple(cols)
        self._rows: list[tuple[str, dict[str, str]]] = []
        self._widths: dict[str, int] = {}

    def room(self) -> int:
        """The cells the columns may use: the table's width (or the screen's, before layout), less the
        vertical scrollbar's when the rows may not all fit."""
        width, height = self.size.width or self.app.size.width, self.size.height
        scrolls = not height or len(self._rows) + (1 if self.show_header else 0) > height
        return max(0, width - (self.styles.scrollbar_size_vertical if scrolls else 0))

    def plan(self) -> dict[str, int]:
        return plan_columns(self.cols, [cells for _, cells in self._rows], self.room(), gap=2 * self.cell_padding)

    def show_rows(self, rows: Sequence[tuple[str, dict[str, str]]]) -> None:
        """Replace the rows (key, cell texts by column key); the cursor stays on the same row number."""
        self._rows = list(rows)
        row, scroll = self.cursor_row, self.scroll_y
        widths = self.plan()
        self.clear(columns=widths != self._widths or not self.columns)
        if not self.columns:
            self._widths = widths
            for col in self.cols:
                if col.key in widths:
                    self.add_column(self._cell(col, col.label), key=col.key, width=widths[col.key])
        for key, cells in self._rows:
            self.add_row(*(self._cell(c, cells.get(c.key, "")) for c in self.cols if c.key in self._widths), key=key)
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)
            self.scroll_to(y=scroll, animate=False)

    @staticmethod
    def _cell(col: Col, text: str) -> Text:
        return Text(text, justify="right" if col.right else "left", overflow="ellipsis", no_wrap=True)

    def on_resize(self, _event: events.Resize) -> None:
        if self._rows and self.plan() != self._widths:
            self.show_rows(self._rows)

    def shown_columns(self) -> list[str]:
        """The keys of the columns on screen, in order (a column may be left out when narrow)."""
        return [c.key for c in self.cols if c.key in self._widths]
