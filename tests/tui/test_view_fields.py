"""Input fields are visible without colour: TERM=screen's 16 colours and NO_COLOR.

A field's own background is the only thing that marked it; with 16 colours it becomes
the form's black, and NO_COLOR drops it. Read here: the cells a field draws carry an
underline across its whole width (the focused one bold too), on the sign-in form and
the ship-to form.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.widgets import Input

from nymble_desk.tui.colour_depth import FEW_COLOURS, mark_colour_depth
from test_order_support import Keys, open_customer, screen_name, until


def underlined_across(field: Input) -> bool:
    width = field.content_region.width
    strip = field.render_lines(Region(0, 0, field.size.width, 1))[0]
    cells = [seg.style for seg in strip for _ in range(len(seg.text))]
    return len(cells) >= width > 0 and all(style is not None and style.underline for style in cells[:width])


def test_the_colour_depth_marks_the_app() -> None:
    from textual.app import App

    app: App[None] = App()
    mark_colour_depth(app, "standard")  # TERM=screen without COLORTERM
    assert app.has_class(FEW_COLOURS)
    mark_colour_depth(app, "truecolor")
    assert not app.has_class(FEW_COLOURS)


@pytest.mark.parametrize("how", ["no_color", "sixteen_colours"])
async def test_sign_in_fields_show_without_colour(make_app: Any, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(signed_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        if how == "sixteen_colours":
            mark_colour_depth(app, "standard")
        await until(pilot, lambda: screen_name(app) == "SignInScreen" and bool(app.screen.query(Input)))
        await pilot.pause()
        fields = list(app.screen.query(Input))
        assert len(fields) >= 4
        for field in fields:
            assert underlined_across(field), field.id
        focused = app.screen.focused
        assert isinstance(focused, Input) and focused.rich_style.bold


async def test_ship_to_fields_show_without_colour(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_customer(Keys(pilot), app)
        await pilot.press("f6")
        await until(pilot, lambda: screen_name(app) == "ShippingScreen")
        await pilot.pause()
        fields = [f for f in app.screen.query(Input) if f.display and f.region.area]
        assert fields
        for field in fields:
            assert underlined_across(field), field.id
