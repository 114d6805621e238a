"""Bulk import: orders per second through the sandbox's ``POST /api/orders/bulk``.

The sandbox runs on a loopback port (uvicorn, as ``nymble-desk serve`` does).

1. The API client sends orders of three lines each, every one with its own
   externalId, in batches of 100.  Baseline: the same kind of orders sent one by one
   with ``POST /api/orders`` in the same run.  Target: bulk at least as fast per
   order as one-by-one (ratio >= 1).
2. ``nymble-desk import`` itself (``run_import`` over a parsed CSV, derived ``IMP-``
   ids, batches of 200): a first import (all created) and the same file again (all
   updated), each on a fresh sandbox.  Baseline: the same with the per-order lookup
   of which orders exist (one search per order), in the same run.  Target: the
   search lookup at least as fast (ratio >= 1).
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


def import_csv(n: int) -> str:
    """``n`` one-line orders in the importer's CSV columns, blank externalId (derived ``IMP-`` ids)."""
    rows = ["externalId,orderDate,customerNumber,poNumber,priceTier,currencyCode,repNumber,sku,quantity,price"]
    rows += [f",2024-03-15,{CUSTOMERS[i % len(CUSTOMERS)]},PO-IMP-{i:06d},Wholesale,USD,REP-007,WDG-BLU-L,"
             f"{10 + i % 7},12.50" for i in range(n)]
    return "\n".join(rows) + "\n"


async def import_twice(base_url: str, n: int, lookup: str, checkpoints: Path) -> tuple[float, float]:
    """(orders/s of a first import, orders/s of the same file again) through ``run_import``."""
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.importer import parse_csv
    from nymble_desk.importer.run import run_import

    rates = []
    async with NymbleClient(base_url, Credentials("DEMO", "demo-admin", "demo-admin-secret"), timeout=60) as client:
        await client.login()
        parsed = parse_csv(import_csv(n))
        for fresh, want in ((False, "created"), (True, "updated")):
            t = time.perf_counter()
            result = await run_import(client, parsed, batch_size=200, fresh=fresh, checkpoint_dir=checkpoints,
                                      lookup=lookup)  # type: ignore[arg-type]
            rates.append(n / (time.perf_counter() - t))
            if result.report.counts[want] != n:
                raise RuntimeError(f"{lookup} lookup: {dict(result.report.counts)}, expected {n} {want}")
    return rates[0], rates[1]


def main(argv: list[str] | None = None) -> int:
    from nymble_desk.sandbox.server import start_in_thread

    b = common.bench("import_rate", __doc__.splitlines()[0], argv)
    n_bulk, n_single, n_import = (500, 50, 500) if b.quick else (5000, 200, 2000)
    root = Path(tempfile.mkdtemp(prefix="nymble-import-"))
    rates: dict[str, tuple[float, float]] = {}
    try:
        server = start_in_thread(root / "sandbox", customers=50, products=100)
        try:
            bulk_rate, single_rate = asyncio.run(measure(server.base_url, n_bulk, n_single))
        finally:
            server.stop()
        for lookup in ("per-order", "search"):  # each on its own fresh sandbox
            server = start_in_thread(root / f"sandbox-{lookup}", customers=50, products=100)
            try:
                rates[lookup] = asyncio.run(import_twice(server.base_url, n_import, lookup, root / f"cp-{lookup}"))
            finally:
                server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    b.figure("one by one (POST /api/orders)", single_rate, "orders/s", note=f"{n_single} orders")
    b.ratio("bulk (POST /api/orders/bulk, 100 a batch)", bulk_rate, single_rate, "orders/s", min_ratio=1.0,
            note=f"{n_bulk} orders of 3 lines, loopback HTTP")
    for i, run in enumerate(("first import", "same file again")):
        b.figure(f"nymble-desk import, per-order lookup: {run}", rates["per-order"][i], "orders/s",
                 note=f"{n_import} orders, one search per order")
        b.ratio(f"nymble-desk import, search lookup: {run}", rates["search"][i], rates["per-order"][i], "orders/s",
                min_ratio=1.0, note="a few prefix searches for the whole file")
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
