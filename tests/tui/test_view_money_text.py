"""Money as the rep should read it: tier prices in the type-ahead, cents in amounts.

Seen by hand: the type-ahead offered WDG-BLU-L at its list price ($13.50) while the line
was then priced at the customer's tier ($12.50); the payment toast said "Recorded 500";
the refund field was filled with "500.0".
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.notifications import Notify
from textual.widgets import DataTable, Input, OptionList

import test_after_order as after
from test_order_support import Keys, open_customer, until


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_type_ahead_shows_the_customers_tier_price(make_app: Any, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_customer(Keys(pilot), app)  # CUST-1042: Wholesale, WDG-BLU-L 12.50 (list 13.50)
        await pilot.press(*"WDG-BLU")
        matches = app.screen.query_one("#matches", OptionList)
        await until(pilot, lambda: any("WDG-BLU-L " in str(matches.get_option_at_index(i).prompt)
                                       for i in range(matches.option_count)))
        label = next(str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count)
                     if "WDG-BLU-L " in str(matches.get_option_at_index(i).prompt))
        assert "$12.50" in label and "$13.50" not in label, label


async def test_a_payment_says_the_amount_in_money_and_a_refund_offers_cents(make_app: Any) -> None:
    seen: list[Any] = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await after.open_invoices(pilot, customer="CUST-1042")
        await after.select_invoice(pilot, "INV-000050")
        await pilot.press("f6")
        await until(pilot, after.screen_is(app, "PaymentScreen"))
        amount = app.screen.query_one("#pay-amount", Input)
        assert amount.value == "94.50"  # the balance, as money is written in a field
        amount.value = "40"
        await pilot.pause()
        await pilot.press("f9")
        await until(pilot, after.screen_is(app, "InvoicesScreen"))
        await until(pilot, lambda: any(isinstance(m, Notify) and "Recorded" in m.notification.message for m in seen))
        said = next(
            m.notification.message for m in seen if isinstance(m, Notify) and "Recorded" in m.notification.message
        )
        assert said.startswith("Recorded $40.00 by "), said
        await after.select_invoice(pilot, "INV-000050")
        await until(pilot, lambda: app.screen.query_one("#payments", DataTable).row_count == 1)
        await pilot.press("f7")
        await until(pilot, after.screen_is(app, "RefundScreen"))
        refund = app.screen.query_one("#refund-amount", Input)
        assert refund.value == "40.00", refund.value
