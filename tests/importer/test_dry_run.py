"""Issue #12: `import --dry-run` prints ONE summary, and checks customers, SKUs and reps
against the server read-only, so CUST-9999 fails the dry run as it fails the real run."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from importer_files import HEADER, order_lines
from lookup_edges import Counting

from nymble_desk.importer.cli import EXIT_OK, EXIT_REJECTED, add_arguments, main

FIVE = "\n".join([
    HEADER,
    *order_lines("DRY-1", customer="CUST-1042"),
    *order_lines("DRY-2", customer="CUST-9999"),  # no such customer
    *order_lines("DRY-3", customer="CUST-0082", items=(("NO-SUCH-SKU", "1", "1.00"),)),
    *order_lines("DRY-4", customer="CUST-0013", po="PO-4"),  # inactive
    *order_lines("DRY-5", customer="CUST-0042", po="PO-5"),
])


def run(tmp_path: Path, *argv: str, client_factory) -> tuple[int, str, str]:
    path = tmp_path / "orders.csv"
    path.write_text(FIVE)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = main(parser.parse_args([str(path), *argv]), make_client=client_factory, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_dry_run_refuses_what_the_server_would_and_sends_nothing(tmp_path: Path, make_client, transport):
    edge = Counting(transport)
    code, out, err = run(tmp_path, "--dry-run", client_factory=lambda _p: make_client(via=edge))
    assert code == EXIT_REJECTED and err == ""
    assert edge.bulk == 0 and edge.lookups == 0  # read-only: no order was looked up or sent
    lines = out.splitlines()
    assert lines[0].startswith("orders.csv: dry run, nothing sent: 5 orders: 2 ready to send, 3 rejected "
                               "(customers, SKUs and reps checked on http://sandbox.test, read-only)")
    assert sum("orders" in line and "dry run" in line for line in lines) == 1  # one summary
    assert "orders.csv line 3: customerNumber: CUST-9999 is not a customer of this organisation" in out
    assert "orders.csv line 4: sku: NO-SUCH-SKU: the product does not exist" in out
    assert "orders.csv line 5: customerNumber: CUST-0013 is inactive" in out

    code, out, err = run(tmp_path, client_factory=lambda _p: make_client())  # the real run agrees
    assert code == EXIT_REJECTED
    report_line = out.splitlines()[0]
    assert report_line == "orders.csv: 5 orders: 2 created, 0 updated, 3 rejected"


def test_a_clean_dry_run_as_json(tmp_path: Path, make_client):
    path = tmp_path / "ok.csv"
    path.write_text("\n".join([HEADER, *order_lines("OK-1", customer="CUST-1042")]))
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = io.StringIO()
    code = main(parser.parse_args([str(path), "--dry-run", "--json"]), make_client=lambda _p: make_client(),
                out=out, err=io.StringIO())
    data = json.loads(out.getvalue())
    assert code == EXIT_OK and data["dryRun"] is True and data["counts"] == {"ready": 1, "rejected": 0}
    assert data["orders"][0]["status"] == "ready"
