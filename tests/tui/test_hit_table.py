"""The lookup's hit table in a small app: rows cut to their columns, keys and clicks, scrolling."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from nymble_desk.tui.widgets.hit_table import HitTable, fit

COLUMNS = [("Number", 8), ("Company", 12)]


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield HitTable(COLUMNS, id="hits")

    def on_hit_table_highlighted(self, event: HitTable.Highlighted) -> None:
        self.events.append(("highlighted", event.key))

    def on_hit_table_selected(self, event: HitTable.Selected) -> None:
        self.events.append(("selected", event.key))


def rows(n: int) -> list[tuple[str, tuple[str, str]]]:
    return [(f"C-{i:03d}", (f"C-{i:03d}", f"Company number {i}")) for i in range(n)]


def line(table: HitTable, y: int) -> str:
    return table.render_line(y).text


async def shown(pilot, n: int) -> HitTable:
    table = pilot.app.query_one(HitTable)
    table.set_rows(rows(n))
    await pilot.pause()
    return table


def test_fit_cuts_with_an_ellipsis_and_pads_to_the_width() -> None:
    assert fit("Brightfield Supply", 10) == "Brightfie…"
    assert fit("Acme", 6) == "Acme  "
    assert fit("漢字漢字", 5) == "漢字…"  # wide characters are counted in cells


async def test_rows_are_drawn_under_a_header_cut_to_their_columns() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = await shown(pilot, 3)
        assert line(table, 0).startswith(" Number    Company ")
        assert line(table, 1).startswith(" C-000     Company num… ")
        assert line(table, 4).strip() == ""  # below the rows: blank
        assert table.keys == ["C-000", "C-001", "C-002"] and table.get_row("C-001")[1] == "Company number 1"
        assert table.highlighted_key == "C-000"
        table.set_rows([])
        assert table.highlighted_key is None and table.row_count == 0


async def test_keys_move_the_cursor_and_scroll_and_enter_selects() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 6)) as pilot:  # a header and 5 rows on screen
        table = app.query_one(HitTable)
        table.set_rows(rows(20))
        table.focus()
        await pilot.press("down", "down")
        assert table.cursor_row == 2 and app.events[-1] == ("highlighted", "C-002")
        await pilot.press("pagedown")
        assert table.cursor_row == 7
        assert "C-007" in line(table, 5) and "C-003" in line(table, 1)  # scrolled: the cursor stays on screen
        await pilot.press("end")
        assert table.cursor_row == 19 and "C-019" in line(table, 5)
        await pilot.press("home", "up")  # up at the top stays there
        assert table.cursor_row == 0 and "C-000" in line(table, 1)
        await pilot.press("enter")
        assert app.events[-1] == ("selected", "C-000")
        table.set_rows(rows(20)[5:])  # new hits: the cursor goes back to the first
        assert table.cursor_row == 0 and table.highlighted_key == "C-005"


async def test_a_click_highlights_and_a_second_click_selects() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = await shown(pilot, 5)
        await pilot.click(HitTable, offset=(2, 3))  # the third row (y=0 is the header)
        assert table.highlighted_key == "C-002" and app.events[-1] == ("highlighted", "C-002")
        await pilot.click(HitTable, offset=(2, 3))
        assert app.events[-1] == ("selected", "C-002")
        await pilot.click(HitTable, offset=(2, 0))  # the header selects nothing
        assert app.events[-1] == ("selected", "C-002") and table.highlighted_key == "C-002"
        table.post_message(events.MouseScrollDown(table, 2, 3, 0, 1, 0, False, False, False))  # the wheel
        await pilot.pause()
        assert table.highlighted_key == "C-003"
        table.post_message(events.MouseScrollUp(table, 2, 3, 0, -1, 0, False, False, False))
        await pilot.pause()
        assert table.highlighted_key == "C-002"


async def test_a_smaller_terminal_keeps_the_cursor_row_on_screen() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(HitTable)
        table.set_rows(rows(20))
        table.focus()
        await pilot.press(*["down"] * 12)
        await pilot.resize_terminal(40, 6)
        await pilot.pause()
        assert any("C-012" in line(table, y) for y in range(1, 6))


async def test_a_whole_column_widens_to_its_longest_cell_and_the_giving_column_is_cut_instead() -> None:
    """At 100,000 customers the lookup cut "CUST-100812" to "CUST-1008…": a number shown cut is a wrong number."""

    class WholeApp(App[None]):
        def compose(self) -> ComposeResult:
            yield HitTable(COLUMNS, whole=(0,), gives=1, id="hits")

    async with WholeApp().run_test(size=(40, 10)) as pilot:
        table = pilot.app.query_one(HitTable)
        table.set_rows([("CUST-100812", ("CUST-100812", "Brightfield Supply")), ("C-1", ("C-1", "Acme"))])
        await pilot.pause()
        assert table.widths == [11, 9]  # as wide as before in all: 8 + 12
        assert line(table, 0).startswith(" Number       Company   ")
        assert line(table, 1).startswith(" CUST-100812  Brightfi… ")  # the name gave up the 3 cells
        assert line(table, 2).startswith(" C-1          Acme      ")
        table.set_rows(rows(2))  # short numbers again: the columns go back to their own widths
        await pilot.pause()
        assert line(table, 1).startswith(" C-000     Company num… ")
