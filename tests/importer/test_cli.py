"""`nymble-desk import` as a command: exit codes, report on stdout, progress on stderr."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from importer_files import HEADER, order_lines

from nymble_desk.importer.cli import EXIT_OK, EXIT_REJECTED, EXIT_STOPPED, EXIT_UNUSABLE, add_arguments, main


def args_for(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def write(tmp_path: Path, text: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def run(args: argparse.Namespace, **kw) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, out=out, err=err, **kw)
    return code, out.getvalue(), err.getvalue()


def test_dry_run_without_a_sign_in_checks_the_file_and_says_what_it_did_not_check(tmp_path: Path):
    path = write(tmp_path, "\n".join([HEADER, *order_lines("A-1"), *order_lines("B-2", items=(("X-1", "0", "1"),))]))
    code, out, err = run(args_for(str(path), "--dry-run"))  # the isolated config dir has no profile
    assert code == EXIT_REJECTED and err == ""  # one report, on stdout only
    assert out.splitlines()[0] == (
        "orders.csv: dry run, nothing sent: 2 orders: 1 ready to send, 1 rejected (the file only: customers, SKUs "
        "and reps not checked on the server: no saved sign-in for profile 'default'; sign in with `nymble-desk` "
        "first)")
    assert "orders.csv line 3: quantity: must be at least 1, not 0" in out


def test_unreadable_file_and_missing_sign_in(tmp_path: Path):
    code, _, err = run(args_for(str(tmp_path / "missing.csv")))
    assert code == EXIT_UNUSABLE and "cannot read" in err
    path = write(tmp_path, "\n".join([HEADER, *order_lines("A-1")]))
    code, _, err = run(args_for(str(path)))  # the isolated config dir has no profile
    assert code == EXIT_UNUSABLE and "no saved sign-in for profile 'default'" in err


def test_import_against_the_sandbox_prints_progress_and_a_json_report(tmp_path: Path, make_client):
    text = "\n".join([HEADER, *order_lines("CLI-1", customer="CUST-1042"),
                      *order_lines("CLI-2", customer="CUST-0082", items=(("PART-B3", "25", "9.99"),))])
    path = write(tmp_path, text)
    code, out, err = run(args_for(str(path), "--json", "--batch-size", "1"), make_client=lambda _p: make_client())
    assert code == EXIT_OK, err
    assert err.splitlines() == ["batch 1/2: 1/2 orders", "batch 2/2: 2/2 orders"]
    report = json.loads(out)
    assert report["counts"] == {"created": 2, "updated": 0, "rejected": 0, "skipped": 0}
    assert [o["externalId"] for o in report["orders"]] == ["CLI-1", "CLI-2"]

    code, out, err = run(args_for(str(path), "--batch-size", "1"), make_client=lambda _p: make_client())
    assert code == EXIT_OK and "(already sent earlier)" in err
    # a rerun does not call "created" what the first run created (#12 item 8)
    assert out.startswith("orders.csv: 2 orders: 0 created, 0 updated, 0 rejected, 2 already imported by an "
                          "earlier run (not sent again)")


def test_wrong_secret_stops_with_a_plain_message(tmp_path: Path, make_client):
    path = write(tmp_path, "\n".join([HEADER, *order_lines("A-1")]))
    code, _, err = run(args_for(str(path)), make_client=lambda _p: make_client("no-such-client"))
    assert code == EXIT_STOPPED and "cannot sign in" in err
