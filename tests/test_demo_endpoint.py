"""One demo, every front end: while a demo runs, `orders`, `invoices`, `import` and `drafts` reach it
without a hand-made profile (demo_endpoint's file, 0600, withdrawn at exit, a dead demo's ignored)."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from nymble_desk import demo_endpoint
from nymble_desk.cli import build_parser
from nymble_desk.demo_endpoint import DemoEndpoint


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_published_while_running_0600_and_withdrawn(isolated_dirs: Path) -> None:
    here = DemoEndpoint("http://127.0.0.1:1", isolated_dirs / "demo" / "drafts.sqlite3", os.getpid())
    path = demo_endpoint.publish(here)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert demo_endpoint.read() == here
    demo_endpoint.withdraw(pid=12345)  # not ours: left alone
    assert demo_endpoint.read() == here
    demo_endpoint.withdraw()
    assert not path.exists() and demo_endpoint.read() is None


def test_a_dead_demos_file_is_ignored(isolated_dirs: Path) -> None:
    demo_endpoint.publish(DemoEndpoint("http://127.0.0.1:1", isolated_dirs / "d.sqlite3", dead_pid()))
    assert demo_endpoint.read() is None
    assert demo_endpoint.demo_in_use(None) is None


def test_a_saved_profile_or_a_named_one_wins_over_the_demo(isolated_dirs: Path) -> None:
    demo_endpoint.publish(DemoEndpoint("http://127.0.0.1:1", isolated_dirs / "d.sqlite3", os.getpid()))
    assert demo_endpoint.demo_in_use(None) is not None
    assert demo_endpoint.demo_in_use("work") is None
    config = isolated_dirs / "config"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[profiles.default]\norg_code = "ACME"\nclient_id = "me"\n')
    assert demo_endpoint.demo_in_use(None) is None


def test_drafts_list_shows_the_running_demos_drafts(isolated_dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from nymble_desk.drafts.cli import main
    from nymble_desk.drafts.store import DraftStore

    demo_drafts = isolated_dirs / "demo" / "drafts.sqlite3"
    demo_drafts.parent.mkdir(parents=True)
    store = DraftStore(demo_drafts)
    draft = store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD", price_tier="Wholesale")
    store.set_line(draft.id, "WDG-BLU-L", 12, name="Widget Blue Large", unit_price=Decimal("12.50"))
    store.close()
    demo_endpoint.publish(DemoEndpoint("http://127.0.0.1:1", demo_drafts, os.getpid()))
    out = io.StringIO()
    assert main(build_parser().parse_args(["drafts", "list"]), out=out) == 0
    assert "CUST-1042" in out.getvalue(), out.getvalue()
    assert "running demo's drafts" in capsys.readouterr().err


def test_orders_and_invoices_reach_the_running_demo(isolated_dirs: Path, sandbox_dir: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from nymble_desk.records_cli import invoices_main, orders_main
    from nymble_desk.sandbox.server import start_in_thread

    server = start_in_thread(sandbox_dir, customers=50, products=100)
    try:
        demo_endpoint.publish(DemoEndpoint(server.base_url, isolated_dirs / "d.sqlite3", os.getpid()))
        out = io.StringIO()
        assert orders_main(build_parser().parse_args(["orders", "--po", "PO-2024-77001"]), out=out) == 0
        assert "CUST-1042" in out.getvalue()
        out = io.StringIO()
        assert invoices_main(build_parser().parse_args(["invoices", "--customer", "CUST-1042"]), out=out) == 0
        assert "INV-" in out.getvalue()
        assert f"using the running demo at {server.base_url}" in capsys.readouterr().err
    finally:
        server.stop()


def test_without_a_demo_orders_still_asks_for_a_profile(isolated_dirs: Path) -> None:
    from nymble_desk.records_cli import orders_main

    assert orders_main(build_parser().parse_args(["orders"]), out=io.StringIO()) == 2


def test_demo_publishes_its_sandbox_while_it_runs(isolated_dirs: Path) -> None:
    import signal
    import time

    argv = [sys.executable, "-m", "nymble_desk", "demo", "--no-tui", "--data-dir", str(isolated_dirs / "demo"),
            "--customers", "50", "--products", "100"]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        for line in child.stdout:  # the credentials, then "Press Ctrl+C to stop."
            if "Ctrl+C" in line:
                break
        found = demo_endpoint.read()
        assert found is not None and found.pid == child.pid
        assert found.url.startswith("http://127.0.0.1:")
        assert found.drafts_path == isolated_dirs / "demo" / "drafts.sqlite3"
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=30)
    end = time.monotonic() + 5
    while demo_endpoint.endpoint_path().exists() and time.monotonic() < end:
        time.sleep(0.05)
    assert not demo_endpoint.endpoint_path().exists()


def test_import_reaches_the_running_demo(isolated_dirs: Path, sandbox_dir: Path) -> None:
    from nymble_desk.importer.cli import main
    from nymble_desk.sandbox.server import start_in_thread

    orders = isolated_dirs / "orders.csv"
    orders.write_text("externalId,customerNumber,poNumber,priceTier,currencyCode,repNumber,sku,quantity,price\n"
                      "DEMO-IMP-1,CUST-1042,PO-DEMO-IMP,Wholesale,USD,REP-007,WDG-BLU-L,24,12.50\n")
    server = start_in_thread(sandbox_dir, customers=50, products=100)
    try:
        demo_endpoint.publish(DemoEndpoint(server.base_url, isolated_dirs / "d.sqlite3", os.getpid()))
        out, err = io.StringIO(), io.StringIO()
        assert main(build_parser().parse_args(["import", str(orders)]), out=out, err=err) == 0, err.getvalue()
        from nymble_desk.records_cli import orders_main

        listed = io.StringIO()
        assert orders_main(build_parser().parse_args(["orders", "--po", "PO-DEMO-IMP"]), out=listed) == 0
        assert "CUST-1042" in listed.getvalue()
    finally:
        server.stop()
