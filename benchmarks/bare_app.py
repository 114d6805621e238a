"""The reference for first_screen: a bare Textual app with a header, an input, a data table and a footer.

It fills the table with 50 rows (as many as the drafts nymble-desk starts with) and
does nothing else, so its time to first frame is what Textual itself costs.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input


class BareApp(App[None]):
    TITLE = "bare"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f10,ctrl+q", "quit", "Quit", id="bare-quit"),
                Binding("f2", "noop", "New order", id="bare-new")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search")
        table: DataTable[str] = DataTable(cursor_type="row")
        table.add_columns("Customer", "Lines", "Total", "State", "Age")
        for i in range(1, 51):
            table.add_row(f"Bench Customer {i:02d}", str(i % 7 + 1), f"${i * 12.5:,.2f}", "local", "1m")
        yield table
        yield Footer()

    def action_noop(self) -> None:
        pass


if __name__ == "__main__":
    BareApp().run()
