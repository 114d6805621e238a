"""The cart: where a rep lives while taking an order.

Header with the customer, the customer panel (beside the lines when wide, above
them at 80 columns), the entry line, the lines table, the totals, the status
line and the footer. Every change goes through ``self.app.desk``: local
mutations commit to the draft cache before returning, then the view is brought
in step with the returned Draft; product look-ups run in workers.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from nymble_desk.domain.pricing import QuantityRule
from nymble_desk.tui.keymap import CART_BINDINGS
from nymble_desk.tui.screens.quantity import QuantityScreen, refusal
from nymble_desk.tui.widgets.customer_panel import CustomerPanel
from nymble_desk.tui.widgets.entry_line import EntryLine
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.line_table import LineTable
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.widgets.totals_bar import TotalsBar


def load_draft(desk: Any, draft_id: str) -> Any:
    """The draft with ``draft_id`` from the local cache (no network)."""
    return desk.get_draft(draft_id)


def header_text(title: str, draft: Any) -> str:
    tier = draft.price_tier or "list"
    terms = f" {draft.terms}" if draft.terms else ""
    return f"{title}  {draft.customer_number} {draft.customer_name}  [{tier} {draft.currency}{terms}]"


def plain_error(exc: BaseException) -> str:
    """A network or API failure in plain words (never a traceback)."""
    if type(exc).__name__ in ("Unreachable", "ConnectError", "TimeoutException"):
        return "the API is unreachable (offline)"
    text = getattr(exc, "message", None) or getattr(exc, "detail", None) or str(exc)
    return str(text) if text else type(exc).__name__


class CartScreen(Screen[None]):
    CSS_PATH = "cart.tcss"
    BINDINGS = CART_BINDINGS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(self, draft_id: str) -> None:
        super().__init__()
        self.draft_id = draft_id
        self.draft: Any = None
        self.products: dict[str, Any] = {}  # looked up this session, by SKU and UPC: re-adding works offline
        self._offered: tuple[str, ...] = ()  # the conflicts last put to the rep (offered once each)

    @property
    def desk(self) -> Any:
        return self.app.desk  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        self.draft = load_draft(self.desk, self.draft_id)
        yield Static(header_text("CART", self.draft), id="cart-header", markup=False)
        with Horizontal(id="cart-body"):
            with Vertical(id="cart-main"):
                yield EntryLine(self._search, self._search_now, id="entry-line")
                yield LineTable(id="lines")
                yield TotalsBar(id="totals")
            yield CustomerPanel(self.draft.customer_number)
        yield StatusLine()
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one(EntryLine).set_currency(self.draft.currency)
        self.query_one(EntryLine).set_price_tier(self.draft.price_tier)
        self.show(self.draft)
        self.query_one("#entry").focus()
        self.watch(self.app, "syncs_done", self._after_sync, init=False)

    def on_screen_resume(self) -> None:
        # back from shipping/checkout: the draft may have changed there
        if self.draft is not None:
            self.show(load_draft(self.desk, self.draft_id))

    def _after_sync(self, _count: int) -> None:
        """A sync finished: the draft may have been placed, synced or put in conflict."""
        if self.draft is not None and self.is_current:
            self.show(load_draft(self.desk, self.draft_id))

    # -- conflicts with the server cart -------------------------------------------------
    def open_conflicts(self) -> list[str]:
        """The conflicts that need the rep's choice (a card to enter again is the checkout's business)."""
        from nymble_desk.sync.engine import NEEDS_CARD

        return [c for c in getattr(self.draft, "conflicts", ()) if c != NEEDS_CARD]

    def offer_conflicts(self, *, again: bool = False) -> bool:
        """Put the draft's conflicts to the rep (each set once, unless ``again``); True when there are any."""
        from nymble_desk.tui.screens.conflicts import ConflictsScreen

        conflicts = self.open_conflicts()
        if conflicts and self.is_current and (again or tuple(conflicts) != self._offered):
            self._offered = tuple(conflicts)
            self.app.push_screen(ConflictsScreen(conflicts), self._chosen)
        return bool(conflicts)

    def _chosen(self, keep: str | None) -> None:
        if keep is None:
            self.say("! Conflicts with the server cart wait for you: F8 shows them again")
        else:
            self.settle(keep)

    @work(group="cart-conflicts", exit_on_error=False)
    async def settle(self, keep: str) -> None:
        try:
            draft = await self.desk.resolve_conflicts(self.draft_id, keep)
        except Exception as exc:
            self.say(f"! Could not settle the conflicts: {plain_error(exc)}")
            return
        self._offered = ()
        self.show(draft)
        self.say("Kept this draft's: sending it to the server" if keep == "mine"
                 else "Took the server's into this draft")
        self.app.start_sync()  # type: ignore[attr-defined]

    async def _search(self, text: str) -> list[Any]:
        return list(await self.desk.search_products(text, limit=5))

    def _search_now(self, text: str) -> list[Any] | None:
        return self.desk.search_now("products", text, 5)

    # -- view ------------------------------------------------------------------------
    def show(self, draft: Any, select: str | None = None) -> None:
        self.draft = draft
        table = self.query_one(LineTable)
        table.show_draft(draft)
        if select:
            table.select_sku(select)
        self.query_one(TotalsBar).show_draft(draft)
        self.query_one("#cart-header", Static).update(header_text("CART", draft))
        self.offer_conflicts()

    def say(self, text: str) -> None:
        self.query_one(EntryLine).say(text)

    # -- entry -------------------------------------------------------------------------
    @on(EntryLine.Entered)
    def _entered(self, event: EntryLine.Entered) -> None:
        self.add_entry(event.text, event.code, event.quantity)

    @work(group="cart-entry", exit_on_error=False)
    async def add_entry(self, text: str, code: str, quantity: int | None) -> None:
        entry = self.query_one(EntryLine)
        try:
            product = await self.desk.find_product(code)
        except Exception as exc:  # offline or failing: use what this session saw, else say so
            product = self.products.get(code.upper())
            if product is None:
                entry.failed(text, f"Could not look up {code}: {plain_error(exc)}")
                return
        if product is None:
            entry.failed(text, f"No product {code}")
            return
        self.products[product.sku.upper()] = product
        if product.upc:
            self.products[product.upc] = product
        rule = QuantityRule(product.minimum_order_quantity or 1, product.quantity_increment or 1)
        qty = quantity if quantity is not None else rule.smallest
        try:
            draft = self.desk.add_line(self.draft_id, product, qty)
        except Exception as exc:
            if type(exc).__name__ == "QuantityRejected":
                entry.failed(text, refusal(product.sku, rule, qty, already=self._in_cart(product.sku)))
            else:
                entry.failed(text, f"{product.sku}: {plain_error(exc)}")
            return
        self.show(draft, select=product.sku)
        line = draft.line(product.sku)
        entry.succeeded(text, f"Added {qty} x {product.sku}" + (f" (now {line.quantity})" if line and line.quantity != qty else ""))

    def _in_cart(self, sku: str) -> int:
        line = self.draft.line(sku) if self.draft is not None else None
        return line.quantity if line else 0

    # -- lines -------------------------------------------------------------------------
    def _line(self, sku: str) -> Any:
        return self.draft.line(sku) if self.draft is not None else None

    @on(LineTable.EditQuantity)
    def _edit(self, event: LineTable.EditQuantity) -> None:
        line = self._line(event.sku)
        if line is None:
            return

        def done(quantity: int | None) -> None:
            if quantity is not None:
                self.change_quantity(line.sku, quantity)

        self.app.push_screen(QuantityScreen(line.sku, line.name, line.quantity, line.minimum, line.increment), done)

    @on(LineTable.Remove)
    def _remove(self, event: LineTable.Remove) -> None:
        self.change_quantity(event.sku, 0)

    @on(LineTable.Step)
    def _step(self, event: LineTable.Step) -> None:
        line = self._line(event.sku)
        if line is None:
            return
        rule = QuantityRule(line.minimum, line.increment)
        quantity = line.quantity + event.steps * rule.increment
        if quantity < rule.smallest:
            self.say(f"! {line.sku}: minimum {rule.smallest}; Delete removes the line")
            return
        self.change_quantity(line.sku, quantity)

    def change_quantity(self, sku: str, quantity: int) -> None:
        line = self._line(sku)
        try:
            if quantity == 0:
                draft = self.desk.remove_line(self.draft_id, sku)
            else:
                draft = self.desk.set_quantity(self.draft_id, sku, quantity)
        except Exception as exc:
            if type(exc).__name__ == "QuantityRejected" and line is not None:
                self.say("! " + refusal(sku, QuantityRule(line.minimum, line.increment), quantity))
            else:
                self.say(f"! {sku}: {plain_error(exc)}")
            return
        self.show(draft, select=sku if quantity else None)
        self.say(f"Removed {sku}" if quantity == 0 else f"{sku}: quantity {quantity}")

    # -- reorder from a past order (the customer panel's last orders) ---------------------
    @on(CustomerPanel.Reorder)
    def _reorder(self, event: CustomerPanel.Reorder) -> None:
        self.say(f"... Copying the lines of {event.order_number}")
        self.reorder(event.order_number)

    @work(exclusive=True, group="cart-reorder", exit_on_error=False)
    async def reorder(self, order_number: str) -> None:
        """Add a past order's lines at today's prices; lines that cannot be added are named."""
        try:
            order = await self.desk.client.orders.get(order_number)
        except Exception as exc:
            self.say(f"! Could not read {order_number}: {plain_error(exc)}")
            return
        added, skipped = 0, []
        for item in order.items:
            try:
                product = await self.desk.find_product(item.sku)
                if product is None:
                    skipped.append(f"{item.sku} (no longer sold)")
                    continue
                draft = self.desk.add_line(self.draft_id, product, item.quantity)
            except Exception as exc:
                skipped.append(f"{item.sku} ({plain_error(exc)})")
                continue
            added += 1
            self.show(draft, select=item.sku)
        note = f"; not added: {', '.join(skipped)}" if skipped else ""
        self.say(f"Reorder {order_number}: {added} line(s) added at today's prices{note}")
        self.query_one("#entry").focus()

    # -- actions -------------------------------------------------------------------------
    def action_toggle_lines(self) -> None:
        table = self.query_one(LineTable)
        if table.has_focus:
            self.query_one("#entry").focus()
        else:
            table.focus()

    def action_customer_panel(self) -> None:
        self.query_one(CustomerPanel).toggle_full()

    def action_shipping(self) -> None:
        from nymble_desk.tui.screens.shipping import ShippingScreen

        self.app.push_screen(ShippingScreen(self.draft_id))

    def action_checkout(self) -> None:
        if self.draft is not None and not self.draft.lines:
            self.say("! The cart is empty: add a line first")
            return
        if self.offer_conflicts(again=True):
            return  # settled first: an order must never carry what the rep has not seen
        from nymble_desk.tui.screens.checkout import CheckoutScreen

        self.app.push_screen(CheckoutScreen(self.draft_id))
