"""The server cart's ship-to and PO: sent when the rep changed them, never over a change made elsewhere.

As for lines, the draft remembers per field the value last confirmed on the server
cart (a *baseline*, in the drafts file's meta table). When a queued change is synced:
the server already holding it means done (also a lost reply that landed); the server
still holding the baseline (or nothing, or no baseline yet) means ours to replace;
anything else was changed elsewhere (the storefront, another device) and becomes a
conflict, with the server's value kept for :func:`settle_fields`.

Before a checkout the cart's fields are compared with the draft's too: an order must
ship to the address and carry the PO the rep sees, even when the server cart was
changed after the draft's own changes went out.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar

from nymble_desk.drafts.models import Draft
from nymble_desk.sync.reconcile import address_holds

if TYPE_CHECKING:
    from nymble_desk.api.client import NymbleClient
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.sync.status import SyncReport

T = TypeVar("T")

#: keys of the server's cart fields among a conflict's remote values (SKUs never start with "@")
SHIP_TO, PO = "@ship-to", "@po"


def address_text(address: dict[str, Any] | None) -> str:
    """One line for a message: "500 Commerce Drive, Austin TX 78701"."""
    a = {k.replace("_", "").lower(): v for k, v in (address or {}).items() if v}
    place = " ".join(str(a[k]) for k in ("stateprovince", "postalcode", "zippostalcode") if k in a)
    parts = [str(a[k]) for k in ("name", "address1", "address2", "city") if k in a] + ([place] if place else [])
    return ", ".join(parts) or "no address"


def _baseline_key(draft_id: str, field: str) -> str:
    return f"cart-field:{draft_id}:{field}"


class CartFieldsMixin:
    """The ship-to and PO half of :class:`~nymble_desk.sync.engine.SyncEngine`."""

    store: DraftStore
    client: NymbleClient
    _report: SyncReport

    async def _call(self, coro: Awaitable[T]) -> T:
        raise NotImplementedError

    def _transient(self, op: Any, exc: Any) -> NoReturn:
        raise NotImplementedError

    def _refused(self, draft: Draft, op: Any, exc: Any, what: str) -> NoReturn:
        raise NotImplementedError

    def baseline(self, draft_id: str, field: str) -> Any:
        raw = self.store.get_meta(_baseline_key(draft_id, field))
        return None if raw is None else json.loads(raw)

    def set_baseline(self, draft_id: str, field: str, value: Any) -> None:
        self.store.set_meta(_baseline_key(draft_id, field), json.dumps(value, sort_keys=True))

    async def _sync_fields(self, draft: Draft, cart: Any, ops: list[Any]) -> tuple[Any, list[str], dict[str, Any]]:
        """Send the queued ship-to and PO; returns (cart, conflicts, the server's values for them)."""
        from nymble_desk.errors import TRANSIENT, BadRequest, Conflict, NotFound
        from nymble_desk.api.models import Address

        conflicts: list[str] = []
        remote: dict[str, Any] = {}
        send: Callable[[], Awaitable[Any]]
        for op in ops:
            if op.kind == "shipping":
                field, target = "shipping", op.payload["address"]
                current = cart.shipping_address.to_wire() if cart.shipping_address is not None else None
                base = self.baseline(draft.id, field)
                same = address_holds(current, target)
                ours = current is None or base is None or address_holds(current, base)
                send = lambda: self.client.carts.set_shipping(  # noqa: E731
                    draft.customer_number, cart.id, Address.model_validate(target))  # noqa: B023 (sent in this iteration)
                what = "the ship-to address"
            elif op.kind == "po":
                field, target = "po", op.payload.get("po")
                current = cart.po_number or None
                base = self.baseline(draft.id, field)
                same = not target or current == target  # clearing a PO is not sent (the API has no call for it)
                ours = current is None or base is None or current == base
                send = lambda: self.client.carts.set_po_number(draft.customer_number, cart.id, target)  # noqa: E731, B023
                what = f"PO {target}"
            else:
                continue
            if not same and not ours:
                if field == "shipping":
                    conflicts.append(f"ship-to: changed elsewhere to {address_text(current)} on the server cart; "
                                     f"this draft ships to {address_text(target)}")
                    remote[SHIP_TO] = {"address": current}
                else:
                    conflicts.append(f"PO: changed elsewhere to {current} on the server cart; this draft has {target}")
                    remote[PO] = {"po": current}
                continue  # the op stays queued until the rep settles it
            if not same:
                try:
                    result = await self._call(send())
                except TRANSIENT as exc:
                    self._transient(op, exc)
                except (BadRequest, Conflict, NotFound) as exc:
                    self._refused(draft, op, exc, what)
                cart = result if hasattr(result, "items") else cart
            if target:
                self.set_baseline(draft.id, field, target)
            self.store.complete_op(op.id)
            self._report.ops_done += 1
        return cart, conflicts, remote

    def _field_differences(self, draft: Draft, cart: Any) -> tuple[list[str], dict[str, Any]]:
        """Before a checkout: the cart's ship-to and PO differ from the draft's (changed after ours went out)."""
        conflicts: list[str] = []
        remote: dict[str, Any] = {}
        current = cart.shipping_address.to_wire() if cart.shipping_address is not None else None
        if draft.ship_to and not address_holds(current, draft.ship_to):
            conflicts.append(f"ship-to: the server cart ships to {address_text(current)}; "
                             f"this draft to {address_text(draft.ship_to)}")
            remote[SHIP_TO] = {"address": current}
        if draft.po_number and (cart.po_number or None) != draft.po_number:
            conflicts.append(f"PO: the server cart has {cart.po_number or 'none'}; this draft has {draft.po_number}")
            remote[PO] = {"po": cart.po_number or None}
        return conflicts, remote


def settle_fields(engine: CartFieldsMixin, draft: Draft, remote: dict[str, Any],
                  keep: Literal["mine", "theirs"]) -> None:
    """Settle ship-to / PO conflicts: ``mine`` sends the draft's value over the server's; ``theirs``
    takes the server's into the draft. Either way a change is queued that the next sync completes."""
    store = engine.store
    if SHIP_TO in remote:
        server = remote[SHIP_TO].get("address")
        if keep == "theirs" and server:
            store.set_ship_to(draft.id, server)
        elif draft.ship_to:
            engine.set_baseline(draft.id, "shipping", server)  # the server's value is now ours to replace
            store.set_ship_to(draft.id, draft.ship_to)
    if PO in remote:
        server = remote[PO].get("po")
        if keep == "theirs":
            store.set_po(draft.id, server)
        elif draft.po_number:
            engine.set_baseline(draft.id, "po", server)
            store.set_po(draft.id, draft.po_number)
