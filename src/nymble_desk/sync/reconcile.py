"""Comparing the server's cart with the draft: what to send, and what needs the rep.

The draft keeps, per line, the quantity last confirmed on the server
(``synced``) and the quantity of a change sent whose reply was never seen
(``sent``).  A server quantity equal to either is ours; anything else was
changed elsewhere (another device, the web storefront) and is reported as a
conflict, never overwritten.  A server price different from the price the rep
was shown is a conflict too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from nymble_desk.domain.money import format_money

Action = Literal["done", "add", "update", "remove", "conflict"]


@dataclass(frozen=True)
class LinePlan:
    action: Action
    sku: str
    target: int
    server: int
    message: str | None = None


def plan_line(sku: str, target: int, server: int, synced: int | None, sent: int | None) -> LinePlan:
    """Decide one line: nothing to do, POST add, PUT update, DELETE, or a conflict."""
    if server == target:
        return LinePlan("done", sku, target, server)
    ours = server == (synced or 0) or (sent is not None and server == sent)
    if not ours:
        if synced is None and sent is None:
            where = f"the customer's cart on the server already holds {server}"
        else:
            where = f"changed elsewhere to {server} on the server cart (was {synced or 0})"
        want = f"this draft wants {target}" if target else "this draft removed it"
        return LinePlan("conflict", sku, target, server, f"{sku}: {where}; {want}")
    if target == 0:
        return LinePlan("remove", sku, target, server)
    if server == 0:
        return LinePlan("add", sku, target, server)
    return LinePlan("update", sku, target, server)


def foreign_lines(server_items: dict[str, int], known_skus: set[str]) -> dict[str, int]:
    """Lines on the server cart that this draft never had (e.g. a reused active cart)."""
    return {sku: qty for sku, qty in server_items.items() if qty > 0 and sku not in known_skus}


def price_conflict(sku: str, draft_price: Decimal, server_price: Decimal | None, currency: str) -> str | None:
    if server_price is None or Decimal(server_price) == Decimal(draft_price):
        return None
    return (f"{sku}: price changed from {format_money(draft_price, currency)} to "
            f"{format_money(Decimal(server_price), currency)}")


def _norm_address(x: dict[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in (x or {}).items():
        if v in (None, ""):
            continue
        key = k.replace("_", "").lower()
        key = "postalcode" if key in ("zippostalcode", "postalcode") else key
        out[key] = str(v).strip()
    return out


def same_address(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Compare two addresses field by field, ignoring empty fields and the postal-code spelling."""
    return _norm_address(a) == _norm_address(b)


def address_holds(server: dict[str, Any] | None, wanted: dict[str, Any] | None) -> bool:
    """Whether the server's address has every field of ``wanted`` as written (fields the server
    adds, such as a default country or an address type, do not count as a difference)."""
    have, want = _norm_address(server), _norm_address(wanted)
    return bool(want) and all(have.get(k, "").casefold() == v.casefold() for k, v in want.items())
