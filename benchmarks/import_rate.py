"""Bulk import: `nymble-desk import` against the raw bulk endpoint, same orders, same run.

Two sandboxes (``nymble-desk serve`` on loopback ports, seeded alike) receive the same
orders (three lines each, each with its own externalId):

- baseline: the raw bulk endpoint fed by a minimal client process (httpx, sign-in, then
  ``POST /api/orders/bulk`` with bodies encoded before it starts, 200 orders a call, one
  call at a time): the fastest a command can feed the endpoint.  Its posting loop alone is
  printed too, with the importer's ratio against it;
- measured: ``nymble-desk import FILE --profile bench`` as a subprocess (interpreter start,
  sign-in, parsing the CSV, look-ups, checkpoint and report included), batches of 200.

Each is timed on a first import (all created) and again on the same orders (all
updated: the baseline posts them again, the importer runs with ``--fresh``).  Target:
the importer at >= 0.8x the baseline's orders/s on both.  The importer's peak RSS is
read from ``wait4`` and printed with each; ``--memory`` adds a dry run of a
1,000,000-row CSV and, for a JSON file of 100,000 orders with 10 lines each, a dry run
and a real import (target < 300 MB each).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import common

BATCH = 200
CUSTOMERS = ("CUST-1042", "CUST-0082", "CUST-0042", "CUST-0055")
LINES = (("WDG-BLU-L", "12.50"), ("WDG-RED-M", "11.00"), ("PART-A1", "4.25"))
HEADER = "externalId,orderDate,customerNumber,poNumber,priceTier,currencyCode,repNumber,sku,quantity,price"
MEMORY_TARGET_MB = 300.0
CPU: dict[str, list[float]] = {"raw": [], "cli": []}  # client CPU seconds (user + system) of each run


def orders(n: int) -> list[dict]:
    return [
        {
            "externalId": f"BENCH-{i:07d}",
            "orderDate": "2024-03-15T00:00:00Z",
            "orderType": "Import",
            "customer": {"customerNumber": CUSTOMERS[i % len(CUSTOMERS)]},
            "poNumber": f"PO-B-{i:07d}",
            "priceTier": "Wholesale",
            "currencyCode": "USD",
            "primarySalesRep": {"repNumber": "REP-007"},
            "user": {"userType": "Admin"},
            "items": [
                {"sku": sku, "quantity": 10 * (n + 1), "price": float(price)} for n, (sku, price) in enumerate(LINES)
            ],
        }
        for i in range(n)
    ]


def write_csv(path: Path, n: int) -> None:
    with path.open("w") as f:
        f.write(HEADER + "\n")
        for i in range(n):
            for k, (sku, price) in enumerate(LINES):
                head = (f"BENCH-{i:07d},2024-03-15T00:00:00Z,{CUSTOMERS[i % len(CUSTOMERS)]},PO-B-{i:07d},Wholesale,"
                        f"USD,REP-007") if k == 0 else f"BENCH-{i:07d},,,,,,"
                f.write(f"{head},{sku},{10 * (k + 1)},{price}\n")


def write_json(path: Path, n: int, lines: int) -> None:
    """``{"orders": [...]}`` with ``n`` orders of ``lines`` lines each, one order a line of text."""
    with path.open("w") as f:
        f.write('{"orders": [\n')
        for i, order in enumerate(orders_of(n, lines, prefix="BIGJ")):
            f.write(("," if i else "") + json.dumps(order) + "\n")
        f.write("]}\n")


def orders_of(n: int, lines: int, prefix: str) -> Iterator[dict]:
    return ({
        "externalId": f"{prefix}-{i:07d}", "orderDate": "2024-03-15T00:00:00Z", "orderType": "Import",
        "customer": {"customerNumber": CUSTOMERS[i % len(CUSTOMERS)]}, "poNumber": f"PO-{prefix}-{i:07d}",
        "priceTier": "Wholesale", "currencyCode": "USD", "primarySalesRep": {"repNumber": "REP-007"},
        "items": [{"sku": LINES[k % len(LINES)][0], "quantity": k + 1, "price": float(LINES[k % len(LINES)][1])}
                  for k in range(lines)],
    } for i in range(n))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """``nymble-desk serve`` in a subprocess (uvicorn: TCP_NODELAY on its sockets)."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [common.python(), "-m", "nymble_desk", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--data-dir", str(data_dir), "--customers", "50", "--products", "100"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import httpx

        end = time.monotonic() + 120
        while True:
            try:
                httpx.get(self.base_url + "/openapi.json", timeout=2).raise_for_status()
                return
            except httpx.HTTPError:
                if time.monotonic() > end or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("nymble-desk serve did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


RAW_CLIENT = r"""
import json, sys, time
import httpx
base_url, bodies_path = sys.argv[1], sys.argv[2]
with httpx.Client(base_url=base_url, timeout=120) as http:
    token = http.post("/api/auth/login", json={"OrgCode": "DEMO", "ClientId": "demo-admin",
                                               "ClientSecret": "demo-admin-secret"}).json()["AccessToken"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    done = 0
    t = time.perf_counter()
    with open(bodies_path, "rb") as f:
        for body in f:
            answer = http.post("/api/orders/bulk", content=body, headers=headers)
            answer.raise_for_status()
            done += sum(1 for r in answer.json() if r.get("data"))
    print(json.dumps({"done": done, "loop": time.perf_counter() - t}))
"""


def raw_bulk(base_url: str, bodies: Path, n: int, env: dict[str, str]) -> tuple[float, float]:
    """(orders/s of the whole process, orders/s of its posting loop alone): a minimal client
    process posting the pre-encoded bodies to POST /api/orders/bulk, one call at a time."""
    t = time.perf_counter()
    proc = subprocess.Popen([common.python(), "-c", RAW_CLIENT, base_url, str(bodies)], env=env,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("the raw bulk client failed")
    answer = json.loads(out)
    if answer["done"] != n:
        raise RuntimeError(f"the bulk endpoint stored {answer['done']} of {n} orders")
    CPU["raw"].append(usage.ru_utime + usage.ru_stime)
    return n / took, n / answer["loop"]


def run_cli(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one `nymble-desk` subprocess."""
    t = time.perf_counter()
    proc = subprocess.Popen([common.python(), "-m", "nymble_desk", *argv], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t
    CPU["cli"].append(usage.ru_utime + usage.ru_stime)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        raise RuntimeError(f"nymble-desk {' '.join(argv[:2])} exited {proc.returncode}: {out[-500:]}")
    return took, usage.ru_maxrss / 1024, out


def main(argv: list[str] | None = None) -> int:
    import argparse

    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--memory", action="store_true")
    known, rest = extra.parse_known_args(argv if argv is not None else sys.argv[1:])
    b = common.bench("import_rate", __doc__.splitlines()[0], rest)
    n = 2000 if b.quick else 10_000
    root = Path(tempfile.mkdtemp(prefix="nymble-import-"))
    env = {**os.environ, "PYTHONPATH": str(common.SRC), "HOME": str(root / "home"),
           "NYMBLE_DESK_CONFIG_DIR": str(root / "config"), "NYMBLE_DESK_DATA_DIR": str(root / "data"),
           "NYMBLE_DESK_LOG_DIR": str(root / "log"), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    servers: list[Serve] = []
    try:
        raw_server = Serve(root / "sandbox-raw", env)
        servers.append(raw_server)
        cli_server = Serve(root / "sandbox-cli", env)
        servers.append(cli_server)
        subprocess.run([common.python(), "-c", (
            "from nymble_desk.config import save_profile; "
            f"save_profile('bench', org_code='DEMO', client_id='demo-admin', secret='demo-admin-secret', "
            f"base_url={cli_server.base_url!r})")], env=env, check=True)
        source = root / "orders.csv"
        write_csv(source, n)
        batch_orders = orders(n)
        bodies = root / "bodies.jsonl"
        bodies.write_text("".join(json.dumps({"orders": batch_orders[i:i + BATCH]}) + "\n" for i in range(0, n, BATCH)))
        cli = ["import", str(source), "--profile", "bench", "--batch-size", str(BATCH), "--timeout", "120"]

        raw_first, raw_first_loop = raw_bulk(raw_server.base_url, bodies, n, env)
        took, first_mb, out = run_cli(cli, env)
        cli_first = n / took
        if f"{n} created" not in out:
            raise RuntimeError(f"first import: {out.splitlines()[:1]}")
        raw_again, raw_again_loop = raw_bulk(raw_server.base_url, bodies, n, env)
        took, fresh_mb, out = run_cli([*cli, "--fresh"], env)
        cli_fresh = n / took
        if f"{n} updated" not in out:
            raise RuntimeError(f"--fresh: {out.splitlines()[:1]}")
        memory = json_dry = json_real = None
        if known.memory:
            big = root / "million.csv"
            write_csv(big, 1_000_000 // len(LINES) + 1)
            took, memory, _ = run_cli(["import", str(big), "--dry-run"], env)
            big_json = root / "million.json"
            write_json(big_json, 100_000, 10)
            took, json_dry, _ = run_cli(["import", str(big_json), "--dry-run"], env)
            took, json_real, out = run_cli(["import", str(big_json), "--profile", "bench", "--timeout", "120"], env)
            if "100000 created" not in out.replace(",", ""):
                raise RuntimeError(f"1,000,000-line JSON import: {out.splitlines()[-1:]}")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    b.figure("raw bulk client, first import", raw_first, "orders/s",
             note=f"{n} orders of 3 lines, 200 a call; whole process (posting loop alone {raw_first_loop:,.0f}/s)")
    b.ratio("nymble-desk import, first import", cli_first, raw_first, "orders/s", min_ratio=0.8, gate=0.5, goal="#17",
            note=f"whole command; peak RSS {first_mb:.0f} MB; vs loop alone {cli_first / raw_first_loop:.2f}")
    b.figure("raw bulk client, same orders again (updates)", raw_again, "orders/s",
             note=f"whole process (posting loop alone {raw_again_loop:,.0f}/s)")
    b.ratio("nymble-desk import --fresh (updates)", cli_fresh, raw_again, "orders/s", min_ratio=0.8, gate=0.5,
            goal="#17",
            note=f"whole command; peak RSS {fresh_mb:.0f} MB; vs loop alone {cli_fresh / raw_again_loop:.2f}")
    b.notes.append(f"client CPU s (first, again): raw {CPU['raw'][0]:.2f}, {CPU['raw'][1]:.2f}; "
                   f"nymble-desk import {CPU['cli'][0]:.2f}, {CPU['cli'][1]:.2f} (load average "
                   f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: ratios shrink when the CPU is shared)")
    if memory is not None:
        b.at_most("nymble-desk import --dry-run, 1,000,000-row CSV, peak RSS", memory, MEMORY_TARGET_MB, "MB")
    if json_dry is not None and json_real is not None:
        b.at_most("nymble-desk import --dry-run, JSON of 1,000,000 lines, peak RSS", json_dry, MEMORY_TARGET_MB, "MB")
        b.at_most("nymble-desk import (sent), JSON of 1,000,000 lines, peak RSS", json_real, MEMORY_TARGET_MB, "MB")
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
