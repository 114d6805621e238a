"""The cart: where a rep lives while taking an order.

Header with the customer, the customer panel (beside the lines when wide, above
them at 80 columns), the entry line, the lines table, the totals, the status
line and the footer. Every change goes through ``self.app.desk``: local
mutations commit to the draft cache before returning, then the view is brought
in step with the returned Draft; product look-ups run in workers.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import datetime, UTC
from typing import TYPE_CHECKING, Any, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from nymble_desk.domain.pricing import QuantityRule
from nymble_desk.errors import QuantityRejected, in_plain_words
from nymble_desk.tui.cart_entries import (EntryOutcome, batch_summary, codes_of, plan_entries, read_entries,
                                          settle_plan)
from nymble_desk.tui.draft_text import header_text, load_draft
from nymble_desk.tui.keymap import CART_BINDINGS
from nymble_desk.tui.navigation import routes
from nymble_desk.tui.screens.quantity import QuantityScreen, refusal
from nymble_desk.tui.stock_text import last_paid, short_lines, short_warning, stock_note
from nymble_desk.tui.widgets.customer_panel import CustomerPanel
from nymble_desk.tui.widgets.entry_line import EntryLine
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.line_table import LineTable
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.widgets.totals_bar import TotalsBar
from nymble_desk.tui.desk_access import AppDesk, desk_of

if TYPE_CHECKING:
    from nymble_desk.sync.history import OrderGuide, StockLevel

#: a batch of entries redraws the lines at most this often (the last line is always drawn)
REDRAW_S = 0.1
#: an entry burst (paste, scans) is over when no line came for this long; then one summary
BATCH_QUIET_S = 0.15
#: lines taken from the queue at a time (each SKU of a chunk is looked up and written once)
CHUNK = 1000
#: the longest a chunk waits for the rest of a burst before it is added (progress stays visible)
MAX_BURST_WAIT_S = 2.0
#: product look-ups in flight at once for a chunk
LOOKUPS_AT_ONCE = 8


class CartScreen(Screen[None]):
    CSS_PATH = "cart.tcss"
    BINDINGS = CART_BINDINGS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (Textual types it ClassVar[...] | None)

    def __init__(self, draft_id: str) -> None:
        super().__init__()
        self.draft_id = draft_id
        self.draft: Any = None
        self.products: dict[str, Any] = {}  # looked up this session, by SKU and UPC: re-adding works offline
        self._offered: tuple[str, ...] = ()  # the conflicts last put to the rep (offered once each)
        self._entries: deque[str] = deque()  # lines entered and not yet added, in arrival order
        self._draining = False  # drain_entries is working through them
        self.bought: OrderGuide | None = None  # what this customer bought before (last prices), from the index
        self.history_read = False  # their last orders were read from the API since the cart opened
        self.stock: Mapping[str, StockLevel] = {}  # on hand of the lines' SKUs, as last shown
        self._looked_up_at: dict[str, datetime] = {}  # when each product of self.products was looked up

    @property
    def desk(self) -> AppDesk:
        return desk_of(self)

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
        self.load_history()

    def on_unmount(self) -> None:
        """Leaving the cart: an empty draft is not kept (an entry still being looked up keeps it)."""
        adding = any(w.node is self and w.group in ("cart-entry", "cart-reorder") and not w.is_finished
                     for w in self.app.workers)
        if self.draft is not None and not adding:
            self.desk.leave_draft(self.draft_id)

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
            self.settle("theirs" if keep == "theirs" else "mine")  # as resolve_conflicts reads it

    @work(group="cart-conflicts", exit_on_error=False)
    async def settle(self, keep: Literal["mine", "theirs"]) -> None:
        try:
            draft = await self.desk.resolve_conflicts(self.draft_id, keep)
        except Exception as exc:
            self.say(f"! Could not settle the conflicts: {in_plain_words(exc)}")
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
        self.stock = self._stock_of(draft)
        currency = draft.currency
        bought = self.bought
        table.feed(stock=self.stock, last_paid={line.sku: last_paid(bought.item(line.sku), currency)
                                                for line in draft.lines} if bought is not None else {})
        table.show_draft(draft)
        if select:
            table.select_sku(select)
        note = stock_note(((line.sku, line.quantity) for line in draft.lines), self.stock)
        self.query_one(TotalsBar).show_draft(draft, note)
        self.query_one("#cart-header", Static).update(header_text("CART", draft))
        self.offer_conflicts()

    def say(self, text: str) -> None:
        self.query_one(EntryLine).say(text)

    # -- stock and this customer's history ---------------------------------------------------
    def _stock_of(self, draft: Any) -> dict[str, StockLevel]:
        """On hand of the draft's SKUs from the local index (offline too); a SKU the index does not
        hold yet takes the figure of the product looked up this session."""
        from nymble_desk.sync.history import StockLevel

        skus = [line.sku for line in draft.lines]
        try:
            levels = dict(self.desk.stock(skus))
        except Exception:  # the index is a cache: without it the lines show no stock
            levels = {}
        for sku in skus:
            product = self.products.get(sku.upper())
            on_hand = getattr(product, "quantity_on_hand", None)
            if sku not in levels and on_hand is not None:
                levels[sku] = StockLevel(int(on_hand), self._looked_up_at.get(sku.upper()))
        return levels

    def warn_short(self, skus: Sequence[str]) -> str | None:
        """The words naming the lines among ``skus`` that ask for more than is on hand; never refuses. They go
        in the entry line's message (a toast would cover the totals at 80x24)."""
        if self.draft is None:
            return None
        wanted = set(skus)
        short = short_lines(((line.sku, line.quantity) for line in self.draft.lines if line.sku in wanted),
                            self.stock)
        return short_warning(short, self.stock, datetime.now(UTC))

    @work(group="cart-history", exit_on_error=False)
    async def load_history(self) -> None:
        """Read this customer's last orders into the index (one API call); offline, the stored ones answer."""
        customer = self.draft.customer_number
        self.bought = self.desk.last_bought(customer)  # what is stored, at once
        if self.draft.lines:
            self.show(self.draft)
        self.history_read = await self.desk.refresh_history(customer)
        self.bought = self.desk.last_bought(customer)
        if self.is_attached and self.draft is not None:
            self.show(self.draft)

    def action_order_guide(self) -> None:
        """F11: the order guide of the customer in front (from the index: offline too)."""
        draft = self.draft
        guide = self.desk.order_guide(draft.customer_number)
        stock = self.desk.stock([item.sku for item in guide.items])
        status = getattr(self.app, "sync_status", None)
        routes(self.app).order_guide(
            f"{draft.customer_number} {draft.customer_name}", guide, stock, currency=draft.currency,
            add=self.add_from_guide, in_cart=self._quantities, online=bool(getattr(status, "online", True)))

    def _quantities(self) -> dict[str, int]:
        draft = load_draft(self.desk, self.draft_id)
        return {line.sku: line.quantity for line in draft.lines}

    async def add_from_guide(self, lines: Sequence[tuple[str, int]]) -> list[tuple[str, str | None]]:
        """Add guide lines as if typed ``SKU*QTY`` (the same checks and one write); (text, refusal) each."""
        outcomes = await self.add_entries([f"{sku}*{quantity}" for sku, quantity in lines])
        last = next((o for o in reversed(outcomes) if o.draft is not None), None)
        if last is not None:
            self.show(last.draft)
        warning = self.warn_short([o.sku for o in outcomes if o.refused is None and o.sku])
        self.say(f"From the guide: {batch_summary(outcomes)}" + (f" · {warning}" if warning else ""))
        return [(o.text, o.refused) for o in outcomes]

    # -- entry -------------------------------------------------------------------------
    @on(EntryLine.Entered)
    def _entered(self, event: EntryLine.Entered) -> None:
        """Lines typed, scanned or pasted join one queue and are added strictly in arrival order."""
        self._entries.extend(event.texts)
        if not self._draining:
            self._draining = True
            self.drain_entries()

    @work(group="cart-entry", exit_on_error=False)
    async def drain_entries(self) -> None:
        """Add the queued lines in order, a chunk at a time. One line reports at once; a burst (a paste,
        bracketed or not, or scans back to back) ends with one summary of the whole batch."""
        entry = self.query_one(EntryLine)
        batch: list[EntryOutcome] = []
        drawn_at = time.monotonic()
        try:
            while True:
                while self._entries:
                    # lines of an unbracketed paste: let the burst arrive, then add it in one chunk
                    burst_until = time.monotonic() + MAX_BURST_WAIT_S
                    while entry.keys_coming() and time.monotonic() < burst_until and len(self._entries) < CHUNK:
                        entry.say(f"... Receiving lines: {len(batch) + len(self._entries)} so far")
                        await asyncio.sleep(0.01)
                    chunk = [self._entries.popleft() for _ in range(min(CHUNK, len(self._entries)))]
                    outcomes = await self.add_entries(chunk)
                    batch.extend(outcomes)
                    last = next((o for o in reversed(outcomes) if o.draft is not None), None)
                    if last is not None and (len(batch) == 1 or time.monotonic() - drawn_at > REDRAW_S):
                        self.show(last.draft, select=last.sku)  # a long batch redraws a few times, not per line
                        drawn_at = time.monotonic()
                    if len(batch) == 1 and not self._entries:
                        self._report_one(entry, batch[0])
                # the rest of a burst may still be on its way (an unbracketed paste comes in several reads)
                quiet_until = time.monotonic() + BATCH_QUIET_S
                while not self._entries and time.monotonic() < quiet_until:
                    await asyncio.sleep(0.01)
                if not self._entries:
                    break
        finally:
            self._draining = False  # no await after this: a line queued from now starts a new drain
        if len(batch) > 1:
            self.show(load_draft(self.desk, self.draft_id))
            self._report_batch(entry, batch)

    async def _products(self, codes: list[str]) -> dict[str, Any]:
        """Each code's product (or the reason it has none), looked up once each, a few at a time."""
        found: dict[str, Any] = {}
        limit = asyncio.Semaphore(LOOKUPS_AT_ONCE)

        async def one(code: str) -> None:
            async with limit:
                try:
                    product = await self.desk.find_product(code)
                except Exception as exc:  # offline or failing: use what this session saw, else say so
                    product = self.products.get(code.upper()) or f"Could not look up {code}: {in_plain_words(exc)}"
                found[code] = product if product is not None else f"No product {code}"

        await asyncio.gather(*(one(code) for code in codes))
        return found

    async def add_entries(self, texts: list[str]) -> list[EntryOutcome]:
        """Add lines as typed, in order; never raises (a refusal is an outcome with the reason).

        Each line is checked against the line as the lines before it left it (quantity rule, the
        99,999 limit); the accepted quantities of a SKU are then committed together, in the order
        the SKUs first came, so a chunk of a paste costs one lookup per SKU and one write in all."""
        read = read_entries(texts)
        codes = codes_of(read)
        products = await self._products(codes) if codes else {}
        for product in products.values():
            if not isinstance(product, str):  # re-adding works offline
                self.products[product.sku.upper()] = product
                self._looked_up_at[product.sku.upper()] = datetime.now(UTC)
                if product.upc:
                    self.products[product.upc] = product
        plan = plan_entries(read, products, self._in_cart)
        draft = None
        refused: dict[str, Exception] = {}
        if plan.adding:
            try:  # every accepted SKU in one transaction: one commit and one read-back for the whole chunk
                draft, refused = self.desk.add_lines(self.draft_id, list(plan.adding.values()))
            except Exception as exc:  # the cache could not be written: nothing of the chunk was added
                refused = {sku: RuntimeError(in_plain_words(exc)) for sku in plan.adding}
            else:
                self.draft = draft
        return settle_plan(plan, draft, refused, self._in_cart)

    def _report_one(self, entry: EntryLine, outcome: EntryOutcome) -> None:
        if outcome.refused is not None:
            entry.failed(outcome.text, outcome.refused)
            return
        message = outcome.message
        item = self.bought.item(outcome.sku) if self.bought is not None and outcome.sku else None
        if item is not None:
            message += f" · last paid {last_paid(item, self.draft.currency)}"
        warning = self.warn_short([outcome.sku]) if outcome.sku else None
        entry.succeeded_then_next(outcome.text, f"{message} · {warning}" if warning else message)

    def _report_batch(self, entry: EntryLine, batch: list[EntryOutcome]) -> None:
        refused = [o for o in batch if o.refused is not None]
        warning = self.warn_short([o.sku for o in batch if o.refused is None and o.sku])
        entry.say(batch_summary(batch) + (f" · {warning}" if warning else ""))
        if refused:
            entry.keep_for_fixing([o.text for o in refused])

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
        except QuantityRejected:
            rule = QuantityRule(line.minimum, line.increment) if line is not None else QuantityRule()
            self.say("! " + refusal(sku, rule, quantity))
            return
        except Exception as exc:
            self.say(f"! {sku}: {in_plain_words(exc)}")
            return
        self.show(draft, select=sku if quantity else None)
        warning = self.warn_short([sku]) if quantity else None
        said = f"Removed {sku}" if quantity == 0 else f"{sku}: quantity {quantity}"
        self.say(f"{said} · {warning}" if warning else said)

    # -- reorder from a past order (the customer panel's last orders) ---------------------
    @on(CustomerPanel.Loaded)
    def _customer_loaded(self, event: CustomerPanel.Loaded) -> None:
        """The customer's credit beside the total (available, or "! OVER CREDIT" naming the amount)."""
        from nymble_desk.sync.desk import credit_of

        try:
            credit = credit_of(event.summary)
        except (AttributeError, TypeError):  # a summary without the credit fields: nothing to show
            return
        self.query_one(TotalsBar).show_credit(credit)

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
            self.say(f"! Could not read {order_number}: {in_plain_words(exc)}")
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
                skipped.append(f"{item.sku} ({in_plain_words(exc)})")
                continue
            added += 1
            self.show(draft, select=item.sku)
        note = f"; not added: {', '.join(skipped)}" if skipped else ""
        warning = self.warn_short([item.sku for item in order.items])
        note += f" · {warning}" if warning else ""
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
        routes(self.app).shipping(self.draft_id)

    def action_checkout(self, *, review: bool = False) -> None:
        queued = self.draft is not None and self.draft.checkout_queued and not self.draft.conflicts
        if self.draft is not None and (self.draft.state == "submitted" or queued):
            self.show_placed()  # placed or queued already: its confirmation, never a second order
            return
        if self.draft is not None and not self.draft.lines:
            self.say("! The cart is empty: add a line first")
            return
        if self.offer_conflicts(again=True):
            return  # settled first: an order must never carry what the rep has not seen
        routes(self.app).checkout(self.draft_id, review=review)

    def action_review(self) -> None:
        """F9: the checkout with the last look on top (the default ship-to, terms, channel Phone)."""
        self.action_checkout(review=True)

    def show_placed(self) -> None:
        draft = self.draft
        self.say(f"Order {draft.order_number} is placed" if draft.order_number
                 else "! The order is queued (offline): it is placed when the API is back")
        routes(self.app).confirmation(draft.order_number, draft.confirmation_id, draft_id=self.draft_id)
