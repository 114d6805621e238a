"""SyncEngine: replays the outbox against the API, per draft, in order.

For each draft with queued ops: reconcile a checkout left ``submitting`` (via
the order with that ``originationCartId`` and the cart's status) before sending
anything; ensure the remote cart (reuse the customer's active cart, otherwise
create it with the first line); bring each queued line to its target quantity
with POST add / PUT / DELETE as the server cart requires (so three changes of
one line are one PUT); set shipping and PO (``cart_fields``: never over a change
made elsewhere); then, with nothing else pending and no conflict (the cart's
ship-to and PO compared with the draft's too), check out at most once (the draft is ``submitting`` in the
database before the request leaves).

Transient failures (unreachable, timeout, 5xx, 429) leave ops queued and stop
that draft's pass; refusals (400/409) fail the op and put the draft in
``conflict`` with the server's words; lines changed elsewhere become conflicts.
"""

from __future__ import annotations

import contextlib
import asyncio
import logging
from datetime import datetime, UTC
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from nymble_desk.drafts.models import Draft, DraftState, OutboxOp
from nymble_desk.drafts.store import DraftStore
from nymble_desk.errors import (
    TRANSIENT,
    ApiError,
    BadRequest,
    Conflict,
    NotFound,
    OutcomeUnknown,
    Unreachable,
    in_plain_words,
)
from nymble_desk.sync.cards import CardVault
from nymble_desk.sync.cart_fields import CartFieldsMixin
from nymble_desk.sync.reconcile import foreign_lines, plan_line, price_conflict
from nymble_desk.sync.status import SyncReport, SyncStatus

if TYPE_CHECKING:
    from nymble_desk.api.client import NymbleClient
    from nymble_desk.api.models import Discount as ApiDiscount
    from nymble_desk.domain.totals import Discount as DomainDiscount

T = TypeVar("T")
log = logging.getLogger("nymble_desk.sync")

NEEDS_CARD = "needs card: the card was not kept after nymble-desk stopped; enter it again or check out on terms"
PRICES_AS_OF = "prices_as_of"


class _StopDraft(Exception):
    """Leave this draft for now (a transient failure or a conflict was recorded)."""


class SyncEngine(CartFieldsMixin):
    def __init__(self, store: DraftStore, client: NymbleClient, *, cards: CardVault | None = None,
                 order_type: str = "Standard") -> None:
        self.store = store
        self.client = client
        self.cards = cards if cards is not None else CardVault()
        self.order_type = order_type
        self._lock = asyncio.Lock()
        self._online = True
        self._last_error: str | None = None
        self._report = SyncReport()
        self._prices_as_of: datetime | None = None
        self._prices_saved: datetime | None = None

    # -- status -------------------------------------------------------------------------
    @property
    def status(self) -> SyncStatus:
        if self._prices_as_of is None:
            as_of = self.store.get_meta(PRICES_AS_OF)
            self._prices_as_of = datetime.fromisoformat(as_of) if as_of else None
        return SyncStatus(online=self._online, queued=self.store.queued_count(), last_error=self._last_error,
                          prices_as_of=self._prices_as_of)

    def note_success(self) -> None:
        self._online, self._last_error = True, None

    def note_failure(self, exc: BaseException) -> None:
        """Record a call's failure: unreachable (or a lost reply) means offline; any answer means online."""
        if isinstance(exc, ApiError):
            self._online = not (isinstance(exc, (Unreachable, OutcomeUnknown)) and exc.status is None)
            self._last_error = exc.message
        else:
            self._online, self._last_error = False, in_plain_words(exc)

    def note_prices(self) -> None:
        """Prices were just fetched; persisted at most once a minute (each write is an fsync)."""
        now = datetime.now(UTC)
        if self._prices_saved is None or (now - self._prices_saved).total_seconds() >= 60:
            self.store.set_meta(PRICES_AS_OF, now.isoformat())
            self._prices_saved = now
        self._prices_as_of = now

    async def _call(self, coro: Awaitable[T]) -> T:
        self._report.calls += 1
        try:
            result = await coro
        except ApiError as exc:
            self.note_failure(exc)
            raise
        self.note_success()
        return result

    # -- the run ------------------------------------------------------------------------
    async def run_once(self, draft_id: str | None = None) -> SyncReport:
        """Replay what is queued (for one draft, or all); never raises for an API failure."""
        async with self._lock:
            self._report = report = SyncReport()
            order: list[str] = []
            for op in self.store.pending_ops(draft_id):
                if op.draft_id not in order:
                    order.append(op.draft_id)
            for d in self.store.list_drafts():
                if d.state == DraftState.SUBMITTING and d.id not in order and draft_id in (None, d.id):
                    order.append(d.id)
            blocked: set[str] = set()  # customers whose earlier draft is stuck: keep their order of changes
            for did in order:
                draft = self.store.get(did)
                if draft.customer_number in blocked:
                    continue
                try:
                    await self._sync_draft(draft)
                except _StopDraft:
                    if self.store.pending_ops(did):
                        blocked.add(draft.customer_number)
                except TRANSIENT as exc:
                    blocked.add(draft.customer_number)
                    report.errors.append(exc.message)
                    if isinstance(exc, Unreachable) or not self._online:
                        break  # the network is down (refused or timing out): the rest would fail the same way
                except ApiError as exc:  # an answer no rule above expected (e.g. 401 after re-login, 403)
                    blocked.add(draft.customer_number)
                    report.errors.append(exc.message)
                    self.store.set_state(did, self.store.get(did).state, exc.message)
                except Exception as exc:  # a bug or a malformed answer: log the traceback, keep the others going
                    log.exception("sync of draft %s failed", did)
                    blocked.add(draft.customer_number)
                    self._last_error = f"sync of a draft failed unexpectedly ({type(exc).__name__}); see the log"
                    report.errors.append(self._last_error)
            report.remaining = len(self.store.pending_ops(draft_id))
            return report

    async def _sync_draft(self, draft: Draft) -> None:
        if draft.state == DraftState.SUBMITTING:
            draft = await self._reconcile_submitting(draft)
            if draft.state == DraftState.SUBMITTED:
                return
        if draft.state == DraftState.CONFLICT and draft.conflicts:
            self._report.conflicts[draft.id] = list(draft.conflicts)
            return
        ops = self.store.pending_ops(draft.id)
        if not ops:
            self._settle(draft)
            return
        cart = await self._ensure_cart(draft, ops)
        if cart is None:
            return
        cart = await self._sync_lines(draft, cart, [o for o in ops if o.kind == "line"])
        cart, conflicts, remote = await self._sync_fields(draft, cart, ops)
        draft = self.store.get(draft.id)
        checkout = [o for o in self.store.pending_ops(draft.id) if o.kind == "checkout"]
        if checkout and not conflicts and draft.state != DraftState.CONFLICT \
                and len(self.store.pending_ops(draft.id)) == 1:
            conflicts, remote = self._field_differences(draft, cart)
        if conflicts:  # the server cart's ship-to or PO was changed elsewhere: the rep decides
            self.store.record_conflicts(draft.id, conflicts, remote)
            self._report.conflicts[draft.id] = conflicts
            return
        if checkout and draft.state != DraftState.CONFLICT and len(self.store.pending_ops(draft.id)) == 1:
            differs = self._differences(draft, cart)
            if differs:  # e.g. a line the server refused is still in the draft: never order something else
                message = "the server cart does not match this draft: " + "; ".join(differs)
                self.store.set_state(draft.id, DraftState.CONFLICT, message)
                self._report.failed[draft.id] = message
                return
            await self._checkout(draft, cart, checkout[0])
        else:
            self._settle(self.store.get(draft.id))

    @staticmethod
    def _differences(draft: Draft, cart: Any) -> list[str]:
        want = {line.sku: line.quantity for line in draft.lines}
        have = {item.sku: cart.quantity_of(item.sku) for item in cart.items if cart.quantity_of(item.sku) > 0}
        return [f"{sku}: {want.get(sku, 0)} here, {have.get(sku, 0)} on the server"
                for sku in sorted(set(want) | set(have)) if want.get(sku, 0) != have.get(sku, 0)]

    def _settle(self, draft: Draft) -> None:
        if draft.state in (DraftState.PENDING, DraftState.LOCAL) and not self.store.pending_ops(draft.id) \
                and draft.remote_cart_id:
            self.store.set_state(draft.id, DraftState.SYNCED)

    def _transient(self, op: OutboxOp | None, exc: ApiError) -> NoReturn:
        if op is not None:
            self.store.note_attempt(op.id, exc.message)
        raise exc

    def _refused(self, draft: Draft, op: OutboxOp, exc: ApiError, what: str) -> NoReturn:
        message = f"{what} refused by the server: {exc.message}"
        self.store.fail_op(op.id, message)  # not retried: the rep must change something (last_error says what)
        self.store.set_state(draft.id, DraftState.CONFLICT, message)
        self._report.failed[draft.id] = message
        raise _StopDraft

    # -- cart ---------------------------------------------------------------------------
    async def _ensure_cart(self, draft: Draft, ops: list[OutboxOp]) -> Any:
        carts = self.client.carts
        if draft.remote_cart_id:
            try:
                cart = await self._call(carts.get(draft.remote_cart_id))
            except NotFound:
                self.store.set_remote_cart(draft.id, None)
                return await self._ensure_cart(self.store.get(draft.id), ops)
            if cart.is_active:
                return cart
            order = await self._call(self.client.orders.find_by_origination_cart(cart.id))
            message = (f"the server cart was checked out elsewhere as order {order.order_number}" if order
                       else f"the server cart is {cart.status} and takes no more changes")
            if draft.state == DraftState.DISCARDED:
                for op in ops:
                    self.store.complete_op(op.id)
                return None
            self.store.record_conflicts(draft.id, [message])
            self.store.set_state(draft.id, DraftState.CONFLICT, message)
            self._report.conflicts[draft.id] = [message]
            return None
        active = await self._call(carts.active_for_customer(draft.customer_number))
        if active is not None:
            self.store.set_remote_cart(draft.id, active.id)
            return active
        if draft.state == DraftState.DISCARDED:  # nothing on the server to clean up
            for op in ops:
                self.store.complete_op(op.id)
            return None
        first = next(iter(draft.lines), None)
        if first is None:
            return None  # a cart cannot be created empty: wait for a line
        self.store.mark_line_sent(draft.id, first.sku, first.quantity)
        line_op = next((o for o in ops if o.key == f"line:{first.sku}"), None)
        try:
            cart = await self._call(carts.create(draft.customer_number, first.sku, first.quantity,
                                                 order_type=self.order_type))
        except TRANSIENT as exc:
            self._transient(line_op, exc)
        except Conflict as exc:  # an active cart appeared meanwhile: pick it up on the next pass
            self._transient(line_op, exc)
        except BadRequest as exc:
            if line_op is None:
                raise _StopDraft from exc
            self._refused(draft, line_op, exc, f"{first.sku} quantity {first.quantity}")
        self.store.set_remote_cart(draft.id, cart.id)
        return cart

    async def _sync_lines(self, draft: Draft, cart: Any, line_ops: list[OutboxOp]) -> Any:
        carts = self.client.carts
        server = {item.sku: cart.quantity_of(item.sku) for item in cart.items}
        book = self.store.line_sync(draft.id)
        conflicts: list[str] = []
        remote: dict[str, Any] = {}
        if draft.state != DraftState.DISCARDED:
            for sku, qty in foreign_lines(server, set(book)).items():
                conflicts.append(f"{sku}: the customer's cart on the server holds {qty}, not in this draft")
                remote[sku] = {"quantity": qty}
        queued = {op.sku for op in line_ops}
        for sku, (qty, synced, sent) in book.items():  # lines with nothing queued: still ours on the server?
            if sku in queued or draft.state == DraftState.DISCARDED:
                continue
            plan = plan_line(sku, qty, server.get(sku, 0), synced, sent)
            if plan.action == "conflict" or (synced is not None and plan.action != "done"):
                conflicts.append(plan.message or f"{sku}: changed elsewhere to {plan.server} on the server cart")
                remote[sku] = {"quantity": plan.server}
        for op in line_ops:
            sku, target = op.sku or "", int(op.payload["quantity"])
            _, synced, sent = book.get(sku, (0, None, None))
            plan = plan_line(sku, target, server.get(sku, 0), synced, sent)
            if plan.action == "conflict" and draft.state != DraftState.DISCARDED:
                conflicts.append(plan.message or sku)
                remote[sku] = {"quantity": plan.server}
                continue
            if plan.action != "done":
                self.store.mark_line_sent(draft.id, sku, target)
                try:
                    if target == 0:
                        with contextlib.suppress(NotFound):  # already gone
                            await self._call(carts.remove_item(draft.customer_number, cart.id, sku))
                    elif plan.server == 0:
                        cart = await self._call(carts.add_item(draft.customer_number, cart.id, sku, target,
                                                               known_quantity=0))
                    else:
                        cart = await self._call(carts.update_item(draft.customer_number, cart.id, sku, target))
                except TRANSIENT as exc:
                    self._transient(op, exc)
                except (BadRequest, Conflict, NotFound) as exc:
                    self._refused(draft, op, exc, f"{sku} quantity {target}")
                server[sku] = target
            self.store.settle_line(draft.id, sku, target, op.id)
            self._report.ops_done += 1
        for item in cart.items:
            line = draft.line(item.sku)
            if line is None or server.get(item.sku) != line.quantity:
                continue
            msg = price_conflict(item.sku, line.unit_price, item.unit_price, draft.currency)
            if msg:
                conflicts.append(msg)
                remote.setdefault(item.sku, {"quantity": server[item.sku]})["price"] = str(item.unit_price)
        if conflicts:
            self.store.record_conflicts(draft.id, conflicts, remote)
            self._report.conflicts[draft.id] = conflicts
            raise _StopDraft
        return cart

    # -- checkout -----------------------------------------------------------------------
    async def _checkout(self, draft: Draft, cart: Any, op: OutboxOp) -> None:
        from nymble_desk.api.models import Address, CheckoutRequest

        payload = op.payload
        card = None
        if payload.get("payment") == "card":
            card = self.cards.get(draft.id)
            if card is None:
                self.store.record_conflicts(draft.id, [NEEDS_CARD])
                self.store.set_state(draft.id, DraftState.CONFLICT, NEEDS_CARD)
                self._report.conflicts[draft.id] = [NEEDS_CARD]
                return
        billing = payload.get("billing")
        terms = draft.order_terms  # the draft as it is now: nothing changes once the checkout is queued
        request = CheckoutRequest(channel=payload.get("channel") or "Phone",
                                  billing_address=Address.model_validate(billing) if billing else None,
                                  credit_card=card.to_credit_card() if card else None,
                                  order_type=payload.get("order_type") or None, notes=draft.notes or None,
                                  shipping_method=terms.shipping_method, shipping_total=terms.shipping_cost,
                                  tax=terms.tax, discount=_api_discount(terms.discount),
                                  line_discounts={sku: d for sku, one in terms.line_discounts
                                                  if draft.line(sku) is not None
                                                  and (d := _api_discount(one)) is not None})
        self.store.set_state(draft.id, DraftState.SUBMITTING)  # committed before the request leaves
        try:
            result = await self._call(self.client.carts.checkout(draft.customer_number, cart.id, request))
        except TRANSIENT as exc:
            self._transient(op, exc)
        except (BadRequest, Conflict, NotFound) as exc:
            found = await self._call(self.client.orders.find_by_origination_cart(cart.id))
            if found is not None:
                self._placed(draft, found.order_number, None)
                return
            self.store.set_state(draft.id, DraftState.PENDING)
            self._refused(draft, op, exc, "checkout")
        self._placed(draft, result.order_number, result.confirmation_id)

    def _placed(self, draft: Draft, order_number: str, confirmation_id: str | None) -> None:
        self.store.mark_submitted(draft.id, order_number, confirmation_id)
        self.cards.forget(draft.id)
        self._report.placed[draft.id] = order_number
        self._report.ops_done += 1

    async def _reconcile_submitting(self, draft: Draft) -> Draft:
        """A checkout was sent and its outcome never seen: find out before sending anything again."""
        if not draft.remote_cart_id:
            return self.store.set_state(draft.id, DraftState.PENDING)
        order = await self._call(self.client.orders.find_by_origination_cart(draft.remote_cart_id))
        if order is not None:
            self._placed(draft, order.order_number, None)
            return self.store.get(draft.id)
        try:
            cart = await self._call(self.client.carts.get(draft.remote_cart_id))
        except NotFound:
            cart = None
        if cart is not None and cart.is_complete:
            # complete with no order found: do not guess, do not resend
            raise OutcomeUnknown(f"cart {cart.id} is complete but no order names it yet; will look again")
        return self.store.set_state(draft.id, DraftState.PENDING)


def _api_discount(discount: DomainDiscount | None) -> ApiDiscount | None:
    """A draft's ``domain.totals.Discount`` as the API model (None stays None)."""
    from nymble_desk.api.models import Discount

    return None if discount is None else Discount(type=discount.type, value=discount.value)
