"""Checkout: review the lines and totals, pick channel, billing and payment, place the order.

The customer's default ship-to is preselected when the draft has none. F9 opens the
last look (``ReviewScreen``: lines, total, ship-to, PO, payment, a reused PO named);
only its F9 places the order. The cart's F9 opens this screen with the last look on
top (``review=True``), once the customer's addresses are read.

Card details live only in this screen's Inputs (masked as typed) until submit:
they are checked (Luhn, expiry, CVV) before the last look, handed to
``desk.checkout`` once, and the fields are cleared right after. "placed" opens
the confirmation; "queued" (offline) opens it too, saying the number comes when
the order lands; "failed" says why.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from nymble_desk.domain.cards import card_problems, expiry_year
from nymble_desk.domain.credit import Credit, credit_warning
from nymble_desk.errors import ApiError, in_plain_words
from nymble_desk.tui.draft_text import header_text, load_draft
from nymble_desk.tui.keymap import CHECKOUT_BINDINGS, key_name
from nymble_desk.tui.navigation import routes
from nymble_desk.tui.order_facts import facts_from_draft, po_warning
from nymble_desk.tui.screens.order_terms import OrderTermsScreen
from nymble_desk.tui.screens.review import ReviewScreen
from nymble_desk.tui.session_mode import session_mode_of
from nymble_desk.tui.stock_text import short_lines, short_warning, stock_note
from nymble_desk.tui.ship_to import address_from, address_line, preselect_ship_to
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.line_table import LineTable
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.widgets.totals_bar import TotalsBar
from nymble_desk.tui.desk_access import AppDesk, desk_of

CHANNELS = ("Phone", "Web", "TradeShow", "Email")
CARD_FIELDS = ("card-number", "card-holder", "card-month", "card-year", "card-cvv")  # "card-" + the domain's CardField


class ChoiceList(OptionList):
    """Pick one of a few choices; the chosen one is marked "[x]" in text, not by colour."""

    def __init__(self, choices: list[str], *, chosen: int = 0, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)
        self.choices = choices
        self.chosen = chosen

    def on_mount(self) -> None:
        self._render_choices()
        self.highlighted = self.chosen

    def _render_choices(self) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            [
                Option(Content(f"[{'x' if i == self.chosen else ' '}] {c}"), id=str(i))
                for i, c in enumerate(self.choices)
            ]
        )
        if highlighted is not None:
            self.highlighted = highlighted

    def choose(self, index: int) -> None:
        self.chosen = index
        self._render_choices()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option_index)


class CheckoutScreen(Screen[None]):
    CSS_PATH = "checkout.tcss"
    BINDINGS = CHECKOUT_BINDINGS

    submitting: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, draft_id: str, *, review: bool = False) -> None:
        super().__init__()
        self.draft_id = draft_id
        self.billing: list[dict[str, str]] = []
        self.customer_email: str | None = None
        self.loaded = False  # the customer's addresses were read (or could not be): ship-to preselected
        self.review_when_loaded = review
        self.po_note: str | None = None  # the duplicate-PO warning for the last look
        self.credit: Credit | None = None  # the customer's credit as the API told it (None: not read)
        self.stock_warning: str | None = None  # lines over stock, for the last look

    @property
    def desk(self) -> AppDesk:
        return desk_of(self)

    def compose(self) -> ComposeResult:
        self.draft = load_draft(self.desk, self.draft_id)
        yield Static(header_text("CHECKOUT", self.draft), id="co-header", markup=False)
        with Vertical(id="co-body"):
            yield LineTable(read_only=True, id="co-lines")
            yield TotalsBar(id="co-totals")
            yield Static(self._shipping_text(), id="co-shipto", markup=False)
            with Horizontal(id="co-choices"):
                with Vertical(id="co-channel-box"):
                    yield Label("Channel")
                    mode = session_mode_of(self).channel
                    yield ChoiceList(list(CHANNELS), id="co-channel",
                                     chosen=CHANNELS.index(mode) if mode in CHANNELS else 0)
                with Vertical(id="co-pay-box"):
                    yield Label("Payment")
                    terms = f"On terms ({self.draft.terms or 'account'})"
                    yield ChoiceList([terms, "Card"], id="co-payment")
                    yield Label("Bill to")
                    yield Select([], id="co-billing", compact=True, prompt="Billing address (loading)")
            with Grid(id="co-card"):
                yield Label("Card no.")
                yield OrderedInput(id="card-number", password=True, compact=True, placeholder="masked", max_length=23)
                yield Label("Holder")
                yield OrderedInput(id="card-holder", compact=True)
                yield Label("Exp MM")
                yield OrderedInput(id="card-month", compact=True, max_length=2, placeholder="MM")
                yield Label("Exp YYYY")
                yield OrderedInput(id="card-year", compact=True, max_length=4, placeholder="YYYY")
                yield Label("CVV")
                yield OrderedInput(id="card-cvv", password=True, compact=True, max_length=4)
            yield Static("F9 places the order.", id="co-message", markup=False)
        yield StatusLine()
        yield FitFooter()

    def _shipping_text(self) -> str:
        po = self.draft.po_number or "none"
        return f"Ship to: {address_line(self.draft.ship_to)}  |  PO: {po}"

    def on_mount(self) -> None:
        self.show()
        self.query_one("#co-card").display = False
        self.query_one("#co-channel").focus()
        self.load_billing()

    def on_screen_resume(self) -> None:
        self.draft = load_draft(self.desk, self.draft_id)
        self.show()

    def show(self) -> None:
        lines = [(line.sku, line.quantity) for line in self.draft.lines]
        stock = self.desk.stock([sku for sku, _ in lines])  # from the index, offline too (a warning, never a block)
        self.stock_warning = short_warning(short_lines(lines, stock), stock)
        self.query_one(LineTable).feed(stock=stock)
        self.query_one(LineTable).show_draft(self.draft)
        self.query_one(TotalsBar).show_draft(self.draft, stock_note(lines, stock))
        self.query_one("#co-shipto", Static).update(self._shipping_text())

    def say(self, text: str) -> None:
        self.query_one("#co-message", Static).update(text)

    @work(exclusive=True, group="checkout-billing", exit_on_error=False)
    async def load_billing(self) -> None:
        try:
            await self._read_customer()
            await self.check_po()
        finally:  # read or not, F9 is never left waiting for it
            self.loaded = True
        if self.review_when_loaded:
            self.review_when_loaded = False
            self.action_submit()

    async def _read_customer(self) -> None:
        """Billing choices, the customer's email, and the default ship-to preselected."""
        select = self.query_one("#co-billing", Select)
        try:
            summary = await self.desk.customer_summary(self.draft.customer_number)
        except ApiError as exc:
            select.set_options([])
            select.prompt = f"Billing unavailable ({in_plain_words(exc)})"
            return
        customer = summary.customer
        from nymble_desk.sync.desk import credit_of

        self.credit = credit_of(summary)
        self.query_one(TotalsBar).show_credit(self.credit)
        self.customer_email = customer.company_email
        self.draft = preselect_ship_to(self.desk, self.draft, customer)
        self.show()
        found = sorted(customer.addresses, key=lambda a: ((a.address_type or "").lower() != "billing", not a.default))
        self.billing = [address_from(a) for a in found]
        select.set_options([(address_line(a), i) for i, a in enumerate(self.billing)])
        if self.billing:
            select.value = 0

    async def check_po(self) -> None:
        po = self.draft.po_number
        if not po:
            return
        try:
            earlier = await self.desk.earlier_po_order(self.draft.customer_number, po)
        except ApiError as exc:
            self.po_note = f"PO {po}: earlier orders could not be checked ({in_plain_words(exc)})"
            return
        self.po_note = po_warning(po, earlier, self.draft.customer_name)

    # -- payment choice --------------------------------------------------------------
    @property
    def use_card(self) -> bool:
        return self.query_one("#co-payment", ChoiceList).chosen == 1

    @on(OptionList.OptionSelected, "#co-payment")
    def _payment_changed(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#co-card").display = event.option_index == 1
        if event.option_index == 1:
            self.query_one("#card-number", Input).focus()

    def channel(self) -> str:
        return CHANNELS[self.query_one("#co-channel", ChoiceList).chosen]

    def clear_card(self) -> None:
        for field in CARD_FIELDS:
            self.query_one(f"#{field}", Input).value = ""

    # -- submit ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return None if self.submitting else True
        return True

    def action_submit(self) -> None:
        """F9: check what can be checked here, then the last look; only its F9 places the order."""
        if self.submitting or isinstance(self.app.screen, ReviewScreen):
            return
        if not self.loaded:  # the default ship-to and the PO check are on their way: look when they are in
            self.review_when_loaded = True
            self.say("... Reading the customer's addresses; the last look follows")
            return
        self.draft = load_draft(self.desk, self.draft_id)
        self.show()
        if not self.draft.lines:
            self.say("! The cart is empty: add a line first (F7 back to the cart)")
            return
        if not self.draft.ship_to:
            self.say("! Ship-to is missing: press F6 to set it")
            return
        payment = f"On terms ({self.draft.terms or 'account'})"
        if self.use_card:
            values = {f: self.query_one(f"#{f}", Input).value.strip() for f in CARD_FIELDS}
            problems = [(f"card-{field}", message)
                        for field, message in card_problems(values["card-number"], values["card-holder"],
                                                            values["card-month"], values["card-year"],
                                                            values["card-cvv"])]
            if problems:
                self.say("! " + "; ".join(text for _, text in problems))
                self.query_one(f"#{problems[0][0]}", Input).focus()
                return
            payment = f"Card ending {values['card-number'][-4:]}"
            del values
        customer = f"{self.draft.customer_number} {self.draft.customer_name}"
        credit = None if self.use_card or self.credit is None else \
            credit_warning(self.credit, self.draft.totals().total, on_terms=True)
        unchecked = "Credit not checked: the customer could not be read" \
            if not self.use_card and self.credit is None else None
        review = ReviewScreen(customer, facts_from_draft(self.draft), payment=payment, channel=self.channel(),
                              warning="\n".join(w for w in (self.po_note, unchecked, self.stock_warning) if w) or None,
                              credit=credit)
        self.say("Last look: F9 places the order, F7 goes back")
        self.app.push_screen(review, lambda place: self._reviewed(place, review))

    def _reviewed(self, place: bool | None, review: ReviewScreen | None = None) -> None:
        if not place:
            self.say("Not placed. F9 shows the last look again.")
            return
        credit_note = review.credit_note if review is not None else None
        from nymble_desk.sync.desk import CardDetails, CheckoutInput

        card = None
        if self.use_card:
            values = {f: self.query_one(f"#{f}", Input).value.strip() for f in CARD_FIELDS}
            year = values["card-year"]
            card = CardDetails(
                number=values["card-number"].replace(" ", "").replace("-", ""),
                cardholder_name=values["card-holder"],
                expiry_month=values["card-month"].zfill(2),
                expiry_year=expiry_year(year) or 0,  # checked by card_problems before the last look
                cvv=values["card-cvv"],
            )
            del values
            self.clear_card()
        billing_index = self.query_one("#co-billing", Select).value
        billing = self.billing[billing_index] if isinstance(billing_index, int) else None
        request = CheckoutInput(channel=self.channel(), billing=billing, card=card, use_terms=card is None,
                                order_type=session_mode_of(self).order_type, credit_note=credit_note)
        self.submitting = True
        self.say("... Placing the order, please wait (do not close)")
        self.place_order(request)

    @work(group="checkout-submit", exit_on_error=False)
    async def place_order(self, request: Any) -> None:
        try:
            outcome = await self.desk.checkout(self.draft_id, request)
        except Exception as exc:
            self.submitting = False
            self.say(f"! Order not placed: {in_plain_words(exc)}. Nothing was charged twice; F9 tries again.")
            return
        finally:
            del request  # the card goes out of scope with it
        self.submitting = False
        if outcome.state == "placed":
            self.say(f"Order {outcome.order_number} placed.")
            self.open_confirmation(outcome.order_number, outcome.confirmation_id)
        elif outcome.state == "queued":
            self.say(
                "OFFLINE: the order is queued and will be placed when the API is back "
                f"({key_name(self.app, 'app-sync', 'f5')} syncs now). " + (outcome.message or "")
            )
            self.open_confirmation(None, None)  # it says "queued", then the number when the order lands
        else:
            self.say(f"! Order not placed: {outcome.message or 'unknown reason'}")

    def open_confirmation(self, order_number: str | None, confirmation_id: str | None) -> None:
        routes(self.app).confirmation(order_number, confirmation_id, draft_id=self.draft_id,
                                      email=self.customer_email, replace_order_screens=True)

    # -- the order's own terms -----------------------------------------------------------
    def action_order_terms(self) -> None:
        """F8: notes, ship via and cost, tax, rep discounts (kept in the draft, sent with the order)."""
        if self.submitting or isinstance(self.app.screen, (ReviewScreen, OrderTermsScreen)):
            return
        self.draft = load_draft(self.desk, self.draft_id)
        self.app.push_screen(OrderTermsScreen(self.draft), self._terms_saved)

    def _terms_saved(self, saved: bool | None) -> None:
        self.draft = load_draft(self.desk, self.draft_id)
        self.show()
        if saved:
            self.say(f"Terms saved: total {self.query_one(TotalsBar).total_text}. F9 places the order.")

    # -- navigation ----------------------------------------------------------------------
    def action_back(self) -> None:
        """F7 "Cart" (and Escape): to the cart, as the footer says, even when the checkout was
        opened from the ship-to screen (F8 there), which sits between them."""
        if not self.submitting:
            self.clear_card()
            self._to_cart()

    def _to_cart(self) -> None:
        if not routes(self.app).back_to_cart():
            self.dismiss()

    def action_shipping(self) -> None:
        """F6: the ship-to screen, opened over the cart (its "Cart" key then leads to the cart)."""
        if self.submitting:
            return
        self.clear_card()
        self._to_cart()
        routes(self.app).shipping(self.draft_id)
