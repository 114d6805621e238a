"""The order is placed: its number and confirmation, and an offer to email the confirmation."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from nymble_desk.tui.keymap import CONFIRMATION_BINDINGS
from nymble_desk.tui.screens.cart import plain_error
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine


def split_addresses(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class ConfirmationScreen(Screen[None]):
    CSS_PATH = "confirmation.tcss"
    BINDINGS = CONFIRMATION_BINDINGS

    def __init__(self, order_number: str, confirmation_id: str | None, *, email: str | None = None) -> None:
        super().__init__()
        self.order_number = order_number
        self.confirmation_id = confirmation_id
        self.email = email or ""

    @property
    def desk(self) -> Any:
        return self.app.desk  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="conf-body"):
            with Vertical(id="conf-box"):
                yield Static("ORDER PLACED", id="conf-title")
                yield Static(f"Order number:  {self.order_number}", id="conf-order")
                yield Static(f"Confirmation:  {self.confirmation_id or '-'}", id="conf-id")
                yield Label("Email the confirmation to (comma-separated), then F9 or Enter:")
                with Horizontal(id="conf-email-row"):
                    yield OrderedInput(self.email, id="conf-email", compact=True, placeholder="name@example.com")
                yield Static("", id="conf-message", markup=False)
                yield Static("F8: done (back to customers).", id="conf-hint")
        yield StatusLine()
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#conf-email").focus()

    def say(self, text: str) -> None:
        self.query_one("#conf-message", Static).update(text)

    @on(Input.Submitted, "#conf-email")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_email()

    def action_email(self) -> None:
        addresses = split_addresses(self.query_one("#conf-email", Input).value)
        bad = [a for a in addresses if "@" not in a or "." not in a.split("@")[-1]]
        if not addresses:
            self.say("! Email: type at least one address")
            return
        if bad:
            self.say(f"! Email: not an address: {', '.join(bad)}")
            return
        self.say(f"... Sending the confirmation to {', '.join(addresses)}")
        self.send_email(addresses)

    @work(exclusive=True, group="confirmation-email", exit_on_error=False)
    async def send_email(self, addresses: list[str]) -> None:
        try:
            await self.desk.email_confirmation(self.order_number, addresses)
        except Exception as exc:
            self.say(f"! Email not sent: {plain_error(exc)}. F9 tries again.")
            return
        self.say(f"Confirmation emailed to {', '.join(addresses)}.")

    def action_done(self) -> None:
        self.dismiss()
