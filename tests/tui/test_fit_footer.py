"""The footer at 80 columns: the screen's keys always, app-wide keys while they fit whole, none cut."""

from __future__ import annotations

from typing import Any

from nymble_desk.tui.commands import shadowed_app_bindings
from nymble_desk.tui.widgets.fit_footer import APP_WIDE, FitFooter, key_width
from test_order_entry import open_cart


def footer_keys(app: Any) -> list[Any]:
    footer = app.screen.query_one(FitFooter)
    return [k for k in footer.children if hasattr(k, "action")]


async def test_the_carts_footer_fits_80_columns_and_shows_everything_when_wide(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot, app)
        await pilot.pause()
        keys = footer_keys(app)
        actions = [k.action for k in keys]
        footer = app.screen.query_one(FitFooter)
        assert {"shipping", "toggle_lines", "checkout", "help"} <= set(actions)  # the screen's keys and F1
        assert sum(key_width(k, footer.compact) for k in keys) <= 80
        assert sum(k.outer_size.width for k in keys) <= 80  # as laid out, too: no key cut at the edge
        shadowed = {b.action for b in shadowed_app_bindings(app, app.screen)}  # F9 is the cart's last look
        left_out = [a for a in APP_WIDE if a not in actions and app.check_action(a, ()) and a != "customers"
                    and a not in shadowed]
        assert left_out, "at 80 columns some app-wide keys are left out"
        kept = [a for a in actions if a in APP_WIDE]
        assert kept == [a for a in APP_WIDE if a in kept]  # in their order, the last ones left out
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        await pilot.pause()
        wide = [k.action for k in footer_keys(app)]
        assert set(left_out) <= set(wide)  # room again: every key shows
