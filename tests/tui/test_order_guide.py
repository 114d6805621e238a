"""Stock, last prices and the order guide in the real app over the real sandbox (its demo data: WDG-RED-M
has 20 on hand, PART-B3 none, WDG-100-BLU 8; CUST-1042 has seven earlier orders with repeat items).

A line over stock is marked and warned about (SKU, asked, on hand, age), never refused; stock and the
guide answer from the local index when the API is unreachable; the guide ranks by how many of the
last orders hold a SKU, then by how recently; Enter adds a line at its usual quantity, F9 the rest.
"""

from __future__ import annotations

from typing import Any

import httpx
from textual.notifications import Notify

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.retry import RetryPolicy
from nymble_desk.sync.desk import Desk
from nymble_desk.tui.widgets.fit_table import FitTable
from nymble_desk.tui.widgets.line_table import LineTable
from nymble_desk.tui.widgets.totals_bar import TotalsBar
from test_order_offline import Switch
from test_order_support import Keys, add_entry, entry_message, open_customer, screen_name, until

#: CUST-1042's guide over its seven seeded orders: (SKU, usual quantity, in how many orders)
GUIDE_1042 = [("WDG-BLU-L", 48, 5), ("PART-A1", 100, 4), ("WDG-RED-M", 24, 4), ("PART-B3", 50, 1),
              ("WIDGET-BLU-L", 5, 1), ("WDG-100-BLU", 12, 1)]


def cell(table: Any, sku: str, column: str) -> str:
    """The text of ``sku``'s cell in ``column`` (by key) of a LineTable or FitTable."""
    return str(table.get_cell(sku, column))


async def cart_with_history(pilot: Any, app: Any, number: str = "CUST-1042") -> LineTable:
    """The cart of ``number`` open with the index filled and the customer's orders read into it."""
    await until(pilot, lambda: app.desk.index is not None and app.desk.index.is_ready("products"), timeout=30)
    await open_customer(Keys(pilot), app, number)
    await until(pilot, lambda: app.screen.history_read, timeout=10)
    return app.screen.query_one(LineTable)


def notices(seen: list[Any]) -> list[str]:
    return [m.notification.message for m in seen if isinstance(m, Notify)]


async def test_a_line_over_stock_is_marked_warned_and_still_added(make_app: Any) -> None:
    seen: list[Any] = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        table = await cart_with_history(pilot, app)
        keys = Keys(pilot)
        await add_entry(keys, app, "WDG-BLU-L*12", expect_sku="WDG-BLU-L", qty=12)
        assert cell(table, "WDG-BLU-L", "stock") == "500"
        assert "Over stock" not in entry_message(app) and not any("Over stock" in n for n in notices(seen))
        await add_entry(keys, app, "WDG-RED-M*24", expect_sku="WDG-RED-M", qty=24)  # 20 on hand: added anyway
        assert cell(table, "WDG-RED-M", "stock") == "20!"
        message = entry_message(app)
        assert "! Over stock (as of" in message and "WDG-RED-M 24 asked, 20 on hand" in message, message
        assert "1 over stock, as of" in app.screen.query_one(TotalsBar).text
        assert app.desk.get_draft(app.screen.draft_id).line("WDG-RED-M").quantity == 24
        # the checkout's last look says it again (a warning, the order can still be placed)
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ReviewScreen", timeout=10)
        warning = str(app.screen.query_one("#review-warning").render())
        assert "WDG-RED-M 24 asked, 20 on hand" in warning
        assert "WDG-BLU-L" not in warning


async def test_type_ahead_shows_what_is_on_hand(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await cart_with_history(pilot, app)
        matches = app.screen.query_one("#matches")
        await pilot.press(*"WDG-RED")
        await until(pilot, lambda: matches.option_count > 0 and matches.display)
        prompts = [str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count)]
        assert any("WDG-RED-M" in p and "20 on hand" in p for p in prompts), prompts


async def test_last_price_paid_shows_on_the_line_and_when_added(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:  # room for the optional "Last paid" column beside the panel
        table = await cart_with_history(pilot, app)
        await add_entry(Keys(pilot), app, "WDG-BLU-L*10", expect_sku="WDG-BLU-L", qty=10)
        assert "last paid $11.75 on 2025-09-13" in entry_message(app)  # 48 at the Wholesale break, ORD of day 250
        assert cell(table, "WDG-BLU-L", "last") == "$11.75 on 2025-09-13"


async def test_the_guide_ranks_by_frequency_then_recency_and_adds_lines(make_app: Any) -> None:
    seen: list[Any] = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await cart_with_history(pilot, app)
        draft_id = app.screen.draft_id
        await pilot.press("f11")
        await until(pilot, lambda: screen_name(app) == "OrderGuideScreen")
        guide = app.screen.query_one("#guide", FitTable)
        assert [k.value for k in guide.rows] == [sku for sku, _, _ in GUIDE_1042]
        for sku, usual, times in GUIDE_1042:
            assert cell(guide, sku, "usual") == str(usual) and cell(guide, sku, "times") == f"{times}/7"
        assert cell(guide, "WDG-BLU-L", "price") == "$11.75" and cell(guide, "WDG-BLU-L", "date") == "2025-09-13"
        assert cell(guide, "WDG-RED-M", "stock") == "20!" and cell(guide, "PART-B3", "stock") == "0!"
        # Enter adds the row at its usual quantity and moves to the next row
        await pilot.press("enter")
        await until(pilot, lambda: cell(guide, "WDG-BLU-L", "cart") == "48")
        await until(pilot, lambda: guide.cursor_row == 1)
        await pilot.press("enter")
        await until(pilot, lambda: cell(guide, "PART-A1", "cart") == "100")
        assert screen_name(app) == "OrderGuideScreen"
        # F9: every line not yet in the cart, then back to the cart
        await pilot.press("f9")
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        draft = app.desk.get_draft(draft_id)
        assert {line.sku: line.quantity for line in draft.lines} == {sku: q for sku, q, _ in GUIDE_1042}
        await until(pilot, lambda: app.screen.query_one(LineTable).row_count == 6)
        told = entry_message(app)
        assert "4 added" in told and "PART-B3 50 asked, 0 on hand" in told and "WDG-100-BLU 12 asked, 8" in told
        # F9 again adds nothing twice
        await pilot.press("f11")
        await until(pilot, lambda: screen_name(app) == "OrderGuideScreen")
        await pilot.press("f9")
        await until(pilot, lambda: "in the cart already" in str(app.screen.query_one("#guide-message").render()))
        assert {line.sku: line.quantity for line in app.desk.get_draft(draft_id).lines}["WDG-BLU-L"] == 48


async def test_offline_the_index_answers_stock_and_the_guide(make_app: Any, sandbox_app: Any,
                                                             draft_store: Any) -> None:
    switch = Switch(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))
    fast = RetryPolicy(max_attempts=2, base_delay=0.05, max_delay=0.05, deadline=1.0)
    client = NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"),
                          transport=switch, retry=fast)
    app = make_app(desk=Desk(client, draft_store))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await cart_with_history(pilot, app)
        switch.offline = True
        await add_entry(Keys(pilot), app, "WDG-100-BLU*10", expect_sku="WDG-100-BLU", qty=10)
        assert cell(table, "WDG-100-BLU", "stock") == "8!"
        assert "WDG-100-BLU 10 asked, 8 on hand" in entry_message(app)
        asked = dict(switch.paths)
        await pilot.press("f11")
        await until(pilot, lambda: screen_name(app) == "OrderGuideScreen")
        guide = app.screen.query_one("#guide", FitTable)
        assert [k.value for k in guide.rows] == [sku for sku, _, _ in GUIDE_1042]
        assert cell(guide, "WDG-100-BLU", "cart") == "10"
        await pilot.press("enter")
        await until(pilot, lambda: cell(guide, "WDG-BLU-L", "cart") == "48")
        orders_asked = {p: n for p, n in switch.paths.items() if "/api/orders" in p}
        assert orders_asked == {p: n for p, n in asked.items() if "/api/orders" in p}  # the guide asked no orders
        # the cart reopened offline reads the stored history: the guide still answers
        app.screen.dismiss(None)
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        assert app.desk.order_guide("CUST-1042").items[0].sku == "WDG-BLU-L"
        assert not await app.desk.refresh_history("CUST-1042", max_age=0)  # unreachable: the stored ones stay
        assert len(app.desk.order_guide("CUST-1042").items) == 6
