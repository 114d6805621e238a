"""A table of search hits that is redrawn in the frame it is filled.

The customer lookup replaces all of its rows on every keystroke. A ``DataTable``
does that in two frames (it lays out new rows when it is next idle) and renders
each cell through Rich, about 11 ms for 20 rows. Here a row is pre-formatted
once, to fixed column widths, when the rows are set, and drawn as one segment per
line (Textual's line API), so a new set of hits costs well under a millisecond to
draw and is on screen in the same frame as the keystroke that asked for it.

Keys: up/down, page up/down, home/end move the cursor; enter selects. A click
highlights a row, a second click on it selects it; the wheel moves the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from collections.abc import Iterable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

Column = tuple[str, int]  # (label, width in cells)
#: the fewest cells a column that gives way to a ``whole`` one keeps
MIN_GIVING = 8


def fit(text: str, width: int) -> str:
    """``text`` cut (with "…") or padded to exactly ``width`` cells."""
    return set_cell_size(text, width) if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


class HitTable(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move(-1000000)", "First", show=False),
        Binding("end", "move(1000000)", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"hit-table--header", "hit-table--cursor", "hit-table--even-row"}
    DEFAULT_CSS = """
    HitTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .hit-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .hit-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .hit-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .hit-table--even-row { background: $surface-darken-1 40%; }
        & > .hit-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .hit-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved to the row ``key`` (by a key or a click, not by :meth:`set_rows`)."""

        table: HitTable
        key: str

        @property
        def control(self) -> HitTable:
            return self.table

    @dataclass
    class Selected(Message):
        """Enter (or a second click) on the row ``key``."""

        table: HitTable
        key: str

        @property
        def control(self) -> HitTable:
            return self.table

    def __init__(self, columns: Sequence[Column], *, whole: Sequence[int] = (), gives: int | None = None,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        """``whole``: the columns whose cells are never cut (a customer number): such a column widens
        to its longest cell, taking the cells from column ``gives`` (a name, which is cut instead)."""
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.whole, self.gives = tuple(whole), gives
        self.widths = [width for _, width in self.columns]
        self._keys: list[str] = []
        self._cells: dict[str, tuple[str, ...]] = {}
        self._lines: list[str] = []
        self._header = self._line(label for label, _ in self.columns)
        self.cursor_row = 0
        self._top = 0  # the first row drawn under the header

    # --- rows -----------------------------------------------------------------------
    def _line(self, cells: Iterable[object]) -> str:
        return "".join(" " + fit(str(cell), width) + " " for cell, width in zip(cells, self.widths, strict=False))

    def _fit_widths(self, rows: Iterable[Sequence[str]]) -> None:
        """Each ``whole`` column as wide as its longest cell (at least its own width); the
        column that ``gives`` loses what they gained, down to a few cells."""
        widths = [width for _, width in self.columns]
        longest = dict.fromkeys(self.whole, 0)
        for cells in rows:
            for at in self.whole:
                longest[at] = max(longest[at], cell_len(cells[at]) if at < len(cells) else 0)
        for at, need in longest.items():
            if need > widths[at]:
                if self.gives is not None:
                    widths[self.gives] = max(MIN_GIVING, widths[self.gives] - (need - widths[at]))
                widths[at] = need
        if widths != self.widths:
            self.widths = widths
            self._header = self._line(label for label, _ in self.columns)

    def set_rows(self, rows: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Replace every row with ``rows`` of ``(key, cells)``; the cursor goes to the first."""
        self._keys = [key for key, _ in rows]
        self._cells = {key: tuple(str(c) for c in cells) for key, cells in rows}
        if self.whole:
            self._fit_widths(self._cells.values())
        self._lines = [self._line(cells) for _, cells in rows]
        self.cursor_row = 0
        self._top = 0
        self.refresh()

    @property
    def keys(self) -> list[str]:
        return list(self._keys)

    @property
    def row_count(self) -> int:
        return len(self._keys)

    def get_row(self, key: str) -> tuple[str, ...]:
        return self._cells[key]

    @property
    def highlighted_key(self) -> str | None:
        return self._keys[self.cursor_row] if self._keys else None

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on ``row`` (clamped), scroll it into view, post :class:`Highlighted`."""
        if not self._keys:
            return
        row = max(0, min(row, len(self._keys) - 1))
        if row == self.cursor_row:
            return
        self.cursor_row = row
        visible = self._visible_rows()
        if row < self._top:
            self._top = row
        elif row >= self._top + visible:
            self._top = row - visible + 1
        self.refresh()
        self.post_message(self.Highlighted(self, self._keys[row]))

    def _visible_rows(self) -> int:
        return max(1, self.size.height - 1)

    # --- actions ----------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.move_cursor(row=self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(row=self.cursor_row + direction * self._visible_rows())

    def action_select(self) -> None:
        if self._keys:
            self.post_message(self.Selected(self, self._keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        row = self._top + event.y - 1
        if event.y < 1 or row >= len(self._keys):
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self.move_cursor(row=row)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.action_move(1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.action_move(-1)

    def on_resize(self, event: events.Resize) -> None:
        visible = self._visible_rows()
        if self.cursor_row >= self._top + visible:
            self._top = self.cursor_row - visible + 1
        self._top = max(0, min(self._top, max(0, len(self._keys) - visible)))

    # --- drawing ----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            return self._strip(self._header, width, base + self.get_component_rich_style("hit-table--header"))
        row = self._top + y - 1
        if row >= len(self._lines):
            return Strip.blank(width, base)
        if row == self.cursor_row:
            style = base + self.get_component_rich_style("hit-table--cursor")
        elif row % 2:
            style = base + self.get_component_rich_style("hit-table--even-row")
        else:
            style = base
        return self._strip(self._lines[row], width, style)

    @staticmethod
    def _strip(text: str, width: int, style: Style) -> Strip:
        return Strip([Segment(set_cell_size(text, width), style)], width)
