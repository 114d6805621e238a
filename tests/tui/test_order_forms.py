"""Ship-to/PO and checkout forms against the real sandbox: fields named on error with nothing
typed lost, the used-PO warning, a card checkout (validated before sending, fields cleared,
the number never on disk), and emailing the confirmation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from nymble_desk.tui.screens.checkout import CARD_FIELDS
from test_order_entry import open_cart
from test_order_support import add_entry, screen_name, until

CARD = "4111111111111111"


class _Keys:
    def __init__(self, pilot: Any) -> None:
        self.pilot, self.count = pilot, 0

    async def type(self, text: str) -> None:
        await self.pilot.press(*text)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_typed_address_names_missing_fields_and_po_warns(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot, app)
        await pilot.press("f6")
        await until(pilot, lambda: screen_name(app) == "ShippingScreen" and bool(app.screen.addresses))
        await pilot.press("tab", *"12 Harbor Rd", "enter", "enter", *"Salem", "enter", "enter", *"97301", "enter")
        await pilot.press(*"USA", "enter")  # Country: enter saves; State/Prov is missing, USA is not a code
        await until(pilot, lambda: "State/Prov is required" in text_of(app, "#address-message"))
        assert "2-letter" in text_of(app, "#address-message")
        assert app.screen.query_one("#ship-stateProvince", Input).has_focus  # the first field at fault
        assert app.screen.query_one("#ship-address1", Input).value == "12 Harbor Rd"  # nothing typed is lost
        assert app.screen.query_one("#ship-city", Input).value == "Salem"
        # refused: the preselected default stays the ship-to, the typed address is not saved
        assert app.desk.get_draft(app.screen.draft_id).ship_to["address1"] == "500 Commerce Drive"
        await pilot.press(*"OR")
        app.screen.query_one("#ship-country", Input).focus()
        await pilot.press("end", "backspace", "f9")  # "US", saved with f9
        await until(pilot, lambda: "Ship-to saved" in text_of(app, "#address-message"))
        ship_to = app.desk.get_draft(app.screen.draft_id).ship_to
        assert ship_to["address1"] == "12 Harbor Rd" and ship_to["stateProvince"] == "OR" and ship_to["country"] == "US"
        # a PO the customer already used: a warning, not a block
        assert app.screen.query_one("#po", Input).has_focus
        await pilot.press(*"PO-2024-77001", "enter")
        await until(pilot, lambda: "WARNING" in text_of(app, "#po-message"))
        assert "already used PO PO-2024-77001" in text_of(app, "#po-message")
        assert app.desk.get_draft(app.screen.draft_id).po_number == "PO-2024-77001"


async def test_card_checkout_validates_clears_and_never_stores_the_number(
    make_app: Any, make_client: Any, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        keys = _Keys(pilot)
        await open_cart(pilot, app)
        await add_entry(keys, app, "WDG-RED-M*3", expect_sku="WDG-RED-M", qty=3)  # type: ignore[arg-type]
        draft_id = app.screen.draft_id
        await pilot.press("f8")
        await until(pilot, lambda: screen_name(app) == "CheckoutScreen" and bool(app.screen.billing))
        # no ship-to was set: the customer's default is preselected, and shown
        assert (app.desk.get_draft(draft_id).ship_to or {}).get("address1") == "500 Commerce Drive"
        assert "500 Commerce Drive" in text_of(app, "#co-shipto")
        await pilot.press("tab", "down", "enter")  # Payment: Card
        await until(pilot, lambda: app.screen.query_one("#card-number", Input).has_focus)
        number = app.screen.query_one("#card-number", Input)
        assert number.password  # masked as typed
        await pilot.press(*"4111111111111112", "tab", *"Jo Avery", "tab", *"12", "tab", *"2030", "tab", *"123")
        await pilot.press("f9")  # a bad Luhn digit: refused before sending
        await until(pilot, lambda: "Card number is not valid" in text_of(app, "#co-message"))
        assert number.has_focus and app.desk.get_draft(draft_id).state != "submitted"
        card_inputs = [app.screen.query_one(f"#{f}", Input) for f in CARD_FIELDS]
        assert card_inputs[0].value == "4111111111111112"  # refused: nothing sent, nothing cleared
        number.focus()
        await pilot.press("end", "backspace", "1", "f9")
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")  # the last look names the card's last 4
        assert "Card ending 1111" in text_of(app, "#review-payment")
        await pilot.press("f9")
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen", timeout=30)
        order_number = app.screen.order_number
        confirmation = app.screen
        assert [i.value for i in card_inputs] == ["", "", "", "", ""]  # cleared once handed to the Desk

        # emailing the confirmation (prefilled with the customer's email)
        await until(pilot, lambda: app.screen.query_one("#conf-email", Input).value != "")
        await pilot.press("f9")
        await until(pilot, lambda: "Confirmation emailed to" in text_of(app, "#conf-message"), timeout=30)
        await pilot.press("f8")
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        assert confirmation not in app.screen_stack

    async with make_client() as client:
        await client.login()
        order = await client.orders.get(order_number)
    assert [(i.sku, i.quantity) for i in order.items] == [("WDG-RED-M", 3)]
    # the card number is nowhere on disk: drafts DB (and WAL), logs, config
    for path in tmp_path.rglob("*"):
        if path.is_file() and "sandbox" not in path.parts:
            data = path.read_bytes()
            assert CARD.encode() not in data, path
            assert b"4111 1111" not in data, path
