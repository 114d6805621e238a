"""The order is placed (or queued offline): its number, lines, total, ship-to and PO, and the email.

The figures come from the order as the API holds it (read once); until it is read, or
when it cannot be, from the draft that was placed, and the screen says which. F9 emails
the confirmation to the address in the field (the customer's email, filled in). An order
queued offline shows "QUEUED" and turns into the placed order, number and all, when a
sync places it (the app also notifies and the drafts screen lists it).
"""

from __future__ import annotations


from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from nymble_desk.errors import ApiError, in_plain_words
from nymble_desk.tui.keymap import CONFIRMATION_BINDINGS, key_name
from nymble_desk.tui.order_facts import OrderFacts, facts_from_draft, facts_from_order
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.desk_access import AppDesk, desk_of

FACT_LABELS = ("Lines", "Total", "Ship to", "PO")


def split_addresses(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def fact_id(label: str) -> str:
    return "conf-" + label.lower().replace(" ", "-")


class ConfirmationScreen(Screen[None]):
    CSS_PATH = "confirmation.tcss"
    BINDINGS = CONFIRMATION_BINDINGS

    def __init__(self, order_number: str | None, confirmation_id: str | None, *, email: str | None = None,
                 draft_id: str | None = None) -> None:
        super().__init__()
        self.order_number = order_number
        self.confirmation_id = confirmation_id
        self.email = email or ""
        self.draft_id = draft_id
        self.facts: OrderFacts | None = None

    @property
    def desk(self) -> AppDesk:
        return desk_of(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="conf-body"), Vertical(id="conf-box"):
            yield Static(self._title(), id="conf-title")
            with Grid(id="conf-facts"):
                yield Static("Order", classes="conf-label")
                yield Static(self._number_text(), id="conf-order", markup=False)
                yield Static("Conf. id", classes="conf-label")
                yield Static(self.confirmation_id or "-", id="conf-id", markup=False)
                for label in FACT_LABELS:
                    yield Static(label, classes="conf-label")
                    yield Static("-", id=fact_id(label), classes="conf-value", markup=False)
            yield Static("", id="conf-terms", markup=False)  # the order's own terms, when it has any
            yield Static("", id="conf-source", markup=False)
            yield Label("Email the confirmation to (comma-separated):")
            with Horizontal(id="conf-email-row"):
                yield OrderedInput(self.email, id="conf-email", compact=True, placeholder="name@example.com")
            yield Static("", id="conf-message", markup=False)
            yield Static(self._hint(), id="conf-hint", markup=False)
        yield StatusLine()
        yield FitFooter()

    def _title(self) -> str:
        return "ORDER PLACED" if self.order_number else "ORDER QUEUED (offline): it is placed when the API is back"

    def _number_text(self) -> str:
        return self.order_number or f"comes when the order lands ({key_name(self.app, 'app-sync', 'f5')} syncs now)"

    def _hint(self) -> str:
        send = "F9 emails it to the address above" if self.order_number else "Email once the order has landed"
        return f"{send} · F8 done (back to customers)"

    def on_mount(self) -> None:
        self.query_one("#conf-email").focus()
        if self.draft_id is None:
            return
        draft = self.desk.get_draft(self.draft_id)
        self.show_facts(facts_from_draft(draft))
        if self.order_number:
            self.read_order()
        else:
            self.watch(self.app, "syncs_done", self._after_sync, init=False)
        if not self.email:
            self.read_email(draft.customer_number)

    def show_facts(self, facts: OrderFacts) -> None:
        self.facts = facts
        extra = []
        for (label, value) in facts.rows():
            if label in FACT_LABELS:
                self.query_one(f"#{fact_id(label)}", Static).update(value)
            else:
                extra.append(f"{label} {value}")
        terms = self.query_one("#conf-terms", Static)
        terms.update(" · ".join(extra))
        terms.display = bool(extra)
        source = "as the API holds the order" if facts.source == "API" else "from the cart (the order is not read yet)"
        self.query_one("#conf-source", Static).update(f"Figures {source}.")

    def _after_sync(self, _count: int) -> None:
        """A queued order may have landed: show its number the moment it has one."""
        if self.order_number or self.draft_id is None:
            return
        draft = self.desk.get_draft(self.draft_id)
        if draft.state != "submitted" or not draft.order_number:
            return
        self.order_number, self.confirmation_id = draft.order_number, draft.confirmation_id
        self.query_one("#conf-title", Static).update(self._title())
        self.query_one("#conf-order", Static).update(self._number_text())
        self.query_one("#conf-id", Static).update(self.confirmation_id or "-")
        self.query_one("#conf-hint", Static).update(self._hint())
        self.say(f"The queued order landed: {self.order_number}.")
        self.read_order()

    @work(exclusive=True, group="confirmation-order", exit_on_error=False)
    async def read_order(self) -> None:
        if not self.order_number:
            return
        try:
            order = await self.desk.order(self.order_number)
        except ApiError as exc:
            self.query_one("#conf-source", Static).update(
                f"Figures from the cart (the order could not be read: {in_plain_words(exc)}).")
            return
        self.show_facts(facts_from_order(order))

    @work(exclusive=True, group="confirmation-email-address", exit_on_error=False)
    async def read_email(self, customer_number: str) -> None:
        try:
            summary = await self.desk.customer_summary(customer_number)
        except ApiError:
            return  # the field stays empty: the rep types the address
        field = self.query_one("#conf-email", Input)
        email = summary.customer.company_email
        if email and not field.value:
            field.value = self.email = email

    def say(self, text: str) -> None:
        self.query_one("#conf-message", Static).update(text)

    @on(Input.Submitted, "#conf-email")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_email()

    def action_email(self) -> None:
        if not self.order_number:
            self.say("! Email: the order has no number yet (queued offline); it can be emailed once it lands")
            return
        addresses = split_addresses(self.query_one("#conf-email", Input).value)
        bad = [a for a in addresses if "@" not in a or "." not in a.split("@")[-1]]
        if not addresses:
            self.say("! Email: type at least one address")
            return
        if bad:
            self.say(f"! Email: not an address: {', '.join(bad)}")
            return
        self.say(f"... Sending the confirmation to {', '.join(addresses)}")
        self.send_email(self.order_number, addresses)

    @work(exclusive=True, group="confirmation-email", exit_on_error=False)
    async def send_email(self, order_number: str, addresses: list[str]) -> None:
        try:
            await self.desk.email_confirmation(order_number, addresses)
        except ApiError as exc:
            self.say(f"! Email not sent: {in_plain_words(exc)}. F9 tries again.")
            return
        self.say(f"Confirmation emailed to {', '.join(addresses)}.")

    def action_done(self) -> None:
        """F8: on to the next customer, in a fresh lookup (not the last one's search)."""
        self.app.action_customers()  # type: ignore[attr-defined]
