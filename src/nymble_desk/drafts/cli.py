"""``nymble-desk drafts list|show|export|discard|move-aside``: the draft cache from the shell.

``args`` carries ``.action``, ``.draft_id`` (a full id or a unique prefix),
``.all`` (include submitted and discarded drafts) and ``.output`` (export: a file
instead of stdout).  Money is printed and exported as strings, never floats.

``list``, ``show`` and ``export`` work on a damaged drafts file (they read what
can be read from a copy, print it, and end with one line on stderr and exit 2)
and in a read-only data dir (from a copy, exit 0), so drafts can always be
rescued. ``move-aside`` renames a damaged file so the next start is fresh.
"""

from __future__ import annotations

import argparse
import errno
import json
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from nymble_desk import paths
from nymble_desk.domain.money import format_money
from nymble_desk.drafts.health import DraftsDamaged, damaged_problem, is_damage, move_aside
from nymble_desk.drafts.models import Draft
from nymble_desk.drafts.salvage import Salvage, salvage
from nymble_desk.drafts.store import DraftClosed, DraftStore


class _UsageError(Exception):
    pass


def _find(store: DraftStore, draft_id: str | None) -> Draft:
    if not draft_id:
        raise _UsageError("name a draft: nymble-desk drafts show DRAFT_ID (see nymble-desk drafts list)")
    matches = [d for d in store.list_drafts(include_closed=True) if d.id.startswith(draft_id)]
    if not matches:
        raise _UsageError(f"no draft {draft_id}")
    if len(matches) > 1:
        raise _UsageError(f"{draft_id} matches {len(matches)} drafts; give more of the id")
    return matches[0]


def draft_to_json(store: DraftStore, draft: Draft) -> dict[str, Any]:
    totals = draft.totals()
    return {
        "id": draft.id,
        "customerNumber": draft.customer_number,
        "customerName": draft.customer_name,
        "currency": draft.currency,
        "priceTier": draft.price_tier,
        "terms": draft.terms,
        "state": draft.state,
        "remoteCartId": draft.remote_cart_id,
        "externalId": draft.external_id,
        "orderNumber": draft.order_number,
        "confirmationId": draft.confirmation_id,
        "poNumber": draft.po_number,
        "shipTo": draft.ship_to,
        "notes": draft.notes,
        "lastError": draft.last_error,
        "conflicts": list(draft.conflicts),
        "checkoutQueued": draft.checkout_queued,
        "createdAt": draft.created_at.isoformat(),
        "updatedAt": draft.updated_at.isoformat(),
        "lines": [
            {"sku": ln.sku, "name": ln.name, "quantity": ln.quantity, "unitPrice": str(ln.unit_price),
             "subtotal": str(ln.subtotal), "minimum": ln.minimum, "increment": ln.increment, "upc": ln.upc}
            for ln in draft.lines
        ],
        "totals": {k: (str(v) if k != "currency" else v) for k, v in asdict(totals).items()},
        "journal": [{"at": e.at.isoformat(), "action": e.action, "detail": e.detail} for e in store.journal(draft.id)],
        "pendingOps": [{"key": o.key, "payload": o.payload, "attempts": o.attempts, "lastError": o.last_error}
                       for o in store.pending_ops(draft.id)],
    }


def _list(store: DraftStore, include_closed: bool, out: TextIO) -> None:
    drafts = store.list_drafts(include_closed=include_closed)
    if not drafts:
        out.write("no drafts\n" if include_closed else "no open drafts (--all shows submitted and discarded ones)\n")
        return
    out.write(f"{'ID':<10} {'CUSTOMER':<12} {'STATE':<10} {'LINES':>5} {'TOTAL':>14}  {'ORDER':<16} UPDATED\n")
    for d in drafts:
        total = format_money(d.totals().total, d.currency)
        out.write(f"{d.id[:8]:<10} {d.customer_number:<12} {d.state:<10} {len(d.lines):>5} {total:>14}  "
                  f"{d.order_number or '-':<16} {d.updated_at:%Y-%m-%d %H:%M}Z\n")
    queued = store.queued_count()
    if queued:
        out.write(f"{queued} change(s) queued for the API (nymble-desk sync sends them)\n")


def _show(store: DraftStore, d: Draft, out: TextIO) -> None:
    out.write(f"Draft {d.id}  [{d.state}]\n")
    out.write(f"Customer  {d.customer_number} {d.customer_name}  tier {d.price_tier or '-'}  terms {d.terms or '-'}\n")
    if d.order_number:
        out.write(f"Order     {d.order_number}  confirmation {d.confirmation_id or '-'}\n")
    out.write(f"PO        {d.po_number or '-'}\n")
    if d.ship_to:
        addr = ", ".join(str(d.ship_to[k]) for k in ("address1", "address2", "city", "stateProvince", "postalCode",
                                                        "country") if d.ship_to.get(k))
        out.write(f"Ship to   {addr}\n")
    for line in d.lines:
        out.write(f"  {line.sku:<16} {line.quantity:>6} x {format_money(line.unit_price, d.currency):>10} = "
                  f"{format_money(line.subtotal, d.currency):>12}  {line.name}\n")
    out.write(f"Total     {format_money(d.totals().total, d.currency)}\n")
    if d.checkout_queued:
        out.write("Checkout  queued\n")
    if d.last_error:
        out.write(f"Problem   {d.last_error}\n")
    for c in d.conflicts:
        out.write(f"Conflict  {c}\n")


READING = ("list", "show", "export")


def open_for_reading(path: Path) -> tuple[DraftStore, Salvage | None, DraftsDamaged | None]:
    """The drafts to read: the file itself when it is sound and writable; else a copy of what can be
    read (with the damage, if that was the reason). The file itself is never changed."""
    damage: DraftsDamaged | None = None
    try:
        store = DraftStore(path)
    except DraftsDamaged as exc:
        damage = exc
    except (PermissionError, sqlite3.OperationalError):  # a read-only data dir (or HOME): read a copy
        pass
    except OSError as exc:
        if exc.errno != errno.EROFS:
            raise
    else:
        try:
            reason = store.check()
        except sqlite3.DatabaseError:
            store.close()
            raise
        if reason is None:
            return store, None, None
        store.close()
        damage = DraftsDamaged(path, reason)
    rescued = salvage(path)
    return DraftStore(rescued.path), rescued, damage


def open_for_writing(path: Path) -> DraftStore:
    """The drafts file, checked page by page first: a damaged one is refused (DraftsDamaged), never written."""
    store = DraftStore(path)
    try:
        reason = store.check()
    except BaseException:
        store.close()
        raise
    if reason is not None:
        store.close()
        raise DraftsDamaged(path, reason)
    return store


def _move_aside(path: Path, out: TextIO) -> int:
    try:
        store = DraftStore(path)
    except DraftsDamaged:
        pass
    else:
        try:
            reason = store.check()
        finally:
            store.close()
        if reason is None:
            sys.stderr.write(f"nymble-desk drafts: {path} reads fine; nothing moved\n")
            return 2
    target = move_aside(path)
    out.write(f"moved {path} to {target} (kept as it was); the next start begins with an empty drafts file\n")
    return 0


def _run(action: str, args: argparse.Namespace, store: DraftStore, out: TextIO) -> None:
    if action == "list":
        _list(store, bool(getattr(args, "all", False)), out)
    elif action == "show":
        _show(store, _find(store, args.draft_id), out)
    elif action == "export":
        if args.draft_id:
            payload: Any = draft_to_json(store, _find(store, args.draft_id))
        else:
            payload = [draft_to_json(store, d) for d in store.list_drafts(include_closed=bool(args.all))]
        text = json.dumps(payload, indent=2, default=str) + "\n"
        output: Path | None = getattr(args, "output", None)
        if output:
            output.write_text(text, encoding="utf-8")
            out.write(f"wrote {output}\n")
        else:
            out.write(text)
    elif action == "discard":
        d = store.discard(_find(store, args.draft_id).id)
        out.write(f"discarded draft {d.id[:8]} for {d.customer_number}\n")
    else:
        raise _UsageError(f"unknown action {action}")


def _drafts_path() -> Path:
    """The draft cache: the running demo's when no profile is saved and a demo runs (one demo, every front end)."""
    from nymble_desk.demo_endpoint import demo_in_use

    if (demo := demo_in_use(None)) is not None:
        sys.stderr.write(f"nymble-desk: the running demo's drafts ({demo.url}; no saved profile)\n")
        return demo.drafts_path
    return paths.drafts_db_path()


def main(args: argparse.Namespace, *, store: DraftStore | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    action = getattr(args, "action", None) or "list"
    path = store.path if store is not None else _drafts_path()
    if action == "move-aside":
        return _move_aside(path, out)
    rescued: Salvage | None = None
    damage: DraftsDamaged | None = None
    if store is None:
        store, rescued, damage = open_for_reading(path) if action in READING else (open_for_writing(path), None, None)
    try:
        _run(action, args, store, out)
    except (_UsageError, DraftClosed) as exc:
        if damage is not None and rescued is not None:  # one line: the damage matters more
            sys.stderr.write(f"nymble-desk: {damage.line()} ({exc} among what could be read)\n")
        else:
            sys.stderr.write(f"nymble-desk drafts: {exc}\n")
        return 2
    except sqlite3.DatabaseError as exc:
        problem = damaged_problem(exc, path) if is_damage(exc) else None
        if problem is None:
            raise
        raise problem from exc
    finally:
        store.close()
        if rescued is not None:
            rescued.cleanup()
    if damage is not None and rescued is not None:
        sys.stderr.write(f"nymble-desk: {damage.line()} (shown above: {rescued.summary()})\n")
        return 2
    return 0
