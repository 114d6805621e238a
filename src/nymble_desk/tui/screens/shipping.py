"""Ship-to and PO number for a draft.

Pick one of the customer's addresses (enter on the list) or type a new one and
save it (f9, or enter in the last field); a missing field is named and nothing
typed is lost. The PO number is saved on enter; when the customer already used
it, a warning (not a block) says so.
"""

from __future__ import annotations


from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from nymble_desk.errors import ApiError, in_plain_words
from nymble_desk.tui.draft_text import header_text, load_draft
from nymble_desk.tui.keymap import SHIPPING_BINDINGS
from nymble_desk.tui.navigation import routes
from nymble_desk.tui.ship_to import (
    ADDRESS_FIELDS,
    address_from,
    address_line,
    is_shipping,
    preselect_ship_to,
    validate_address,
)
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.desk_access import AppDesk, desk_of


class ShippingScreen(Screen[None]):
    CSS_PATH = "shipping.tcss"
    BINDINGS = SHIPPING_BINDINGS

    def __init__(self, draft_id: str) -> None:
        super().__init__()
        self.draft_id = draft_id
        self.addresses: list[dict[str, str]] = []

    @property
    def desk(self) -> AppDesk:
        return desk_of(self)

    def compose(self) -> ComposeResult:
        self.draft = load_draft(self.desk, self.draft_id)
        yield Static(header_text("SHIP-TO / PO", self.draft), id="ship-header", markup=False)
        with Vertical(id="ship-body"):
            yield Static(self._ship_to_text(), id="ship-current", markup=False)
            yield Label("Customer's addresses (Enter picks one):", classes="section")
            yield OptionList(Option("Loading addresses...", disabled=True), id="addresses", compact=True)
            yield Label("Or type a new one (F9 or Enter in Country saves):", classes="section")
            with Grid(id="address-form"):
                for key, label, required in ADDRESS_FIELDS:
                    yield Label(label + ("*" if required else ""), classes="field-label")
                    yield OrderedInput(id=f"ship-{key}", compact=True)
            yield Static("", id="address-message", markup=False)
            with Horizontal(id="po-row"):
                yield Label("PO number", classes="field-label")
                yield OrderedInput(self.draft.po_number or "", id="po", compact=True, placeholder="Enter saves")
            yield Static("", id="po-message", markup=False)
        yield StatusLine()
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#addresses").focus()
        self.load_addresses()

    def _ship_to_text(self) -> str:
        return f"Ship to: {address_line(self.draft.ship_to)}"

    @work(exclusive=True, group="shipping-addresses", exit_on_error=False)
    async def load_addresses(self) -> None:
        options = self.query_one("#addresses", OptionList)
        try:
            summary = await self.desk.customer_summary(self.draft.customer_number)
        except Exception as exc:
            options.clear_options()
            options.add_option(Option(f"Addresses unavailable ({in_plain_words(exc)}): type one below", disabled=True))
            return
        customer = summary.customer
        self.draft = preselect_ship_to(self.desk, self.draft, customer)
        self.query_one("#ship-current", Static).update(self._ship_to_text())
        found = [a for a in (getattr(customer, "addresses", None) or []) if is_shipping(a)]
        found.sort(key=lambda a: not getattr(a, "default", False))
        self.addresses = [address_from(a) for a in found]
        options.clear_options()
        if not found:
            options.add_option(Option("No addresses on file: type one below", disabled=True))
            return
        for index, (model, address) in enumerate(zip(found, self.addresses, strict=False)):
            mark = " (default)" if getattr(model, "default", False) else ""
            options.add_option(Option(Content(address_line(address) + mark), id=str(index)))
        options.highlighted = 0

    @on(OptionList.OptionSelected, "#addresses")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        self.save_ship_to(self.addresses[int(event.option.id)])
        self.query_one("#po", Input).focus()

    def form_values(self) -> dict[str, str]:
        return {key: self.query_one(f"#ship-{key}", Input).value for key, _, _ in ADDRESS_FIELDS}

    def action_save_address(self) -> None:
        values = self.form_values()
        problems = validate_address(values)
        message = self.query_one("#address-message", Static)
        if problems:
            message.update("! " + "; ".join(text for _, text in problems))
            self.query_one(f"#ship-{problems[0][0]}", Input).focus()
            return
        self.save_ship_to({k: v.strip() for k, v in values.items()})
        self.query_one("#po", Input).focus()

    def save_ship_to(self, address: dict[str, str]) -> None:
        self.draft = self.desk.set_ship_to(self.draft_id, address)
        self.query_one("#ship-current", Static).update(self._ship_to_text())
        self.query_one("#address-message", Static).update("Ship-to saved.")

    @on(Input.Submitted)
    def _field_submitted(self, event: Input.Submitted) -> None:
        field_id = event.input.id or ""
        if field_id == "po":
            self.save_po(event.value.strip())
        elif field_id == "ship-country":
            self.action_save_address()
        elif field_id.startswith("ship-"):
            self.focus_next()

    def save_po(self, po: str) -> None:
        self.draft = self.desk.set_po(self.draft_id, po or None)
        message = self.query_one("#po-message", Static)
        message.update(f"PO {po} saved." if po else "PO cleared.")
        if po:
            self.check_po(po)

    @work(exclusive=True, group="shipping-po-check", exit_on_error=False)
    async def check_po(self, po: str) -> None:
        from nymble_desk.tui.order_facts import po_warning

        message = self.query_one("#po-message", Static)
        try:
            earlier = await self.desk.earlier_po_order(self.draft.customer_number, po)
        except ApiError as exc:
            message.update(f"PO {po} saved (could not check earlier orders: {in_plain_words(exc)}).")
            return
        warning = po_warning(po, earlier, self.draft.customer_name)
        message.update(f"{warning} (saved anyway)." if warning else f"PO {po} saved; not used before.")

    def action_back(self) -> None:
        self.dismiss()

    def action_checkout(self) -> None:
        po = self.query_one("#po", Input).value.strip()
        if po != (self.draft.po_number or ""):
            self.save_po(po)
        routes(self.app).checkout(self.draft_id)
