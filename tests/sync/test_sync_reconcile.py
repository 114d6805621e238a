from __future__ import annotations

from decimal import Decimal

from nymble_desk.sync.reconcile import foreign_lines, plan_line, price_conflict, same_address
from nymble_desk.sync.status import SyncStatus


def test_plan_line_sends_only_what_the_server_needs() -> None:
    assert plan_line("A", 5, 5, 3, None).action == "done"          # already there (a lost reply that landed)
    assert plan_line("A", 5, 0, None, None).action == "add"
    assert plan_line("A", 5, 3, 3, None).action == "update"
    assert plan_line("A", 0, 3, 3, None).action == "remove"
    assert plan_line("A", 0, 0, 3, None).action == "done"
    assert plan_line("A", 9, 7, 3, 7).action == "update"           # 7 was our own change whose reply was lost


def test_plan_line_reports_changes_made_elsewhere() -> None:
    plan = plan_line("A", 5, 8, 3, None)
    assert plan.action == "conflict" and plan.message == (
        "A: changed elsewhere to 8 on the server cart (was 3); this draft wants 5")
    plan = plan_line("A", 0, 4, None, None)
    assert plan.action == "conflict" and "already holds 4" in (plan.message or "")
    assert "removed it" in (plan_line("A", 0, 4, 2, None).message or "")


def test_foreign_lines_and_prices() -> None:
    assert foreign_lines({"A": 1, "B": 2, "C": 0}, {"A"}) == {"B": 2}
    assert price_conflict("A", Decimal("12.50"), Decimal("12.5"), "USD") is None
    assert price_conflict("A", Decimal("12.50"), None, "USD") is None
    assert price_conflict("A", Decimal("12.50"), Decimal("13.00"), "USD") == "A: price changed from $12.50 to $13.00"


def test_same_address_ignores_spelling_of_postal_code_and_blanks() -> None:
    a = {"address1": "1 Main", "postalCode": "78701", "address2": ""}
    assert same_address(a, {"address1": "1 Main", "zipPostalCode": "78701", "city": None})
    assert not same_address(a, {"address1": "2 Main", "postalCode": "78701"})
    assert not same_address(None, a) and same_address(None, {})


def test_status_summary_reads_without_colour() -> None:
    assert (
        SyncStatus(False, 3, "Server unreachable", None).summary == "OFFLINE | 3 changes queued | ! Server unreachable"
    )
    assert SyncStatus(True, 1, None, None).summary == "online | 1 change queued"
