"""``nymble-desk orders`` / ``invoices``: text and JSON against the sandbox (in process, and one real port)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from nymble_desk.cli import build_parser, main
from nymble_desk.records_cli import invoices_main, orders_main

SIZES = {"customers": 50, "products": 100}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from nymble_desk.sandbox import create_app

    return create_app(tmp_path_factory.mktemp("records-sandbox"), **SIZES)


@pytest.fixture
def client(sandbox: Any) -> Any:
    from nymble_desk.api import Credentials, NymbleClient

    def make() -> Any:  # each command closes its client: a fresh one per run
        return NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"),
                            transport=httpx.ASGITransport(app=sandbox))

    return make


def run(func: Any, argv: list[str], client: Any) -> tuple[int, str]:
    out = io.StringIO()
    args = build_parser().parse_args(argv)
    return func(args, client=client(), out=out), out.getvalue()


def test_orders_list_by_po_text(client: Any) -> None:
    code, text = run(orders_main, ["orders", "--po", "PO-2024-77001"], client)
    assert code == 0
    row = next(line for line in text.splitlines() if line.startswith("ORD-00044"))
    assert "CUST-1042" in row and "$714.50" in row and "INV-000044" in row
    assert "page 1 of 1 · 1 order(s)" in text


def test_orders_list_json_paged_and_sorted(client: Any) -> None:
    code, text = run(orders_main, ["orders", "--json", "--page-size", "3", "--page", "2", "--sort", "orderTotal",
                                   "--asc"], client)
    data = json.loads(text)
    assert code == 0 and data["pageNumber"] == 2 and len(data["items"]) == 3
    totals = [data["items"][i]["orderTotal"] for i in range(3)]
    assert all(isinstance(t, str) for t in totals)  # money as strings, never floats
    from decimal import Decimal

    assert [Decimal(t) for t in totals] == sorted(Decimal(t) for t in totals)


def test_orders_show_with_invoices_and_payments(client: Any) -> None:
    code, text = run(orders_main, ["orders", "show", "ORD-00051"], client)
    assert code == 0
    assert "PO PO-2024-78010" in text and "channel TradeShow" in text
    assert "invoice INV-000051  PartiallyPaid" in text and "balance $294.00" in text and "EFT" in text
    code, raw = run(orders_main, ["orders", "show", "ORD-00051", "--json"], client)
    data = json.loads(raw)
    assert data["orderNumber"] == "ORD-00051" and data["invoices"][0]["payments"][0]["amount"] == "294.0"


def test_invoices_list_and_show(client: Any) -> None:
    code, text = run(invoices_main, ["invoices", "--customer", "cust-1042", "--status", "Issued"], client)
    assert code == 0 and "INV-000050" in text and "INV-000044" not in text and "1 invoice(s)" in text
    code, raw = run(invoices_main, ["invoices", "show", "INV-000044", "--json"], client)
    data = json.loads(raw)
    assert data["status"] == "Paid" and data["balance"] in ("0", "0.0", "0.00")
    code, text = run(invoices_main, ["invoices", "show", "INV-000044"], client)
    assert "INV-000044  Paid  order ORD-00044" in text and "Wire" in text


def test_usage_errors_and_unknown_ids(client: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(orders_main, ["orders", "--from", "2024-02-30"], client)[0] == 2
    assert "--from: write the date as YYYY-MM-DD" in capsys.readouterr().err
    assert run(orders_main, ["orders", "show"], client)[0] == 2
    assert run(invoices_main, ["invoices", "show", "INV-999999"], client)[0] == 1
    assert "INV-999999" in capsys.readouterr().err


def test_no_profile_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["orders"]) == 2
    assert "no saved profile" in capsys.readouterr().err


def test_real_port_with_a_saved_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import keyring
    from keyring.backends import fail

    from nymble_desk.config import save_profile
    from nymble_desk.sandbox.server import start_in_thread

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the secret goes to the 0600 file under the test's config dir
    server = start_in_thread(tmp_path / "sandbox", **SIZES)
    try:
        save_profile("demo", org_code="DEMO", client_id="demo-rep", secret="demo-rep-secret",
                     base_url=server.base_url)
        assert main(["invoices", "--order", "ORD-00050", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert [i["invoiceNumber"] for i in data["items"]] == ["INV-000050"]
        assert main(["orders", "--customer", "CUST-1042", "--min-total", "$500"]) == 0
        text = capsys.readouterr().out
        assert "6 order(s)" in text  # 2 recent + 4 repeat orders (demo.HISTORY) over $500
    finally:
        server.stop()
        keyring.set_keyring(previous)


def test_commands_import_neither_textual_nor_the_sandbox() -> None:
    import subprocess
    import sys

    code = ("import sys, nymble_desk.records_cli, nymble_desk.sync.after_sales, nymble_desk.cli as c; "
            "c.build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'fastapi', 'uvicorn')"
            " or m.startswith(('nymble_desk.tui', 'nymble_desk.sandbox'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
