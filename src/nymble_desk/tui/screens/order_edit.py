"""Changes to a placed order: its ship-to address, its customer, and the confirmation email.

Each modal sends with F9 and goes back with F7 or Escape; it answers a one-line
message once the API accepted the change (else None). A refusal, local or from
the API, is shown by the field at fault and the typed text stays.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from nymble_desk.errors import in_plain_words
from nymble_desk.tui.customer_text import format_address
from nymble_desk.tui.keymap import AFTER_MODAL_BINDINGS
from nymble_desk.tui.screens.payment import not_done
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.form_rows import form_row
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.worker_outcome import error_of, result_of

ADDRESS_FIELDS = (("address1", "Address 1"), ("address2", "Address 2"), ("city", "City"),
                  ("stateProvince", "State/Prov."), ("zipPostalCode", "Postal code"), ("country", "Country"))


def _field(address: Any, name: str) -> str:
    if address is None:
        return ""
    attr = {"stateProvince": "state_province", "zipPostalCode": "postal_code"}.get(name, name)
    return str(getattr(address, attr, None) or "")


class _OrderModal(ModalScreen[str | None]):
    """Shared: a box with a title, the fields, a message line and the keys; sending in a worker.

    Textual calls ``on_worker_state_changed`` of every class in the MRO, so a
    subclass handles its own workers there without calling ``super()``.
    """

    BINDINGS = AFTER_MODAL_BINDINGS
    CSS_PATH = "order_edit.tcss"
    KEYS = "F9 send · F7/Esc back"

    def __init__(self, order: Any) -> None:
        super().__init__()
        self.order = order
        self._send: Worker[Any] | None = None

    def say(self, text: str) -> None:
        self.query_one(".edit-message", Static).update(text)

    def keys_line(self) -> Static:
        return Static(self.KEYS, classes="edit-keys", markup=False)

    def start(self, job: Any) -> None:
        if self._send is not None and self._send.is_running:
            return
        self.say("Sending…")
        self._send = job

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._send:
            return
        if event.state is WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state is WorkerState.ERROR:
            self.say(not_done("Not changed.", error_of(event.worker)))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:  # pragma: no cover - each modal defines it
        raise NotImplementedError

    def action_back(self) -> None:
        self.dismiss(None)


class ShipToScreen(_OrderModal):
    """Change the order's shipping address (method and cost stay as they are)."""

    AUTO_FOCUS = "#ship-address1"
    KEYS = "F9 save ship-to · F7/Esc back · Enter on a saved address fills it"

    def __init__(self, order: Any) -> None:
        super().__init__(order)
        self.saved: list[Any] = []
        self._saved: Worker[Any] | None = None

    def compose(self) -> ComposeResult:
        ship = self.order.shipping_details
        current = (ship.shipping_address if ship else None) or (
            self.order.customer.shipping_address if self.order.customer else None)
        with Vertical(classes="edit-box"):
            yield Static(f"Ship-to of {self.order.order_number} · now {format_address(current)}",
                         classes="edit-title", markup=False)
            for name, label in ADDRESS_FIELDS:
                yield form_row(label, OrderedInput(_field(current, name), id=f"ship-{name}", compact=True))
            yield OptionList(id="ship-saved")
            yield Static("", classes="edit-message", markup=False)
            yield self.keys_line()
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        if self.order.customer is not None:
            self._saved = self.load_saved(self.order.customer.customer_number)

    @work(exclusive=True, group="shipto-addresses", exit_on_error=False)
    async def load_saved(self, number: str) -> Any:
        return await self.app.after_sales.client.customers.get(number)  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self._saved and event.state is WorkerState.SUCCESS:
            self.saved = list(result_of(event.worker).shipping_addresses)
            box = self.query_one("#ship-saved", OptionList)
            for i, a in enumerate(self.saved):
                box.add_option(Option(("* " if a.default else "  ") + format_address(a), id=str(i)))
        # the base class's handler (called by Textual too) deals with the send worker

    @on(OptionList.OptionSelected, "#ship-saved")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        address = self.saved[int(event.option.id or 0)]
        for name, _ in ADDRESS_FIELDS:
            self.query_one(f"#ship-{name}", Input).value = _field(address, name)
        self.query_one("#ship-address1", Input).focus()

    def action_submit(self) -> None:
        address = {name: self.query_one(f"#ship-{name}", Input).value.strip() for name, _ in ADDRESS_FIELDS}
        missing = [label for name, label in ADDRESS_FIELDS if name in ("address1", "city", "country")
                   and not address[name]]
        if missing:
            self.say(f"! {missing[0]}: required.")
            return
        self.start(self.send({k: v for k, v in address.items() if v}))

    @work(exclusive=True, group="shipto-send", exit_on_error=False)
    async def send(self, address: dict[str, str]) -> str:
        order = await self.app.after_sales.change_shipping(self.order, address)  # type: ignore[attr-defined]
        where = order.shipping_details.shipping_address if order.shipping_details else None
        return f"{order.order_number} now ships to {format_address(where)}."


class MoveCustomerScreen(_OrderModal):
    """Move the order to another customer: Enter looks the customer up, F9 moves."""

    AUTO_FOCUS = "#move-customer"
    KEYS = "Enter look up · F9 move · F7/Esc back"

    def __init__(self, order: Any) -> None:
        super().__init__(order)
        self.target: Any = None
        self._lookup: Worker[Any] | None = None

    def compose(self) -> ComposeResult:
        c = self.order.customer
        with Vertical(classes="edit-box"):
            yield Static(f"Move {self.order.order_number} from {c.customer_number if c else '-'} "
                         f"{(c.company_name or '') if c else ''}".rstrip(), classes="edit-title", markup=False)
            yield form_row("To customer", OrderedInput("", placeholder="CUST-…", id="move-customer", compact=True))
            yield Static("", classes="edit-message", markup=False)
            yield self.keys_line()
        yield FitFooter(show_command_palette=False, compact=True)

    @on(Input.Changed, "#move-customer")
    def _typed(self, event: Input.Changed) -> None:
        self.target = None

    @on(Input.Submitted, "#move-customer")
    def _lookup_typed(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # Enter looks up here; only F9 moves
        number = event.value.strip().upper()
        if not number:
            self.say("! To customer: type a customer number.")
            return
        self.say(f"Looking up {number}…")
        self._lookup = self.lookup(number)

    @work(exclusive=True, group="move-lookup", exit_on_error=False)
    async def lookup(self, number: str) -> Any:
        return await self.app.after_sales.client.customers.get(number)  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self._lookup:
            if event.state is WorkerState.SUCCESS:
                self.target = event.worker.result
                c = self.order.customer
                flag = "  INACTIVE" if self.target.active is False else ""
                self.say(f"Will move {self.order.order_number} from {c.customer_number if c else '-'} to "
                         f"{self.target.customer_number} {self.target.company_name or ''}{flag} "
                         "(customer and billing address). F9 to move.")
            elif event.state is WorkerState.ERROR:
                self.say(f"! To customer: {in_plain_words(event.worker.error)}")
        # the base class's handler (called by Textual too) deals with the send worker

    def action_submit(self) -> None:
        if self.target is None:
            self.say("! To customer: press Enter to look the customer up first.")
            return
        self.start(self.send(self.target.customer_number))

    @work(exclusive=True, group="move-send", exit_on_error=False)
    async def send(self, number: str) -> str:
        order = await self.app.after_sales.move_to_customer(self.order, number)  # type: ignore[attr-defined]
        return f"{order.order_number} now belongs to {order.customer.customer_number}."


class EmailScreen(_OrderModal):
    """Email the order confirmation to one or more addresses (comma separated)."""

    AUTO_FOCUS = "#email-to"
    KEYS = "F9 or Enter send · F7/Esc back"

    def compose(self) -> ComposeResult:
        c = self.order.customer
        with Vertical(classes="edit-box"):
            yield Static(f"Email the confirmation of {self.order.order_number}", classes="edit-title",
                         markup=False)
            yield form_row("To", OrderedInput((c.company_email or "") if c else "", placeholder="a@b.com, c@d.com",
                                              id="email-to", compact=True))
            yield Static("", classes="edit-message", markup=False)
            yield self.keys_line()
        yield FitFooter(show_command_palette=False, compact=True)

    def action_submit(self) -> None:
        addresses = [a for a in self.query_one("#email-to", Input).value.replace(";", ",").split(",") if a.strip()]
        self.start(self.send(addresses))

    @work(exclusive=True, group="email-send", exit_on_error=False)
    async def send(self, addresses: list[str]) -> str:
        await self.app.after_sales.email_confirmation(self.order, addresses)  # type: ignore[attr-defined]
        return f"Confirmation of {self.order.order_number} sent to {', '.join(a.strip() for a in addresses)}."
