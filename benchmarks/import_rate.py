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
updated: the baseline posts them again, the importer runs with ``--fresh``).  The machine
is shared, so one pair of runs says little: the comparison is made in rounds (3), each
with orders of its own (externalIds ``B<round>-...``, so every round's first import
creates), the baseline and the importer alternating which goes first; each figure is the
median over the rounds and each ratio the median of the rounds' ratios (a round's two
runs see the same load).  Target: the importer at >= 0.8x the baseline's orders/s on
both.  The CPU seconds each side costs (client process plus its sandbox, read from
``/proc``) are printed too: on a loaded machine the wall-clock ratio follows that CPU
ratio, so it says where the time goes.  The importer's peak RSS is
read from ``wait4`` and printed with each; ``--memory`` adds a dry run of a
1,000,000-row CSV and, for a JSON file of 100,000 orders with 10 lines each, a dry run
and a real import (target < 300 MB each).

``.pyc`` files are present on both sides: httpx's come from its install, nymble-desk's (an
editable install) are written by ``compileall`` before timing, as an installed wheel has them
(``PYTHONDONTWRITEBYTECODE`` is set on the CI machines, so the warm-up round alone does not
write them, and the importer compiled ~50 of its modules on every start: ~30 ms of CPU).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import common

BATCH = 200
ROUNDS = 3
TARGET = 0.8  # the importer's orders/s against the raw client's, first import and --fresh
ORDERS = 10_000
CUSTOMERS = ("CUST-1042", "CUST-0082", "CUST-0042", "CUST-0055")
LINES = (("WDG-BLU-L", "12.50"), ("WDG-RED-M", "11.00"), ("PART-A1", "4.25"))
HEADER = "externalId,orderDate,customerNumber,poNumber,priceTier,currencyCode,repNumber,sku,quantity,price"
MEMORY_TARGET_MB = 300.0


def orders(n: int, prefix: str = "BENCH") -> list[dict]:
    return [
        {
            "externalId": f"{prefix}-{i:07d}",
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


def write_csv(path: Path, n: int, prefix: str = "BENCH") -> None:
    with path.open("w") as f:
        f.write(HEADER + "\n")
        for i in range(n):
            for k, (sku, price) in enumerate(LINES):
                head = (f"{prefix}-{i:07d},2024-03-15T00:00:00Z,{CUSTOMERS[i % len(CUSTOMERS)]},PO-B-{i:07d},"
                        f"Wholesale,USD,REP-007") if k == 0 else f"{prefix}-{i:07d},,,,,,"
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

    def cpu(self) -> float | None:
        """CPU seconds (user + system) the server process has used so far; None off Linux."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

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


@dataclass
class Run:
    rate: float  # orders/s of the whole process
    cpu: float | None  # CPU seconds of the client process plus its server's, None when unknown
    client_cpu: float
    loop_rate: float | None = None  # the raw client's posting loop alone
    peak_mb: float = 0.0


def _server_cpu(server: Serve, before: float | None) -> float | None:
    after = server.cpu()
    return None if before is None or after is None else after - before


def raw_bulk(server: Serve, bodies: Path, n: int, env: dict[str, str]) -> Run:
    """A minimal client process posting the pre-encoded bodies to POST /api/orders/bulk, one
    call at a time."""
    before = server.cpu()
    t = time.perf_counter()
    proc = subprocess.Popen([common.python(), "-c", RAW_CLIENT, server.base_url, str(bodies)], env=env,
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
    client = usage.ru_utime + usage.ru_stime
    served = _server_cpu(server, before)
    return Run(n / took, None if served is None else client + served, client, n / answer["loop"])


def run_cli(argv: list[str], env: dict[str, str], server: Serve | None = None) -> tuple[float, float, str, Run]:
    """(seconds, peak RSS in MB, stdout, its Run) of one `nymble-desk` subprocess (CPU: its own
    plus ``server``'s over the same time)."""
    before = server.cpu() if server is not None else None
    t = time.perf_counter()
    proc = subprocess.Popen([common.python(), "-m", "nymble_desk", *argv], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        raise RuntimeError(f"nymble-desk {' '.join(argv[:2])} exited {proc.returncode}: {out[-500:]}")
    client = usage.ru_utime + usage.ru_stime
    served = _server_cpu(server, before) if server is not None else None
    peak = usage.ru_maxrss / 1024
    return took, peak, out, Run(0.0, None if served is None else client + served, client, peak_mb=peak)


def importer(server: Serve, source: Path, n: int, env: dict[str, str], *, fresh: bool) -> Run:
    argv = ["import", str(source), "--profile", "bench", "--batch-size", str(BATCH), "--timeout", "120"]
    took, _, out, run = run_cli([*argv, "--fresh"] if fresh else argv, env, server)
    expected = f"{n} updated" if fresh else f"{n} created"
    if expected not in out:
        raise RuntimeError(f"{'--fresh' if fresh else 'first import'}: {out.splitlines()[:1]}")
    run.rate = n / took
    return run


@dataclass
class Round:
    raw_first: Run
    cli_first: Run
    raw_again: Run
    cli_again: Run


def one_round(r: int, root: Path, n: int, raw_server: Serve, cli_server: Serve, env: dict[str, str]) -> Round:
    """The same orders (externalIds ``B<r>-...``) to both sandboxes: first import, then again;
    the baseline goes first in even rounds, the importer in odd ones."""
    prefix = f"B{r}"
    source = root / f"orders-{r}.csv"
    write_csv(source, n, prefix)
    batch_orders = orders(n, prefix)
    bodies = root / f"bodies-{r}.jsonl"
    bodies.write_text("".join(json.dumps({"orders": batch_orders[i:i + BATCH]}) + "\n" for i in range(0, n, BATCH)))
    runs: dict[str, Run] = {}
    for again in (False, True):
        sides = [("raw", lambda: raw_bulk(raw_server, bodies, n, env)),
                 ("cli", lambda fresh=again: importer(cli_server, source, n, env, fresh=fresh))]
        for side, measure in sides if r % 2 == 0 else sides[::-1]:
            runs[f"{side}_{'again' if again else 'first'}"] = measure()
    return Round(**runs)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _cpu_note(rounds: list[Round], raw: str, cli: str, n: int) -> str:
    raw_cpu = [getattr(x, raw).cpu for x in rounds]
    cli_cpu = [getattr(x, cli).cpu for x in rounds]
    if any(c is None for c in raw_cpu + cli_cpu):
        return ""
    per_k = 1000 / n
    r, c = _median([v or 0.0 for v in raw_cpu]), _median([v or 0.0 for v in cli_cpu])
    client = _median([getattr(x, cli).client_cpu for x in rounds])
    return (f"CPU per 1,000 orders, client + sandbox: raw {r * per_k:.2f} s, importer {c * per_k:.2f} s "
            f"(importer process alone {client * per_k:.2f} s), CPU ratio {r / c:.2f}")


def main(argv: list[str] | None = None) -> int:
    import argparse

    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--memory", action="store_true")
    extra.add_argument("--rounds", type=int, default=ROUNDS)
    known, rest = extra.parse_known_args(argv if argv is not None else sys.argv[1:])
    b = common.bench("import_rate", __doc__.splitlines()[0], rest)
    import compileall

    compileall.compile_dir(str(common.SRC), quiet=2)  # .pyc present on both sides (see the docstring)
    n = ORDERS  # quick too: the figure is 10k orders, and at 2,000 the start-up is a fifth of the run
    root = Path(tempfile.mkdtemp(prefix="nymble-import-"))
    env = {**os.environ, "PYTHONPATH": str(common.SRC), "HOME": str(root / "home"),
           "NYMBLE_DESK_CONFIG_DIR": str(root / "config"), "NYMBLE_DESK_DATA_DIR": str(root / "data"),
           "NYMBLE_DESK_LOG_DIR": str(root / "log"), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    servers: list[Serve] = []
    rounds: list[Round] = []
    try:
        raw_server = Serve(root / "sandbox-raw", env)
        servers.append(raw_server)
        cli_server = Serve(root / "sandbox-cli", env)
        servers.append(cli_server)
        subprocess.run([common.python(), "-c", (
            "from nymble_desk.config import save_profile; "
            f"save_profile('bench', org_code='DEMO', client_id='demo-admin', secret='demo-admin-secret', "
            f"base_url={cli_server.base_url!r})")], env=env, check=True)
        # one untimed pass each, so both start with .pyc files and warm sandboxes
        one_round(-1, root, min(n, 400), raw_server, cli_server, env)
        for r in range(max(1, known.rounds)):
            rounds.append(one_round(r, root, n, raw_server, cli_server, env))
        memory = json_dry = json_real = None
        if known.memory:
            big = root / "million.csv"
            write_csv(big, 1_000_000 // len(LINES) + 1)
            _, memory, _, _ = run_cli(["import", str(big), "--dry-run"], env)
            big_json = root / "million.json"
            write_json(big_json, 100_000, 10)
            _, json_dry, _, _ = run_cli(["import", str(big_json), "--dry-run"], env)
            _, json_real, out, _ = run_cli(["import", str(big_json), "--profile", "bench", "--timeout", "120"], env)
            if "100000 created" not in out.replace(",", ""):
                raise RuntimeError(f"1,000,000-line JSON import: {out.splitlines()[-1:]}")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    k = len(rounds)
    for when, raw, cli, label in (("first", "raw_first", "cli_first", "first import"),
                                  ("again", "raw_again", "cli_again", "same orders again (updates)")):
        raw_rate = _median([getattr(x, raw).rate for x in rounds])
        cli_rate = _median([getattr(x, cli).rate for x in rounds])
        ratio = _median([getattr(x, cli).rate / getattr(x, raw).rate for x in rounds])
        loop = _median([getattr(x, raw).loop_rate or 0.0 for x in rounds])
        peak = max(getattr(x, cli).peak_mb for x in rounds)
        b.figure(f"raw bulk client, {label}", raw_rate, "orders/s",
                 note=f"{n} orders of 3 lines, {BATCH} a call; whole process, median of {k} rounds (posting loop "
                      f"alone {loop:,.0f}/s)")
        name = "nymble-desk import, first import" if when == "first" else "nymble-desk import --fresh (updates)"
        fig = b.ratio(name, cli_rate, raw_rate, "orders/s", min_ratio=TARGET,
                      note=f"whole command, median of {k} rounds; peak RSS {peak:.0f} MB; rounds' ratios "
                           + ", ".join(f"{getattr(x, cli).rate / getattr(x, raw).rate:.2f}" for x in rounds))
        fig.ratio = ratio  # the median of the rounds' own ratios (each round's two runs share the load)
        fig.met = ratio >= TARGET
        cpu = _cpu_note(rounds, raw, cli, n)
        if cpu:
            b.notes.append(f"{label}: {cpu}")
    b.notes.append(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end: wall-clock ratios "
                   f"follow the CPU ratios when the CPU is shared; .pyc present on both sides")
    if memory is not None:
        b.at_most("nymble-desk import --dry-run, 1,000,000-row CSV, peak RSS", memory, MEMORY_TARGET_MB, "MB")
    if json_dry is not None and json_real is not None:
        b.at_most("nymble-desk import --dry-run, JSON of 1,000,000 lines, peak RSS", json_dry, MEMORY_TARGET_MB, "MB")
        b.at_most("nymble-desk import (sent), JSON of 1,000,000 lines, peak RSS", json_real, MEMORY_TARGET_MB, "MB")
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
