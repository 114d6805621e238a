"""Orders per second of `run_import` with the per-order lookup (before) and the search lookup
(after), in one run, against the sandbox on a loopback port.  Not a test; run it by hand:

    .venv/bin/python tests/importer/bench_lookup.py [--orders 2000] [--batch-size 200]

For each lookup, on its own fresh sandbox: a first import of N orders with derived ids (all
created), the same file again with ``fresh=True`` (all updated), then a second file of N other
orders (all created, with N orders already under the same ``IMP-`` prefix).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from lookup_edges import Counting, orders_csv  # noqa: E402

from nymble_desk.api import Credentials, NymbleClient  # noqa: E402
from nymble_desk.importer import parse_csv  # noqa: E402
from nymble_desk.importer.run import run_import  # noqa: E402


async def one_lookup(base_url: str, lookup: str, orders: int, batch_size: int, checkpoints: Path) -> list[str]:
    edge = Counting(httpx.AsyncHTTPTransport())
    first, second = orders_csv([""] * orders), orders_csv([""] * orders, start=orders)
    rows = []
    async with NymbleClient(base_url, Credentials("DEMO", "demo-admin", "demo-admin-secret"), transport=edge,
                            timeout=60) as client:
        await client.login()
        for label, text, fresh in (("first import", first, False), ("same file again", first, True),
                                   ("another file", second, False)):
            edge.reset()
            started = time.perf_counter()
            result = await run_import(client, parse_csv(text), batch_size=batch_size, fresh=fresh,
                                      checkpoint_dir=checkpoints, lookup=lookup)  # type: ignore[arg-type]
            took = time.perf_counter() - started
            c = result.report.counts
            rows.append(f"{lookup:<10} {label:<16} {orders / took:>8,.0f} orders/s  {took:6.2f} s  "
                        f"{edge.lookups:>5} searches  {edge.bulk:>3} bulk  "
                        f"{c['created']} created / {c['updated']} updated / {c['rejected']} rejected")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()
    from nymble_desk.sandbox.server import start_in_thread

    with tempfile.TemporaryDirectory() as tmp:
        for lookup in ("per-order", "search"):
            server = start_in_thread(Path(tmp) / f"sandbox-{lookup}", customers=50, products=100)
            try:
                rows = asyncio.run(one_lookup(server.base_url, lookup, args.orders, args.batch_size,
                                              Path(tmp) / f"checkpoints-{lookup}"))
            finally:
                server.stop()
            print("\n".join(rows), flush=True)


if __name__ == "__main__":
    main()
