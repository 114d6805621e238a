"""``nymble-desk sync [--status] [--profile NAME]``: replay queued changes now, or only report.

``--status`` reads the draft cache only (sends nothing).  Without it, the saved
profile's credentials (config.toml + keyring or the 0600 secret file) sign in,
the outbox is replayed once and what is left is reported.  Exit status: 0 when
nothing is left queued or in conflict, 1 when something is, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any, TextIO

from nymble_desk.drafts.models import DraftState
from nymble_desk.drafts.store import DraftStore


def _report_drafts(store: DraftStore, out: TextIO) -> int:
    """Print open drafts that need attention; returns how many do."""
    attention = 0
    for d in store.list_drafts():
        ops = store.pending_ops(d.id)
        if not ops and d.state not in (DraftState.CONFLICT, DraftState.SUBMITTING):
            continue
        attention += 1
        what = ", ".join(o.key for o in ops) or "-"
        out.write(f"  {d.id[:8]} {d.customer_number:<12} {d.state:<10} queued: {what}\n")
        for c in d.conflicts:
            out.write(f"      conflict: {c}\n")
        if d.last_error and d.last_error not in d.conflicts:
            out.write(f"      problem: {d.last_error}\n")
    return attention


def _status(store: DraftStore, out: TextIO) -> int:
    queued = store.queued_count()
    out.write(f"{queued} change(s) queued; nothing sent (--status)\n")
    as_of = store.get_meta("prices_as_of")
    out.write(f"prices as of {as_of or 'never fetched'}\n")
    return 1 if _report_drafts(store, out) else 0


def _status_only(out: TextIO) -> int:
    """``--status`` reads only: a read-only data dir is read from a copy; a damaged file is reported."""
    from nymble_desk import paths
    from nymble_desk.drafts.cli import open_for_reading

    store, rescued, damage = open_for_reading(paths.drafts_db_path())
    try:
        if damage is not None:
            raise damage
        return _status(store, out)
    finally:
        store.close()
        if rescued is not None:
            rescued.cleanup()


def _client_from_profile(args: argparse.Namespace) -> Any:
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.config import load_secret, load_settings

    settings = load_settings()  # a bad setting: one LocalProblem line naming it (exit 2)
    name = getattr(args, "profile", None) or settings.profile
    profile = settings.profiles.get(name)
    secret = load_secret(name) if profile else None
    if profile is None or secret is None:
        raise LookupError(f"no saved profile {name!r} with a secret: sign in once with nymble-desk and save it")
    return NymbleClient(settings.base_url_for(profile),
                        Credentials(profile.org_code, profile.client_id, secret.get_secret_value()),
                        timeout=settings.api.timeout)


async def _run(client: Any, store: DraftStore, out: TextIO) -> int:
    from nymble_desk.sync.desk import Desk

    desk = Desk(client, store)
    report = await desk.engine.run_once()
    status = desk.status
    for draft_id, order in report.placed.items():
        out.write(f"placed order {order} (draft {draft_id[:8]})\n")
    out.write(f"{status.summary}; {report.ops_done} change(s) sent in {report.calls} call(s)\n")
    for err in report.errors:
        out.write(f"  will retry: {err}\n")
    attention = _report_drafts(store, out)
    return 1 if attention or status.queued else 0


def main(args: argparse.Namespace, *, client: Any = None, store: DraftStore | None = None,
         out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if getattr(args, "status", False) and store is None:
        return _status_only(out)
    if store is None:
        from nymble_desk import paths
        from nymble_desk.drafts.cli import open_for_writing

        store = open_for_writing(paths.drafts_db_path())  # a damaged file is refused before anything is sent
    try:
        if getattr(args, "status", False):
            return _status(store, out)
        if client is None:
            try:
                client = _client_from_profile(args)
            except LookupError as exc:
                sys.stderr.write(f"nymble-desk sync: {exc}\n")
                return 2

        async def go() -> int:
            try:
                return await _run(client, store, out)
            finally:
                await client.aclose()

        return asyncio.run(go())
    finally:
        store.close()
