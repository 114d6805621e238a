"""StatusLine and CustomerPanel on their own, with the real Desk behind them."""

from __future__ import annotations

from datetime import datetime, timedelta, UTC
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import OptionList, Static

from nymble_desk.sync.status import SyncStatus
from nymble_desk.tui.widgets.customer_panel import CustomerPanel
from nymble_desk.tui.widgets.status_line import describe_status
from test_shell_support import until


def test_status_words_do_not_depend_on_colour() -> None:
    now = datetime.now(UTC)
    online = describe_status(SyncStatus(True, 0, None, now), "DEMO REP-007").plain
    assert online == "ONLINE · DEMO REP-007 · nothing queued · prices current"
    offline = describe_status(SyncStatus(False, 3, "Server unreachable", now - timedelta(hours=3))).plain
    assert offline == "OFFLINE · 3 queued · prices 3h old · ! Server unreachable"
    assert describe_status(None, signed_in=False).plain == "NOT SIGNED IN"
    assert "syncing" in describe_status(SyncStatus(True, 1, None, None), syncing=True).plain


class PanelApp(App[None]):
    def __init__(self, desk: Any, number: str) -> None:
        super().__init__()
        self.desk = desk
        self.number = number
        self.reorders: list[str] = []

    def compose(self) -> ComposeResult:
        yield CustomerPanel(self.number, id="panel")

    def on_customer_panel_reorder(self, message: CustomerPanel.Reorder) -> None:
        self.reorders.append(message.order_number)


async def test_customer_panel_shows_the_summary_and_asks_to_reorder(make_desk: Any) -> None:
    app = PanelApp(make_desk(), "CUST-1042")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(CustomerPanel)
        await until(pilot, lambda: panel.summary is not None, timeout=10)
        text = str(app.query_one("#customer-summary", Static).render())
        for expected in ("Brightfield Supply Co. (CUST-1042)", "Net", "Wholesale", "$50,000.00",
                         "Open invoices", "500 Commerce Drive", "Bill-to 300 Commerce Blvd"):
            assert expected in text, expected
        orders = app.query_one("#recent-orders", OptionList)
        assert orders.option_count >= 1
        first = orders.get_option_at_index(0)
        assert first.id and first.id in str(first.prompt)
        orders.focus()
        orders.highlighted = 0
        await pilot.press("enter")
        await until(pilot, lambda: app.reorders == [first.id])

        panel.refresh_summary()
        panel.summary = None
        await until(pilot, lambda: panel.summary is not None, timeout=10)


async def test_customer_panel_failure_is_shown_not_raised(make_desk: Any) -> None:
    app = PanelApp(make_desk(), "CUST-NOPE")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "Could not load" in str(app.query_one("#customer-summary", Static).render()),
                    timeout=10)
        assert app.is_running
