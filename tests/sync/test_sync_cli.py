from __future__ import annotations

import argparse
import io
from decimal import Decimal

from nymble_desk.cli import main as top_main
from nymble_desk.drafts.store import DraftStore
from nymble_desk.sync import cli as sync_cli


def _queue_some(store: DraftStore) -> str:
    d = store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD", price_tier="Wholesale")
    store.set_line(d.id, "WDG-BLU-L", 24, name="Widget Blue Large", unit_price=Decimal("12.50"))
    store.set_po(d.id, "PO-CLI-1")
    return d.id


def test_status_sends_nothing(capsys) -> None:
    store = DraftStore()
    draft_id = _queue_some(store)
    store.close()
    assert top_main(["sync", "--status"]) == 1
    out = capsys.readouterr().out
    assert "2 change(s) queued; nothing sent" in out and draft_id[:8] in out and "line:WDG-BLU-L, po" in out


def test_sync_without_a_profile_says_what_to_do(capsys) -> None:
    assert top_main(["sync"]) == 2
    assert "no saved profile" in capsys.readouterr().err


def test_sync_replays_the_queue(store, make_client) -> None:
    draft_id = _queue_some(store)
    out = io.StringIO()
    code = sync_cli.main(argparse.Namespace(status=False, profile=None), client=make_client(),
                         store=DraftStore(store.path), out=out)
    assert code == 0, out.getvalue()
    assert "online; 2 change(s) sent" in out.getvalue()
    d = store.get(draft_id)
    assert d.state == "synced" and d.remote_cart_id and store.queued_count() == 0
