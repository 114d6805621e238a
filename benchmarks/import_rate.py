"""Bulk import: orders per second through the sandbox's ``POST /api/orders/bulk``.

The sandbox runs on a loopback port (uvicorn, as ``nymble-desk serve`` does); the API
client sends orders of three lines each, every one with its own externalId, in
batches of 100.  Baseline: the same kind of orders sent one by one with
``POST /api/orders`` in the same run.  Target: bulk at least as fast per order as
one-by-one (ratio >= 1); the figure itself is what the README records.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import common

BATCH = 100
CUSTOMERS = ("CUST-1042", "CUST-0082", "CUST-0042")
LINES = (("WDG-BLU-L", Decimal("12.50")), ("WDG-RED-M", Decimal("11.00")), ("PART-A1", Decimal("4.25")))


def order(i: int, tag: str):
    from nymble_desk.api.models import OrderCreate

    return OrderCreate.model_validate({
        "customer": {"customerNumber": CUSTOMERS[i % len(CUSTOMERS)]},
        "orderType": "Import", "poNumber": f"PO-{tag}-{i:06d}", "priceTier": "Wholesale", "currencyCode": "USD",
        "primarySalesRep": {"repNumber": "REP-007"}, "user": {"userType": "Admin"}, "terms": "Net30",
        "channel": "Import", "externalId": f"BENCH-{tag}-{i:06d}",
        "items": [{"sku": sku, "quantity": 10 * (n + 1), "price": price} for n, (sku, price) in enumerate(LINES)],
    })


async def measure(base_url: str, n_bulk: int, n_single: int) -> tuple[float, float]:
    from nymble_desk.api import Credentials, NymbleClient

    async with NymbleClient(base_url, Credentials("DEMO", "demo-admin", "demo-admin-secret"), timeout=60) as client:
        await client.login()
        singles = [order(i, "ONE") for i in range(n_single)]
        t = time.perf_counter()
        for o in singles:
            await client.orders.create(o)
        single_rate = n_single / (time.perf_counter() - t)
        bulk = [order(i, "BULK") for i in range(n_bulk)]
        t = time.perf_counter()
        done = 0
        for start in range(0, n_bulk, BATCH):
            done += len(await client.orders.bulk(bulk[start:start + BATCH]))
        bulk_rate = done / (time.perf_counter() - t)
        if done != n_bulk:
            raise RuntimeError(f"the bulk endpoint acknowledged {done} of {n_bulk} orders")
    return bulk_rate, single_rate


def main(argv: list[str] | None = None) -> int:
    b = common.bench("import_rate", __doc__.splitlines()[0], argv)
    n_bulk, n_single = (500, 50) if b.quick else (5000, 200)
    root = Path(tempfile.mkdtemp(prefix="nymble-import-"))
    server = None
    try:
        from nymble_desk.sandbox.server import start_in_thread

        server = start_in_thread(root / "sandbox", customers=50, products=100)
        bulk_rate, single_rate = asyncio.run(measure(server.base_url, n_bulk, n_single))
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    b.figure("one by one (POST /api/orders)", single_rate, "orders/s", note=f"{n_single} orders")
    b.ratio("bulk (POST /api/orders/bulk, 100 a batch)", bulk_rate, single_rate, "orders/s", min_ratio=1.0,
            note=f"{n_bulk} orders of 3 lines, loopback HTTP")
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
