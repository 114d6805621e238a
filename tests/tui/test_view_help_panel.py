"""80x24 is a first-class size: help that teaches, the palette, the customer panel in three lines.

Each test reads what the widgets draw (their rendered lines) at the size under test.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.geometry import Region

from test_order_support import Keys, open_customer, until
from test_shell_support import front


def drawn(widget: Any) -> list[str]:
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def panel_text(panel: Any) -> str:
    """What the panel's shown parts draw (a container draws only its border)."""
    return "\n".join(line for child in panel.query("*") if child.display and child.region.area
                     and not child.children for line in drawn(child))



@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_f1_on_the_cart_teaches_the_keys_then_the_grammar_then_the_rest(make_app: Any,
                                                                             size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_customer(Keys(pilot), app)
        await pilot.press("f1")
        await until(pilot, lambda: front(app) == "HelpScreen")
        body = app.screen.query_one("#help-keys")
        await until(pilot, lambda: body.size.height > 0)
        lines = drawn(body)
        text = "\n".join(lines)
        order = [text.index(h) for h in ("This screen", "Entering lines", "Everywhere")]
        assert order == sorted(order), text
        assert text.index("Ship-to/PO") < text.index("Entering lines")  # the screen's own keys first
        for example in ("WDG-BLU-L*12", "12*WDG-BLU-L", "WDG-BLU-L 12", "012345678905"):
            assert example in text
        # each heading and each key's row is read on one line (nothing wrapped or cut)
        assert any(line.strip().endswith("a scanner works the same)") for line in lines), text
        for row in app.screen.rows:
            assert any(row.keys in line and row.description in line for line in lines), (row, text)
        assert "Quit" in text and "f10" in text
        # no list of Textual's text-editing keys: one summary line instead
        assert not re.search(r"Delete (left|right)|Move cursor|cursor_", text, re.I)
        assert len(text.splitlines()) < 30
        # nothing cut: the body is as tall as its text (or scrolls), each line within the box
        scroll = app.screen.query_one("#help-body")
        assert body.size.height == len(lines)
        assert scroll.size.height >= min(body.size.height, scroll.styles.max_height.value)  # type: ignore[union-attr]
        if size == (80, 24):
            assert scroll.size.height == body.size.height, "all of the cart's help fits at 80x24"
        for widget in app.screen.query("#help-title, #help-hint"):
            assert widget.region.right <= size[0]
            content = drawn(widget)[0].strip()
            assert content.endswith(("closes.", "keys")), content


async def test_the_palette_lists_quit_once(make_app: Any) -> None:
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: front(app) == "CustomerLookupScreen")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.is_mounted)
        await pilot.press(*"Quit")
        await until(
            pilot, lambda: any("Quit" in str(o.prompt) for o in app.screen.query("CommandList").first().options)
        )
        await pilot.pause(0.3)  # let every provider answer
        quits = [str(o.prompt) for o in app.screen.query("CommandList").first().options
                 if str(o.prompt).splitlines()[0].strip() == "Quit"]
        assert len(quits) == 1, quits


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_customer_panel_shows_terms_credit_balance_invoices_and_ship_to(make_app: Any,
                                                                                 size: tuple[int, int]) -> None:
    from nymble_desk.tui.widgets.customer_panel import CustomerPanel

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_customer(Keys(pilot), app)
        panel = app.screen.query_one(CustomerPanel)
        await until(pilot, lambda: panel.summary is not None)
        await pilot.pause()
        text = panel_text(panel)
        for needed in ("Terms Net30", "$50,000.00", "Balance $", "Open invoices 2", "Ship-to 500 Commerce Drive"):
            assert needed in text, text
        balance = re.search(r"Balance (\$[\d,]+\.\d\d)", text)
        assert balance, text
        if size == (80, 24):
            assert panel.outer_size.height == 5  # three lines in its border
            assert "Last orders" not in text
            await pilot.press("f12")  # the full panel, with the last orders to reorder from
            await until(pilot, lambda: "Last orders" in panel_text(panel))
            assert app.screen.focused is panel.query_one("#recent-orders")
            await pilot.press("f12")
            await until(pilot, lambda: panel.outer_size.height == 5)
            assert app.screen.focused is app.screen.query_one("#entry")
