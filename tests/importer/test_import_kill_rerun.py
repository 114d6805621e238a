"""Issue #12 item 6: an import killed with SIGKILL at three random points and rerun each
time ends with exactly N orders, none doubled, and each rerun sends before it can be
killed again (a resume never stalls in look-ups).  Prints orders per second.

Everything is real: the sandbox on a loopback port, the CLI in a subprocess signed in
with a saved profile (secret in the 0600 file), the checkpoint on disk.  N is 3,000 in
the suite (2 cores, shared); the issue's 100,000 runs the same test:

    NYMBLE_IMPORT_KILL_ORDERS=100000 python -m pytest -p no:randomly -n 0 -s \
        tests/importer/test_import_kill_rerun.py
"""

from __future__ import annotations

import asyncio
import os
import random
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

ORDERS = int(os.environ.get("NYMBLE_IMPORT_KILL_ORDERS", "3000"))
BATCH = 100 if ORDERS <= 10_000 else 250
PREFIX = "KILLTEST-"
CUSTOMERS = ("CUST-1042", "CUST-0082", "CUST-0042", "CUST-0055")
SKUS = (("WDG-BLU-L", "12.50"), ("WDG-RED-M", "11.00"), ("PART-A1", "4.25"))


def write_orders(path: Path) -> None:
    with path.open("w") as f:
        f.write(HEADER + "\n")
        for n in range(ORDERS):
            sku, price = SKUS[n % len(SKUS)]
            f.write(csv_line(externalId=f"{PREFIX}{n:06d}", orderDate="2024-05-01T10:00:00Z",
                             customerNumber=CUSTOMERS[n % len(CUSTOMERS)], poNumber=f"PO-K{n:06d}",
                             orderType="Import", priceTier="Wholesale", currencyCode="USD", repNumber="REP-007",
                             sku=sku, quantity=str(10 + n % 5 * 10), price=price) + "\n")


async def imported(base_url: str) -> Counter[str]:
    """externalId -> how many orders carry it (admin, every page)."""
    counts: Counter[str] = Counter()
    async with NymbleClient(base_url, Credentials("DEMO", "demo-admin", "demo-admin-secret"), timeout=120) as client:
        await client.login()
        page_number = 1
        while True:
            page = await client.orders.search_idents([Filter("externalId", "startswith", PREFIX)],
                                                     page_number, 500)
            counts.update(o.external_id or "" for o in page.items)
            if page_number >= (page.total_pages or 1):
                return counts
            page_number += 1


def progress(line: str) -> tuple[int, bool] | None:
    """(orders done, sent by this run) from "batch 20/40: 5000/10000 orders[ (already sent earlier)]"."""
    if not line.startswith("batch "):
        return None
    return int(line.split(":")[1].split("/")[0]), "already sent earlier" not in line


@pytest.mark.slow
@pytest.mark.timeout(max(300, ORDERS // 40))
def test_an_import_killed_three_times_at_random_and_rerun_has_every_order_once(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail

    from nymble_desk.config import save_profile
    from nymble_desk.sandbox.server import start_in_thread

    rnd = random.Random(int(os.environ.get("NYMBLE_IMPORT_KILL_SEED", "12")))
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
                "--batch-size", str(BATCH)]

        started = time.perf_counter()
        kills: list[str] = []
        reached = 0
        for n in range(3):
            # kill somewhere in the next third of what is left, after this run sent something
            target = reached + rnd.randint(BATCH, max(BATCH, (ORDERS - reached) // 3))
            run = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            assert run.stderr is not None
            sent_here = False
            for line in run.stderr:
                seen = progress(line)
                if seen is None:
                    continue
                sent_here = sent_here or seen[1]
                if sent_here and seen[0] >= target:
                    run.send_signal(signal.SIGKILL)
                    kills.append(line.strip())
                    reached = seen[0]
                    break
            run.wait(timeout=120)
            assert run.returncode == -signal.SIGKILL, f"run {n + 1} was not killed ({run.returncode}): it ended"
            assert sent_here, f"run {n + 1} sent nothing before it was killed"

        final = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=3600)
        took = time.perf_counter() - started
        assert final.returncode == 0, final.stderr[-2000:]
        assert "already sent earlier" in final.stderr  # the checkpoint skipped what was acknowledged
        summary = final.stdout.splitlines()[0]
        assert "0 rejected" in summary and "already imported by an earlier run" in summary, summary

        counts = asyncio.run(imported(server.base_url))
        assert len(counts) == ORDERS, f"{len(counts)} distinct orders, expected {ORDERS}"
        doubled = [ext for ext, k in counts.items() if k > 1]
        assert not doubled, f"doubled: {doubled[:5]}"
        print(f"\nimport: {ORDERS} orders, killed at {kills}, rerun finished; "
              f"{ORDERS / took:,.0f} orders/s over all four runs ({took:.1f} s)")
    finally:
        server.stop()
        keyring.set_keyring(previous)
