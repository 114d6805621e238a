"""Every key goes where the screen in front says, on the real app over the real sandbox.

Each flow is sent twice: in one write (every key posted to the app back to back, as one
terminal read delivers them, without letting the app run in between) and in one-key writes
(``pilot.press``, which lets the app settle after each key). Both must end the same way.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.widgets import Input, Static

from nymble_desk.tui.screens.signin import SignInScreen
from test_form_keys import key_for
from test_order_entry import open_cart
from test_order_support import screen_name, until

SPECIAL = {"\r": ("enter", "\r"), "\t": ("tab", "\t")}
FKEYS = {"F6": "f6", "F7": "f7", "F8": "f8"}


def keys_of(*parts: str) -> list[events.Key]:
    """Key events for ``parts``: "F6" etc. as F-keys, other strings char by char (\\r is Enter)."""
    out = []
    for part in parts:
        if part in FKEYS:
            out.append(events.Key(FKEYS[part], None))
            continue
        for char in part:
            out.append(events.Key(*SPECIAL[char]) if char in SPECIAL else key_for(char))
    return out


async def send(pilot: Any, parts: tuple[str, ...], mode: str) -> None:
    if mode == "one write":
        for key in keys_of(*parts):
            pilot.app.post_message(key)
    else:
        for key in keys_of(*parts):
            await pilot.press(key.key)


def gate_idle(app: Any) -> bool:
    return bool(app.key_gate.idle)


MODES = ["one write", "one-key writes"]


@pytest.mark.parametrize("mode", MODES)
async def test_sign_in_lookup_and_cart_typed_in_one_go(make_app: Any, mode: str) -> None:
    """DEMO⏎demo-rep⏎secret⏎CUST-1042⏎WDG-RED-M*3⏎: each part lands in its field, then in the lookup,
    then in the cart's entry line (the org code used to read DEMOdemo-rep; the cart's keys were lost)."""
    app = make_app(signed_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen) and app.screen.is_mounted)
        screen = app.screen
        screen.query_one("#url", Input).value = "http://sandbox"
        org = screen.query_one("#org", Input)
        await until(pilot, lambda: org.has_focus)
        await send(pilot, ("DEMO\rdemo-rep\rdemo-rep-secret\r", "CUST-1042\r", "WDG-RED-M*3\r"), mode)
        await until(pilot, lambda: screen_name(app) == "CartScreen", timeout=30)
        await until(pilot, lambda: (d := app.desk.get_draft(app.screen.draft_id)) is not None
                    and d.line("WDG-RED-M") is not None, timeout=30)
        assert app.identity.rep_number == "REP-007"
        draft = app.desk.get_draft(app.screen.draft_id)
        assert draft.customer_number == "CUST-1042"
        assert [(line.sku, line.quantity) for line in draft.lines] == [("WDG-RED-M", 3)]
        await until(pilot, lambda: gate_idle(app))
        assert app.screen.query_one("#entry", Input).has_focus and app.screen.query_one("#entry", Input).value == ""


@pytest.mark.parametrize("mode", MODES)
async def test_f_keys_do_what_the_footer_says_and_keys_after_them_follow(make_app: Any, mode: str) -> None:
    """Cart, F6, Enter (the default ship-to), F8 (checkout), F7 ("f7 Cart"): the rep is in the cart and
    the next entry is added there (it used to land in Ship-to/PO and be saved as the PO)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot, app)
        draft_id = app.screen.draft_id
        await send(pilot, ("WDG-BLU-L*2\r", "F6", "\r", "F8", "F7", "WDG-RED-M*2\r"), mode)
        await until(pilot, lambda: app.desk.get_draft(draft_id).line("WDG-RED-M") is not None, timeout=30)
        await until(pilot, lambda: gate_idle(app))
        assert screen_name(app) == "CartScreen"
        assert [type(s).__name__ for s in app.screen_stack[-2:]] == ["CustomerLookupScreen", "CartScreen"]
        draft = app.desk.get_draft(draft_id)
        assert draft.po_number in (None, "")  # nothing typed went into the PO
        assert draft.ship_to and draft.ship_to["address1"] == "500 Commerce Drive"  # Enter picked the default
        assert draft.line("WDG-RED-M").quantity == 2


@pytest.mark.parametrize("mode", MODES)
async def test_checkout_f6_then_f6_leads_back_to_the_cart(make_app: Any, mode: str) -> None:
    """Checkout's F6 opens ship-to over the cart, so ship-to's "f6 Cart" leads to the cart."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot, app)
        await send(pilot, ("WDG-BLU-L*2\r", "F8", "F6"), mode)
        await until(pilot, lambda: gate_idle(app) and screen_name(app) == "ShippingScreen", timeout=30)
        seen = [type(s).__name__ for s in app.screen_stack[-3:]]
        assert seen == ["CustomerLookupScreen", "CartScreen", "ShippingScreen"]  # not over the checkout
        await send(pilot, ("F6", "WDG-RED-M*2\r"), mode)
        await until(pilot, lambda: (line := app.desk.get_draft(app.screen.draft_id).line("WDG-RED-M")) is not None
                    and line.quantity == 2, timeout=30)
        assert [type(s).__name__ for s in app.screen_stack[-2:]] == ["CustomerLookupScreen", "CartScreen"]


@pytest.mark.parametrize("mode", MODES)
async def test_tab_with_nothing_to_complete_stays_in_the_entry_line_and_says_so(make_app: Any, mode: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot, app)
        entry = app.screen.query_one("#entry", Input)
        await send(pilot, ("\t", "WDG-RED-M*4\r"), mode)
        await until(pilot, lambda: (line := app.desk.get_draft(app.screen.draft_id).line("WDG-RED-M")) is not None
                    and line.quantity == 4)
        await until(pilot, lambda: gate_idle(app))
        assert entry.has_focus
        await pilot.press("tab")
        said = str(app.screen.query_one("#entry-message", Static).render())
        assert "Tab completes a SKU" in said and "F7" in said and entry.has_focus


async def test_keys_held_for_a_new_screen_keep_their_order_with_keys_read_later(make_app: Any) -> None:
    """Keys that arrive while held keys are being handed on queue behind them, never ahead."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        search = app.screen.query_one("#search", Input)
        await until(pilot, lambda: search.has_focus)
        for key in keys_of("CUST-1042\r", "WDG-"):
            app.post_message(key)
        await until(pilot, lambda: screen_name(app) == "CartScreen")
        for key in keys_of("RED-M*5\r"):  # a second read, while the first may still be handed on
            app.post_message(key)
        await until(pilot, lambda: (line := app.desk.get_draft(app.screen.draft_id).line("WDG-RED-M")) is not None
                    and line.quantity == 5, timeout=30)


async def test_keys_read_while_held_keys_are_handed_on_follow_them_into_the_entry_line(make_app: Any) -> None:
    """Keys read from the terminal while the gate hands on keys it held are held too, and follow.

    In tmux under load, ``CUST-1042⏎`` then ``W`` in one read and ``DG-`` in the next: the hold of
    the lookup's Enter kept ``W``; ``DG-`` was read just before ``W`` was handed on to the cart, so it
    reached the gate while ``W`` was on its way back and was kept to follow it; ``W`` went into the
    entry line as a typed run, and nothing handed ``DG-`` on: they and every key after them were kept
    for good, and the rep's ``WDG-BLU-L*48`` stopped at ``W``."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        search = app.screen.query_one("#search", Input)
        await until(pilot, lambda: search.has_focus)
        gate = app.key_gate
        hand_on = gate._hand_on
        later = keys_of("DG-")

        def hand_on_after_the_next_read() -> None:
            while gate._held and later:  # the terminal's next read, queued before the held keys go back in
                app.post_message(later.pop(0))
            hand_on()

        gate._hand_on = hand_on_after_the_next_read
        for key in keys_of("CUST-1042\r", "W"):
            app.post_message(key)
        await until(pilot, lambda: screen_name(app) == "CartScreen" and not later, timeout=30)
        entry = app.screen.query_one("#entry", Input)
        await until(pilot, lambda: gate_idle(app) and entry.value == "WDG-", timeout=10)
        for key in keys_of("RED-M*5\r"):
            app.post_message(key)
        await until(pilot, lambda: (line := app.desk.get_draft(app.screen.draft_id).line("WDG-RED-M")) is not None
                    and line.quantity == 5, timeout=30)
