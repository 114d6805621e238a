"""Issue #6: 10,000 orders imported by `nymble-desk import`, killed halfway with SIGKILL,
then rerun: exactly 10,000 orders afterwards, none doubled. Prints orders per second.

Everything is real: the sandbox on a loopback port, the CLI in a subprocess signed in
with a saved profile (secret in the 0600 file), the checkpoint on disk.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from importer_files import HEADER, csv_line

from nymble_desk.api import Credentials, NymbleClient
from nymble_desk.api.paging import Filter

ORDERS = 10_000
PREFIX = "KILLTEST-"
CUSTOMERS = ("CUST-1042", "CUST-0082", "CUST-0042", "CUST-0055")
SKUS = (("WDG-BLU-L", "12.50"), ("WDG-RED-M", "11.00"), ("PART-A1", "4.25"))


def write_orders(path: Path) -> None:
    lines = [HEADER]
    for n in range(ORDERS):
        sku, price = SKUS[n % len(SKUS)]
        lines.append(csv_line(externalId=f"{PREFIX}{n:05d}", orderDate="2024-05-01T10:00:00Z",
                              customerNumber=CUSTOMERS[n % len(CUSTOMERS)], poNumber=f"PO-K{n:05d}",
                              orderType="Import", priceTier="Wholesale", currencyCode="USD", repNumber="REP-007",
                              sku=sku, quantity=str(10 + n % 5 * 10), price=price))
    path.write_text("\n".join(lines) + "\n")


async def imported(base_url: str) -> Counter[str]:
    """externalId -> how many orders carry it (admin, every page)."""
    counts: Counter[str] = Counter()
    async with NymbleClient(base_url, Credentials("DEMO", "demo-admin", "demo-admin-secret"), timeout=60) as client:
        await client.login()
        page_number = 1
        while True:
            page = await client.orders.search([Filter("externalId", "startswith", PREFIX)],
                                              page_number=page_number, page_size=1000)
            counts.update(o.external_id for o in page.items)
            if page_number >= (page.total_pages or 1):
                return counts
            page_number += 1


@pytest.mark.slow
def test_ten_thousand_orders_killed_halfway_and_rerun(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail

    from nymble_desk.config import save_profile
    from nymble_desk.sandbox.server import start_in_thread

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the secret goes to the 0600 file the subprocess reads
    server = start_in_thread(tmp_path / "sandbox", customers=50, products=100)
    try:
        save_profile("admin", org_code="DEMO", client_id="demo-admin", secret="demo-admin-secret",
                     base_url=server.base_url)
        source = tmp_path / "orders.csv"
        write_orders(source)
        env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
        argv = [sys.executable, "-m", "nymble_desk", "import", str(source), "--profile", "admin",
                "--batch-size", "250"]

        started = time.perf_counter()
        first = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert first.stderr is not None
        killed_at = ""
        for line in first.stderr:  # progress lines: "batch 20/40: 5000/10000 orders"
            if line.startswith("batch ") and int(line.split(":")[1].split("/")[0]) >= ORDERS // 2:
                first.send_signal(signal.SIGKILL)
                killed_at = line.strip()
                break
        first.wait(timeout=60)
        assert first.returncode == -signal.SIGKILL, f"the first run was not killed halfway ({first.returncode})"
        halfway = asyncio.run(imported(server.base_url))
        assert ORDERS // 2 <= sum(halfway.values()) < ORDERS, "the kill did not land halfway"

        second = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
        took = time.perf_counter() - started
        assert second.returncode == 0, second.stderr[-2000:]
        assert "already sent earlier" in second.stderr  # the checkpoint skipped what was acknowledged

        counts = asyncio.run(imported(server.base_url))
        assert len(counts) == ORDERS, f"{len(counts)} distinct orders, expected {ORDERS}"
        doubled = [ext for ext, n in counts.items() if n > 1]
        assert not doubled, f"doubled: {doubled[:5]}"
        print(f"\nimport: {ORDERS} orders, killed at '{killed_at}' ({sum(halfway.values())} stored), "
              f"rerun finished; {ORDERS / took:,.0f} orders/s over both runs ({took:.1f} s)")
    finally:
        server.stop()
        keyring.set_keyring(previous)
