"""The baseline of search_latency: a search box and a results table over the index.

Run in a pseudo-terminal (``python typeahead_app.py DB customers|products``).  It
searches the usual Textual way (a thread worker in an exclusive group per keystroke,
results put in a DataTable), then shows ``<<typed>> N hits`` so the benchmark can
see when a keystroke's results reached the screen: the time covers the key's trip,
the worker hop, the table update and the repaint.  The real screens are compared
with it.
"""

from __future__ import annotations

from textual import on, work
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from nymble_desk.index import SearchIndex


class TypeaheadApp(App[None]):
    def __init__(self, index: SearchIndex, kind: str) -> None:
        super().__init__()
        self.index, self.kind = index, kind
        self.shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("ready", id="shown", markup=False)  # first, so it is on screen at any terminal size
        yield Input(id="box")
        table: DataTable[str] = DataTable(id="hits")
        table.add_columns("Code", "Name", "Detail")
        yield table

    async def clear_box(self) -> None:
        box = self.query_one("#box", Input)
        with box.prevent(Input.Changed):
            box.value = ""
        self.shown = ""
        box.focus()

    @on(Input.Changed, "#box")
    def _changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def rows(self, text: str) -> list[tuple[str, str, str]]:
        if self.kind == "customers":
            return [(h.number, h.name, h.phone) for h in self.index.search_customers(text)]
        return [(h.sku, h.name, str(h.price)) for h in self.index.search_products(text)]

    @work(thread=True, exclusive=True, group="bench-search")
    def search(self, text: str) -> None:
        rows = self.rows(text)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self.show, text, rows)

    def show(self, text: str, rows: list[tuple[str, str, str]]) -> None:
        table = self.query_one("#hits", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)
        self.shown = text
        self.query_one("#shown", Static).update(f"<<{text}>> {len(rows)} hits", layout=False)


if __name__ == "__main__":
    import sys
    from pathlib import Path

    TypeaheadApp(SearchIndex(Path(sys.argv[1])), sys.argv[2]).run()
