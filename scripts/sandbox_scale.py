"""Time the sandbox's demo-data generation at scale (not a unit test).

    .venv/bin/python scripts/sandbox_scale.py [--customers 100000] [--products 200000]

Prints the seconds taken by ``create_app`` on a fresh data dir (both
organisations are generated, so the rows written are twice the sizes), then a
few request timings against the result.  The target is under 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path


async def _probe(app: object) -> dict[str, float]:
    import httpx

    timings: dict[str, float] = {}
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        r = await http.post("/api/auth/login", json={"OrgCode": "DEMO", "ClientId": "demo-admin",
                                                     "ClientSecret": "demo-admin-secret"})
        h = {"Authorization": f"Bearer {r.json()['AccessToken']}"}
        for name, url in (("customer keyword", "/api/customers?keyword=summit&pageSize=20"),
                          ("product keyword", "/api/products?keyword=bracket&pageSize=20"),
                          ("product by UPC", "/api/products/012345678905"),
                          ("orders page", "/api/orders?pageSize=50&sortOn=orderDate&sortDirection=desc")):
            start = time.perf_counter()
            r = await http.get(url, headers=h)
            r.raise_for_status()
            timings[name] = time.perf_counter() - start
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a temporary dir, removed afterwards")
    args = parser.parse_args(argv)

    from nymble_desk.sandbox import create_app

    with tempfile.TemporaryDirectory(prefix="sandbox-scale-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        start = time.perf_counter()
        app = create_app(data_dir, customers=args.customers, products=args.products)
        seconds = time.perf_counter() - start
        size = (data_dir / "sandbox.sqlite3").stat().st_size / 1e6
        print(
            f"generated customers={args.customers} products={args.products} per org in {seconds:.2f} s ({size:.0f} MB)"
        )
        for name, took in asyncio.run(_probe(app)).items():
            print(f"  {name}: {took * 1000:.1f} ms")
        app.state.db.close()  # type: ignore[attr-defined]
    return 0 if seconds < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
