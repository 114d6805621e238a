"""The drafts screen: offered at start when drafts exist; resume and discard."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Static

from nymble_desk.tui.screens.customers import CustomerLookupScreen
from nymble_desk.tui.screens.drafts import ConfirmDiscard, DraftsScreen

from test_shell_support import front, on_screen, until


async def seed_drafts(desk: Any, *numbers: str) -> list[Any]:
    drafts = []
    for number in numbers:
        [customer] = [c for c in await desk.search_customers(number, limit=5) if c.customer_number == number]
        draft = desk.open_draft(customer)
        drafts.append(desk.set_po(draft.id, f"PO-{number}"))  # an untouched draft is never listed
    return drafts


def table(app: Any) -> DataTable[Any]:
    return app.screen.query_one("#drafts", DataTable)


async def test_start_offers_drafts_and_enter_resumes(make_app: Any, make_desk: Any) -> None:
    desk = make_desk()
    _first, second = await seed_drafts(desk, "CUST-1042", "CUST-0082")
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, DraftsScreen))
        assert table(app).row_count == 2
        cells = " ".join(str(c) for key in table(app).rows for c in table(app).get_row(key))
        assert "Brightfield Supply Co." in cells and "$0.00" in cells
        table(app).move_cursor(row=table(app).get_row_index(second.id))
        await pilot.press("enter")
        await until(pilot, lambda: front(app) == "CartScreen", timeout=10)
        assert app.screen.draft_id == second.id


async def test_discard_asks_first_and_n_keeps_the_draft(make_app: Any, make_desk: Any) -> None:
    desk = make_desk()
    [draft] = await seed_drafts(desk, "CUST-1042")
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, DraftsScreen))
        await pilot.press("d")
        await until(pilot, on_screen(app, ConfirmDiscard))
        await pilot.press("n")
        await until(pilot, on_screen(app, DraftsScreen))
        assert [d.id for d in desk.drafts()] == [draft.id]

        await pilot.press("delete")
        await until(pilot, on_screen(app, ConfirmDiscard))
        await pilot.press("y")
        await until(pilot, lambda: on_screen(app, DraftsScreen)() and table(app).row_count == 0)
        assert desk.drafts() == []
        assert "No carts in progress" in str(app.screen.query_one("#drafts-message", Static).render())


async def test_f3_shows_drafts_and_n_starts_a_new_order(make_app: Any, make_desk: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await pilot.press("f3")
        await until(pilot, on_screen(app, DraftsScreen))
        assert table(app).row_count == 0
        await pilot.press("n")
        await until(pilot, on_screen(app, CustomerLookupScreen))
