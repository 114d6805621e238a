"""Desk: the one object the TUI talks to.

Local changes (open a draft, add/change/remove lines, ship-to, PO, notes,
discard) are synchronous and committed to the draft cache before they return;
they never touch the network, so a network failure can never be raised from
them (:mod:`nymble_desk.sync.draft_edits`).  Network work (search, summaries,
checkout, sync) is async, here; its outcome also feeds :attr:`status`
(online/offline, queued count, last error).  The values it hands up and takes
in are in :mod:`nymble_desk.sync.desk_types` (re-exported here).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, UTC
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from nymble_desk.domain.pricing import TierPrice, unit_price
from nymble_desk.drafts.models import Draft, DraftState, OrderTerms
from nymble_desk.drafts.store import DraftStore
from nymble_desk.errors import (  # CustomerInactive, QuantityRejected: re-exported; defined in errors
    ApiError,
    CustomerInactive as CustomerInactive,
    QuantityRejected as QuantityRejected,
)
from nymble_desk.sync.cards import CardDetails, CardVault
from nymble_desk.sync.cart_fields import settle_fields
from nymble_desk.sync.desk_types import (
    CheckoutInput,
    CheckoutOutcome,
    CustomerSummary,
    Identity,
    Landed,
    PoUse,
    credit_of,
)
from nymble_desk.sync.draft_edits import DraftEdits, plain_address
from nymble_desk.sync.engine import NEEDS_CARD, SyncEngine
from nymble_desk.sync.history import HISTORY_ORDERS
from nymble_desk.sync.status import SyncStatus

if TYPE_CHECKING:
    from nymble_desk.api.client import NymbleClient
    from nymble_desk.index.history import OrderGuide, PastLine
    from nymble_desk.sync.desk_index import DeskIndex
    from nymble_desk.sync.history import StockLevel

__all__ = [
    "CardDetails",
    "CheckoutInput",
    "CheckoutOutcome",
    "CustomerInactive",
    "CustomerSummary",
    "Desk",
    "Identity",
    "Landed",
    "OrderTerms",
    "PoUse",
    "QuantityRejected",
    "credit_of",
]

log = logging.getLogger(__name__)
CLOSED_INVOICE = {"paid", "voided", "cancelled", "canceled"}
SUMMARY_MAX_AGE = 60.0  # seconds a customer summary is reused across screens


class Desk(DraftEdits):
    """The one object the TUI talks to: network reads, the draft edits of :class:`DraftEdits`, checkout and sync."""

    def __init__(self, client: NymbleClient, store: DraftStore, *, engine: SyncEngine | None = None,
                 index_identity: Callable[[], str] | None = None, index_in_child: bool = False) -> None:
        self.client = client
        #: Whose server the local index mirrors (e.g. the demo sandbox's identity, stable across its random
        #: ports); asked in a thread once signed in.  None: the API's base URL.
        self.index_identity = index_identity
        #: Fill the index in a child process (``index.fill``): for a client on a real network address.
        self.index_in_child = index_in_child
        self.store = store
        self.cards = CardVault()
        self.engine = engine or SyncEngine(store, client, cards=self.cards)
        if engine is not None:
            self.cards = engine.cards
        #: The local search index (``sync.desk_index.DeskIndex``), opened by :meth:`sign_in`;
        #: a Desk never signed in (tests) asks the API for everything.
        self.lookups: DeskIndex | None = None
        #: customer number -> (monotonic time, summary): the cart's panel, ship-to and checkout
        #: screens all show the same customer within a minute; one read serves them all.
        self._summaries: dict[str, tuple[float, CustomerSummary]] = {}
        self._summary_reads: dict[str, asyncio.Future[CustomerSummary]] = {}  # reads under way, by customer
        self._orders: dict[str, Any] = {}  # order number -> api.models.Order (placed orders do not change here)
        self._landed: list[Landed] = []
        self._po_uses: dict[tuple[str, str], PoUse | None] = {}  # (customer, PO) -> earlier order, this session
        #: customer -> (lines latest first, when read): histories read without an index (a Desk never signed in)
        self._histories: dict[str, tuple[list[PastLine], datetime]] = {}

    @property
    def index(self) -> Any:
        """The :class:`~nymble_desk.index.SearchIndex` after sign-in, else None."""
        return self.lookups.index if self.lookups is not None else None

    # -- network reads ------------------------------------------------------------------
    async def sign_in(self) -> Identity:
        current = getattr(getattr(self.client, "http", None), "_current_token", None)
        # A token already obtained (e.g. by the first search) is reused: one sign-in call, not two.
        await self.engine._call(current() if current is not None else self.client.login())
        claims = self.client.claims
        creds = self.client.http.credentials
        identity = Identity(
            org_code=(claims.org_code if claims else None) or getattr(creds, "org_code", None),
            role=claims.role if claims else None,
            rep_number=claims.rep_number if claims else None,
            user_id=claims.user_id if claims else None,
            customer_number=claims.customer_number if claims else None,
        )
        await asyncio.to_thread(self._open_index, identity)
        return identity

    def _open_index(self, identity: Identity) -> None:
        from nymble_desk.sync.desk_index import DeskIndex, index_scope

        path = getattr(self.store, "path", None)
        if path is None:
            return
        server = self.index_identity() if self.index_identity is not None else str(getattr(self.client, "base_url", ""))
        scope = index_scope(identity, server)
        if self.lookups is not None and self.lookups.scope == scope:
            return
        try:
            lookups = DeskIndex(path, scope, fill_in_child=self.index_in_child)
        except Exception:  # a cache: without it every search asks the API, as before
            log.exception("cannot open the search index in %s", path)
            return
        old, self.lookups = self.lookups, lookups
        if old is not None:
            old.close()

    async def refresh_index(self, on_progress: Any = None) -> Any:
        """Fill (first time) or refresh (what changed since) the search index; None before sign-in."""
        if self.lookups is None:
            return None
        report = await self.lookups.refresh(self.client, on_progress)
        if any(k.kind == "products" and k.completed for k in report.kinds):
            await asyncio.to_thread(self.engine.note_prices)
        return report

    def cancel_index_refresh(self) -> None:
        if self.lookups is not None:
            self.lookups.cancel()

    def index_freshness(self) -> Any:
        """``index.Freshness`` (counts, last refresh; ``.describe(now)``), or None without an index."""
        return self.lookups.freshness() if self.lookups is not None else None

    def search_now(self, kind: str, text: str, limit: int) -> list[Any] | None:
        """``kind`` ("customers"/"products") hits from the index at once, or None: then await search_*."""
        return self.lookups.search_now(kind, text, limit) if self.lookups is not None else None

    async def search_customers(self, text: str, limit: int = 20) -> list[Any]:
        if self.lookups is not None:
            hits = await self.lookups.search_customers(text, limit)
            if hits is not None:
                return hits
        page = await self.engine._call(self.client.customers.search(keyword=text.strip() or None, page_size=limit))
        return list(page.items)[:limit]

    async def customer_summary(self, number: str, *, max_age: float = SUMMARY_MAX_AGE) -> CustomerSummary:
        """The customer with open invoices and last orders; a summary read less than ``max_age``
        seconds ago is reused (``max_age=0`` reads again, e.g. after a payment)."""
        cached = self._summaries.get(number)
        if cached is not None and time.monotonic() - cached[0] < max_age:
            return cached[1]
        reading = self._summary_reads.get(number)
        if reading is None:  # the cart's panel and its history ask at once: one read serves both
            reading = self._summary_reads[number] = asyncio.ensure_future(self._read_summary(number))
            reading.add_done_callback(lambda _done: self._summary_reads.pop(number, None))
        summary = await asyncio.shield(reading)
        self._summaries[number] = (time.monotonic(), summary)
        return summary

    async def _read_summary(self, number: str) -> CustomerSummary:
        from nymble_desk.api.paging import Filter

        mine = [Filter("customerNumber", "equals", number)]
        customer, invoices, orders = await self.engine._call(asyncio.gather(
            self.client.customers.get(number),
            self.client.invoices.search(mine, page_size=50),
            # the last HISTORY_ORDERS orders: the panel shows the first few, the order guide is made of all
            self.client.orders.search(mine, sort_on="orderDate", sort_direction="desc", page_size=HISTORY_ORDERS),
        ))
        open_invoices = [i for i in invoices.items if str(getattr(i, "status", "")).lower() not in CLOSED_INVOICE]
        await self._keep_history(number, orders.items)
        return CustomerSummary(customer, open_invoices, orders=list(orders.items))

    async def search_products(self, text: str, limit: int = 10) -> list[Any]:
        if self.lookups is not None:
            hits = await self.lookups.search_products(text, limit)
            if hits is not None:
                return hits
        page = await self.engine._call(self.client.products.search(keyword=text.strip() or None, page_size=limit))
        self.engine.note_prices()
        return list(page.items)[:limit]

    async def find_product(self, code: str) -> Any | None:
        if self.lookups is not None and code.strip():
            hit = await self.lookups.get_product(code.strip())
            if hit is not None:
                return hit
        product = await self.engine._call(self.client.products.find(code.strip()))
        self.engine.note_prices()
        return product

    async def po_used_before(self, customer_number: str, po: str) -> bool:
        from nymble_desk.api.paging import Filter

        if self.lookups is not None and await self.lookups.po_used_before(customer_number, po):
            return True
        page = await self.engine._call(self.client.orders.search(
            [Filter("customerNumber", "equals", customer_number), Filter("poNumber", "equals", po)], page_size=5))
        return any((o.po_number or "").strip().lower() == po.strip().lower() for o in page.items)

    async def earlier_po_order(self, customer_number: str, po: str) -> PoUse | None:
        """The customer's latest earlier order with this PO (case-insensitive), or None when unused.

        The API names the order (number, date); offline, the local index can only say the PO was
        used (``PoUse(None, None)``); with neither, the failure is raised (the screen says so)."""
        from nymble_desk.api.paging import Filter

        key = (customer_number, po.strip().upper())
        if key in self._po_uses:  # the ship-to screen asked; the last look asks again: one call
            return self._po_uses[key]
        try:
            page = await self.engine._call(self.client.orders.search(
                [Filter("customerNumber", "equals", customer_number), Filter("poNumber", "equals", po)],
                sort_on="orderDate", sort_direction="desc", page_size=5))
        except ApiError:
            if self.lookups is not None and await self.lookups.po_used_before(customer_number, po):
                return PoUse(None, None)
            raise
        found = next((PoUse(o.order_number, o.order_date) for o in page.items
                      if (o.po_number or "").strip().lower() == po.strip().lower()), None)
        self._po_uses[key] = found
        return found

    # -- what the customer bought before, and stock (sync/history.py) ---------------------------
    async def refresh_history(self, customer_number: str, *, max_age: float = SUMMARY_MAX_AGE) -> bool:
        """Bring the customer's last orders into the index; False when the API could not answer: then the
        guide and last prices answer from what was stored before. The orders come with the customer
        summary (one read serves the panel and the history; a summary under ``max_age`` seconds old is reused)."""
        try:
            await self.customer_summary(customer_number, max_age=max_age)
        except ApiError:
            return False
        return True

    async def _keep_history(self, customer_number: str, orders: Sequence[Any]) -> None:
        """Store the lines of ``orders`` (the customer's latest) as their history: in the index, else in memory."""
        from nymble_desk.sync.history import past_lines

        lines = past_lines(orders)
        if self.lookups is None:  # never signed in (no index): kept for this session
            self._histories[customer_number] = (lines, datetime.now(UTC))
            return
        try:
            await asyncio.to_thread(self.lookups.index.record_history, customer_number, lines)
        except Exception:  # a cache: the guide then shows what it held before
            log.exception("cannot store the order history of %s", customer_number)

    def order_guide(self, customer_number: str, last_n: int | None = None) -> OrderGuide:
        """The customer's order guide from the index (their last ``last_n`` orders; GUIDE_ORDERS by default)."""
        from nymble_desk.index.history import GUIDE_ORDERS, build_guide, latest_orders

        n = last_n or GUIDE_ORDERS
        if self.lookups is not None:
            return self.lookups.index.order_guide(customer_number, n)
        lines, at = self._histories.get(customer_number, ([], None))
        return build_guide(customer_number, latest_orders(lines, n), at)

    def last_bought(self, customer_number: str) -> OrderGuide:
        """Every SKU the customer bought in the stored orders, with the last price paid and its date."""
        from nymble_desk.index.history import build_guide

        if self.lookups is not None:
            return self.lookups.index.last_bought(customer_number)
        lines, at = self._histories.get(customer_number, ([], None))
        return build_guide(customer_number, lines, at)

    def stock(self, skus: Iterable[str]) -> dict[str, StockLevel]:
        """``quantityOnHand`` by SKU from the index, with when it was read (offline too); {} without one."""
        from nymble_desk.sync.history import stock_levels

        return stock_levels(self.lookups.index, skus) if self.lookups is not None else {}

    async def order(self, order_number: str) -> Any:
        """The placed order as the API holds it (``api.models.Order``), read once per order number."""
        cached = self._orders.get(order_number)
        if cached is None:
            cached = self._orders[order_number] = await self.engine._call(self.client.orders.get(order_number))
        return cached

    async def email_confirmation(self, order_number: str, addresses: list[str]) -> None:
        order = await self.order(order_number)
        await self.engine._call(self.client.orders.email_confirmation(order.id, addresses))

    # -- checkout and sync ----------------------------------------------------------------
    async def checkout(self, draft_id: str, request: CheckoutInput) -> CheckoutOutcome:
        """Queue the checkout and try to place it now; "queued" when the API is unreachable."""
        draft = self.store.get(draft_id)
        if draft.state == DraftState.SUBMITTED:
            return CheckoutOutcome("placed", draft.order_number, draft.confirmation_id, "already placed")
        problem = None
        if not draft.lines:
            problem = "the cart is empty"
        elif not draft.ship_to:
            problem = "ship-to address is missing"
        elif request.card is None and not request.use_terms:
            problem = "choose a card or the customer's terms"
        elif [c for c in draft.conflicts if c != NEEDS_CARD]:
            problem = "settle the conflicts with the server cart first: " + "; ".join(
                c for c in draft.conflicts if c != NEEDS_CARD)
        if problem:
            return CheckoutOutcome("failed", message=problem)
        if draft.state != DraftState.SUBMITTING:
            if request.card is not None:
                self.cards.put(draft_id, request.card)
            if NEEDS_CARD in draft.conflicts:
                self.store.record_conflicts(draft_id, [c for c in draft.conflicts if c != NEEDS_CARD])
            if request.credit_note and request.credit_note not in (draft.notes or ""):
                self.store.set_notes(draft_id, "\n".join(n for n in (draft.notes, request.credit_note) if n))
            self.store.queue_checkout(draft_id, {
                "channel": request.channel,
                "billing": plain_address(request.billing),
                "payment": "card" if request.card is not None else "terms",
                **({"order_type": request.order_type} if request.order_type else {}),
            })
        await self.engine.run_once(draft_id)
        draft = self.store.get(draft_id)
        if draft.state == DraftState.SUBMITTED:
            self._placed(draft.customer_number)
            return CheckoutOutcome("placed", draft.order_number, draft.confirmation_id)
        if draft.state == DraftState.CONFLICT:
            self.cards.forget(draft_id)
            message = draft.last_error or "; ".join(draft.conflicts)
            for op in self.store.pending_ops(draft_id):  # "failed" means failed: nothing fires later
                if op.kind == "checkout":
                    self.store.fail_op(op.id, f"checkout not placed: {message}")
            return CheckoutOutcome("failed", message=message)
        why = self.engine.status.last_error
        return CheckoutOutcome("queued", message=f"It will be placed when the API answers ({why})." if why else
                               "It will be placed when the API answers.")

    async def sync_now(self) -> SyncStatus:
        report = await self.engine.run_once()
        for draft_id, order_number in report.placed.items():
            draft = self.store.get(draft_id)
            self._placed(draft.customer_number)
            self._landed.append(Landed(draft_id, order_number, draft.customer_number, draft.customer_name))
        return self.status

    def _placed(self, customer_number: str) -> None:
        """A new order for the customer: its balance, invoices and used POs are no longer what was read."""
        self._summaries.pop(customer_number, None)
        self._po_uses = {k: v for k, v in self._po_uses.items() if k[0] != customer_number}

    def take_landed(self) -> list[Landed]:
        """Orders queued offline that a sync has placed since the last call (each given once)."""
        landed, self._landed = self._landed, []
        return landed

    @property
    def status(self) -> SyncStatus:
        return self.engine.status

    async def resolve_conflicts(self, draft_id: str, keep: Literal["mine", "theirs"]) -> Draft:
        """Addition: settle a draft's conflicts. ``mine`` sends the draft's lines (ship-to, PO) over
        the server's; ``theirs`` takes the server's quantities (prices, ship-to, PO) into the draft."""
        draft = self.store.get(draft_id)
        remote = self.store.remote_lines(draft_id)
        settle_fields(self.engine, draft, remote, keep)
        for sku, seen in ((k, v) for k, v in remote.items() if not k.startswith("@")):
            line = draft.line(sku)
            if keep == "theirs":
                qty = int(seen["quantity"])
                product = None
                if line is None and qty > 0:  # a line only the server had: learn its name, price and rules
                    try:
                        product = await self.find_product(sku)
                    except ApiError:
                        product = None
                price = Decimal(seen["price"]) if seen.get("price") else (line.unit_price if line else Decimal(0))
                if product is not None:
                    tiers = [TierPrice(p.tier, Decimal(p.price), p.at_quantity) for p in product.prices]
                    price = unit_price(Decimal(product.price), tiers, draft.price_tier, qty)
                self.store.adopt_line(draft_id, sku, qty, name=line.name if line else sku, unit_price=price)
                if product is not None:  # same quantity as the server: queues nothing that needs a call
                    self.store.set_line(
                        draft_id, sku, qty, name=product.name or sku, unit_price=price,
                        minimum=product.minimum_order_quantity or 1, increment=product.quantity_increment or 1,
                        upc=product.upc, list_price=Decimal(product.price),
                        tier_prices=[(t.tier, t.price, t.at_quantity) for t in tiers])
            else:
                self.store.rebase_line(draft_id, sku, int(seen["quantity"]))
                if seen.get("price") and line is not None:
                    self.store.set_line(draft_id, sku, line.quantity, name=line.name,
                                        unit_price=Decimal(seen["price"]), minimum=line.minimum,
                                        increment=line.increment, upc=line.upc, list_price=line.list_price,
                                        tier_prices=line.tier_prices)
        return self.store.record_conflicts(draft_id, [c for c in draft.conflicts if c == NEEDS_CARD], {})

