"""Issue #13 in a real terminal (tmux, 80x24, TERM=screen): a trade-show order with a note, shipping,
tax and a discount, typed from the keyboard into `nymble-desk demo`, then read back through the API.

Uses the tmux harness of tests/test_pty_order.py. After the app is gone the same data dir is served
again on a loopback port and the order is read with the API client: what the rep saw is what was placed.
"""

from __future__ import annotations

import asyncio
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from test_pty_order import TMUX, Tmux, nymble_desk


async def _read_order(data_dir: Path, number: str) -> object:
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.sandbox.server import start_in_thread

    server = start_in_thread(data_dir)
    try:
        async with NymbleClient(server.base_url, Credentials("DEMO", "demo-rep", "demo-rep-secret")) as client:
            await client.login()
            return await client.orders.get(number)
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_trade_show_order_with_its_terms_typed_in_a_real_terminal(isolated_dirs: Path) -> None:
    tmp = isolated_dirs
    env = {k: os.environ[k] for k in ("PATH", "HOME", "NYMBLE_DESK_CONFIG_DIR", "NYMBLE_DESK_DATA_DIR",
                                       "NYMBLE_DESK_LOG_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME") if k in os.environ}
    env.update({"TERM": "screen", "LANG": "C.UTF-8", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    data_dir = tmp / "demo"
    argv = [*nymble_desk(), "demo", "--data-dir", str(data_dir), "--customers", "50", "--products", "100"]
    term = Tmux(tmp)
    try:
        term.start(argv, env)
        term.wait_for(r"Customer number, name", timeout=60)
        term.keys("C-g")  # take the session's orders as TradeShow (assisted)
        term.wait_for(r"TRADESHOW \(assisted\)")
        term.type("CUST-1042")
        term.wait_for(r"Brightfield Supply Co\. \(CUST-1042\) · Terms")
        term.keys("Enter")
        term.wait_for(r"SKU, SKU\*QTY")
        term.keys("WDG-BLU-L*48\rWDG-RED-M*10\r", literal=True)  # two lines in one write
        term.wait_for(r"Lines 2\b")
        term.keys("F6")
        term.wait_for(r"500 Commerce Drive")
        term.keys("Enter")
        term.wait_for(r"Ship-to saved")
        term.type("PO-PTY-TS01")
        term.keys("Enter")
        term.wait_for(r"not used before")
        term.keys("F8")
        term.wait_for(r"Place order")
        term.wait_for(r"\[x\] TradeShow")  # the session's channel, preselected
        term.keys("F8")
        term.wait_for(r"ORDER TERMS")
        term.keys("Booth 14, after the show\tUPS Ground\t25.00\t30.10\t10%\tWDG-RED-M 5", literal=True)
        term.wait_for(r"Order total with these terms: \$657\.20")
        term.keys("Enter")
        term.wait_for(r"Terms saved: total \$657\.20")
        term.keys("F9")
        look = term.wait_for(r"PLACE THIS ORDER\?[\s\S]*Place order")
        assert "$657.20" in look and "UPS Ground" in look and "channel TradeShow" in look, look
        assert all(len(line) <= 80 for line in look.splitlines()) and len(look.splitlines()) <= 24
        term.keys("F9")
        done = term.wait_for(r"ORDER PLACED[\s\S]*ORD-[0-9A-Z-]+[\s\S]*orders@brightfield\.example", timeout=60)
        number = re.search(r"ORD-[0-9A-Z-]+", done).group(0)
        term.wait_for(r"Tax \$30\.10")  # the terms as the API holds the order
    finally:
        term.kill()
    order = asyncio.run(_read_order(data_dir, number))
    assert (order.channel, order.order_type, order.notes) == ("TradeShow", "Assisted", "Booth 14, after the show")
    assert (order.shipping_details.method, order.shipping_details.total) == ("UPS Ground", Decimal("25.00"))
    assert (order.tax, order.discount_amount, order.order_total) == \
        (Decimal("30.10"), Decimal("71.90"), Decimal("657.20"))
    assert order.po_number == "PO-PTY-TS01"
