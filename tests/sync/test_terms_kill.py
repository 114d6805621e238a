"""A real SIGKILL in the middle of a checkout that carries the order's own terms (docs/order-terms.md).

The terms travel in the checkout itself, so there is no follow-up call to lose: the kill can land
before the request leaves or after the server placed the order but before the Desk heard. Either
way, the next start (a new Desk over the same draft file) ends with exactly one order holding the
terms, and a further sync sends nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.paging import Filter
from nymble_desk.drafts.models import DraftState
from nymble_desk.drafts.store import DraftStore
from nymble_desk.sandbox.server import start_in_thread
from nymble_desk.sync.desk import Desk

CHILD = Path(__file__).with_name("terms_kill_child.py")
# WDG-BLU-L 24 x 12.50 = 300.00; WDG-RED-M 10 x 11.00 = 110.00, half off: 55.00; 20.00 off the order;
# + 12.34 tax + 40.00 freight
TOTAL = Decimal("300.00") + Decimal("55.00") - Decimal("20.00") + Decimal("12.34") + Decimal("40.00")


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["before-send", "after-server"])
async def test_a_kill_mid_checkout_neither_loses_nor_doubles_the_order_or_its_terms(
        sandbox_dir: Path, tmp_path: Path, moment: str) -> None:
    server = start_in_thread(sandbox_dir, customers=50, products=100)
    drafts, marker = tmp_path / "drafts.sqlite3", tmp_path / "parked"
    child = subprocess.Popen([sys.executable, str(CHILD), server.base_url, str(drafts), str(marker), moment],
                             env={**os.environ, "PYTHONPATH": str(CHILD.parent)}, stderr=subprocess.PIPE)
    try:
        end = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else "child ended"
            assert time.monotonic() < end, "the child never reached the checkout"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        draft_id = marker.read_text()

        store = DraftStore(drafts)  # the next start, over the same file
        assert store.get(draft_id).state == DraftState.SUBMITTING
        async with NymbleClient(server.base_url, Credentials("DEMO", "demo-rep", "demo-rep-secret")) as client:
            desk = Desk(client, store)
            await desk.sign_in()
            await desk.sync_now()
            draft = store.get(draft_id)
            assert draft.state == DraftState.SUBMITTED and draft.order_number
            await desk.sync_now()  # nothing left to send
            page = await client.orders.search([Filter("originationCartId", "equals", draft.remote_cart_id)])
            assert page.total == 1, "exactly one order"
            order = await client.orders.get(draft.order_number)
        assert order.order_total == TOTAL
        assert (order.shipping_details.method, order.tax, order.discount_amount) == \
            ("Freight", Decimal("12.34"), Decimal("75.00"))
        assert (order.notes, order.channel, order.order_type) == \
            ("Killed mid-checkout on purpose", "TradeShow", "Assisted")
        store.close()
    finally:
        if child.poll() is None:
            child.kill()
        server.stop()
