from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from nymble_desk.drafts.models import DraftState
from nymble_desk.drafts.store import DraftClosed, DraftNotFound, DraftStore

ADDR = {
    "address1": "500 Commerce Drive",
    "city": "Austin",
    "stateProvince": "TX",
    "postalCode": "78701",
    "country": "US",
}


def test_create_returns_the_open_draft_of_a_customer(store: DraftStore) -> None:
    a = store.create("CUST-1042", customer_name="Brightfield", currency="USD", price_tier="Wholesale")
    b = store.create("CUST-1042", customer_name="Brightfield", currency="USD", price_tier="Wholesale")
    assert a.id == b.id and a.state == DraftState.LOCAL and a.external_id.startswith("ND-")
    store.discard(a.id)
    c = store.create("CUST-1042", customer_name="Brightfield", currency="USD", price_tier="Wholesale")
    assert c.id != a.id and c.external_id != a.external_id


def test_lines_prices_and_totals_round_trip_exactly(store: DraftStore, draft) -> None:
    store.set_line(
        draft.id,
        "WDG-BLU-L",
        48,
        name="Widget Blue Large",
        unit_price=Decimal("11.75"),
        upc="012345678905",
        list_price=Decimal("13.50"),
        tier_prices=[("Wholesale", Decimal("12.50"), 1), ("Wholesale", Decimal("11.75"), 48)],
    )
    d = store.set_line(draft.id, "PART-A1", 30, name="Part A1", unit_price=Decimal("4.25"), minimum=10, increment=10)
    assert [(ln.sku, ln.quantity, ln.unit_price) for ln in d.lines] == [
        ("WDG-BLU-L", 48, Decimal("11.75")), ("PART-A1", 30, Decimal("4.25"))]
    line = d.line("WDG-BLU-L")
    assert line is not None and line.upc == "012345678905" and line.list_price == Decimal("13.50")
    assert line.tier_prices == (("Wholesale", Decimal("12.50"), 1), ("Wholesale", Decimal("11.75"), 48))
    assert d.line("PART-A1").minimum == 10 and d.line("PART-A1").increment == 10
    assert d.state == DraftState.PENDING
    assert d.totals().subtotal == Decimal("691.50")


def test_changing_a_line_keeps_its_position(store: DraftStore, draft) -> None:
    for sku in ("A", "B", "C"):
        store.set_line(draft.id, sku, 1, name=sku, unit_price=Decimal("1"))
    d = store.set_line(draft.id, "A", 5, name="A", unit_price=Decimal("1"))
    assert [ln.sku for ln in d.lines] == ["A", "B", "C"]
    d = store.remove_line(draft.id, "B")
    assert [ln.sku for ln in d.lines] == ["A", "C"]
    d = store.set_line(draft.id, "B", 2, name="B", unit_price=Decimal("1"))
    assert [ln.sku for ln in d.lines] == ["A", "B", "C"]


def test_outbox_folds_to_one_target_state_per_key(store: DraftStore, draft) -> None:
    for qty in (5, 7, 9):
        store.set_line(draft.id, "WDG-BLU-L", qty, name="W", unit_price=Decimal("12.50"))
    store.set_ship_to(draft.id, ADDR)
    store.set_ship_to(draft.id, {**ADDR, "address2": "Suite 200"})
    store.set_po(draft.id, "PO-1")
    store.set_po(draft.id, "PO-2")
    store.set_line(draft.id, "PART-A1", 10, name="P", unit_price=Decimal("4.25"))
    store.remove_line(draft.id, "PART-A1")
    ops = store.pending_ops(draft.id)
    assert [(o.key, o.payload) for o in ops] == [
        ("line:WDG-BLU-L", {"sku": "WDG-BLU-L", "quantity": 9}),
        ("shipping", {"address": {**ADDR, "address2": "Suite 200"}}),
        ("po", {"po": "PO-2"}),
        ("line:PART-A1", {"sku": "PART-A1", "quantity": 0}),
    ]
    assert store.queued_count() == 4
    # an op read before a newer change cannot complete the newer change
    old = ops[0]
    store.set_line(draft.id, "WDG-BLU-L", 11, name="W", unit_price=Decimal("12.50"))
    store.complete_op(old.id)
    assert [o.payload["quantity"] for o in store.pending_ops(draft.id) if o.key == "line:WDG-BLU-L"] == [11]


def test_op_settling(store: DraftStore, draft) -> None:
    store.set_po(draft.id, "PO-9")
    (op,) = store.pending_ops()
    store.note_attempt(op.id, "API unreachable")
    (op,) = store.pending_ops()
    assert op.attempts == 1 and op.last_error == "API unreachable"
    store.fail_op(op.id, "PO refused")
    assert store.pending_ops() == [] and store.queued_count() == 0
    assert [o.last_error for o in store.failed_ops(draft.id)] == ["PO refused"]


def test_journal_records_every_change_in_order(store: DraftStore, draft) -> None:
    store.set_line(draft.id, "WDG-BLU-L", 12, name="W", unit_price=Decimal("12.50"))
    store.set_notes(draft.id, "call before delivery")
    store.set_po(draft.id, "PO-1")
    store.remove_line(draft.id, "WDG-BLU-L")
    assert [e.action for e in store.journal(draft.id)] == ["create", "set_line", "set_notes", "set_po", "remove_line"]
    assert store.journal(draft.id)[1].detail == {"sku": "WDG-BLU-L", "quantity": 12, "unit_price": "12.50"}
    assert all(e.at.tzinfo is not None for e in store.journal(draft.id))


def test_notes_queue_nothing(store: DraftStore, draft) -> None:
    d = store.set_notes(draft.id, "fragile")
    assert d.notes == "fragile" and store.queued_count() == 0 and d.state == DraftState.LOCAL


def test_closed_drafts_refuse_changes(store: DraftStore, draft) -> None:
    store.mark_submitted(draft.id, "ORD-1", "conf_1")
    with pytest.raises(DraftClosed):
        store.set_line(draft.id, "X", 1, name="X", unit_price=Decimal(1))
    with pytest.raises(DraftNotFound):
        store.get("nope")
    assert store.list_drafts() == [] and [d.order_number for d in store.list_drafts(include_closed=True)] == ["ORD-1"]


def test_discard_queues_removal_of_lines_already_on_the_server(store: DraftStore, draft) -> None:
    store.set_line(draft.id, "A", 3, name="A", unit_price=Decimal(1))
    store.set_line(draft.id, "B", 4, name="B", unit_price=Decimal(1))
    store.set_remote_cart(draft.id, "cart_1")
    store.mark_line_synced(draft.id, "A", 3)
    d = store.discard(draft.id)
    assert d.state == DraftState.DISCARDED and d.lines == ()
    assert [(o.key, o.payload["quantity"]) for o in store.pending_ops(draft.id)] == [("line:A", 0)]


def test_checkout_queue_refuses_card_data(store: DraftStore, draft) -> None:
    with pytest.raises(ValueError):
        store.queue_checkout(draft.id, {"channel": "Phone", "cardNumber": "4111111111111111"})
    d = store.queue_checkout(draft.id, {"channel": "Phone", "payment": "terms"})
    assert d.checkout_queued and d.state == DraftState.PENDING


def test_conflicts_move_the_draft_to_conflict_and_back(store: DraftStore, draft) -> None:
    store.set_line(draft.id, "A", 3, name="A", unit_price=Decimal(1))
    d = store.record_conflicts(draft.id, ["A: 5 on the server cart, 3 here"], {"A": {"quantity": 5}})
    assert d.state == DraftState.CONFLICT and d.conflicts == ("A: 5 on the server cart, 3 here",)
    assert store.remote_lines(draft.id) == {"A": {"quantity": 5}}
    d = store.set_line(draft.id, "A", 4, name="A", unit_price=Decimal(1))
    assert d.state == DraftState.CONFLICT  # a local change does not hide a conflict
    d = store.record_conflicts(draft.id, [])
    assert d.state == DraftState.PENDING and d.conflicts == ()


def test_thread_safety_a_connection_per_thread(store: DraftStore, draft) -> None:
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for i in range(1, 21):
                store.set_line(draft.id, f"SKU-{k}", i, name="x", unit_price=Decimal("1.00"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted((ln.sku, ln.quantity) for ln in store.get(draft.id).lines) == [(f"SKU-{k}", 20) for k in range(4)]
    assert store.queued_count() == 4


def test_pragmas(store: DraftStore, tmp_path: Path) -> None:
    con = store._con  # checking the connection factory's settings
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert con.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_two_stores_on_one_file_see_each_other(tmp_path: Path) -> None:
    a, b = DraftStore(tmp_path / "d.sqlite3"), DraftStore(tmp_path / "d.sqlite3")
    d = a.create("C", customer_name="C", currency="USD", price_tier=None)
    b.set_po(d.id, "PO-X")
    assert a.get(d.id).po_number == "PO-X"


def test_default_path_is_under_the_data_dir(isolated_dirs: Path) -> None:
    s = DraftStore()
    assert s.path == isolated_dirs / "data" / "drafts.sqlite3" and s.path.exists()
    s.close()


def test_no_column_can_hold_card_data(store: DraftStore) -> None:
    con = sqlite3.connect(store.path)
    cols = [c[1].lower() for t in ("drafts", "draft_lines", "journal", "outbox", "meta")
            for c in con.execute(f"PRAGMA table_info({t})")]
    assert cols and not any("card" in c or "cvv" in c for c in cols)


def test_worker_threads_do_not_pile_up_connections(store: DraftStore, draft) -> None:
    import gc
    import os

    def fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    def one_change(i: int) -> None:
        store.set_line(draft.id, "A", i, name="A", unit_price=Decimal(1))

    for i in range(1, 4):  # warm up
        t = threading.Thread(target=one_change, args=(i,))
        t.start()
        t.join()
    gc.collect()
    before = fds()
    for i in range(4, 40):
        t = threading.Thread(target=one_change, args=(i,))
        t.start()
        t.join()
    gc.collect()
    assert fds() <= before + 2
    assert store.get(draft.id).line("A").quantity == 39


def test_set_lines_writes_a_batch_as_set_line_would_one_by_one(store: DraftStore, draft) -> None:
    from nymble_desk.drafts.models import DraftLine

    store.set_line(draft.id, "B", 2, name="B", unit_price=Decimal("1"))
    store.remove_line(draft.id, "C")  # a removed line comes back in its old place
    d = store.set_lines(draft.id, [
        DraftLine(sku="A", quantity=3, name="Part A", unit_price=Decimal("2.50"),
                  tier_prices=(("Wholesale", Decimal("2.25"), 10),)),
        DraftLine(sku="B", quantity=7, name="B", unit_price=Decimal("1")),
        DraftLine(sku="D", quantity=99_999, name="Part D", unit_price=Decimal("135.05")),
        DraftLine(sku="B", quantity=0, name="B", unit_price=Decimal("1")),
    ])
    assert [(line.sku, line.quantity) for line in d.lines] == [("A", 3), ("D", 99_999)]
    assert d.line("A").tier_prices == (("Wholesale", Decimal("2.25"), 10),)
    assert d.totals().subtotal == Decimal("7.50") + Decimal("135.05") * 99_999
    assert d.state == DraftState.PENDING
    actions = [(e.action, e.detail.get("sku"), e.detail.get("quantity")) for e in store.journal(draft.id)]
    assert actions[-4:] == [("set_line", "A", 3), ("set_line", "B", 7), ("set_line", "D", 99_999),
                            ("remove_line", "B", None)]
    con = sqlite3.connect(store.path)
    ops = dict(con.execute("SELECT key, payload FROM outbox WHERE status = 'pending'"))
    con.close()
    assert ops == {"line:A": '{"quantity": 3, "sku": "A"}', "line:B": '{"quantity": 0, "sku": "B"}',
                   "line:C": '{"quantity": 0, "sku": "C"}', "line:D": '{"quantity": 99999, "sku": "D"}'}


def test_set_lines_is_all_or_nothing(store: DraftStore, draft) -> None:
    from nymble_desk.drafts.models import DraftLine

    store.set_line(draft.id, "A", 1, name="A", unit_price=Decimal("1"))
    before = (store.get(draft.id), len(store.journal(draft.id)))
    bad_tiers = (("Wholesale", Decimal("1"), "not a quantity"),)
    with pytest.raises(ValueError):  # the second change fails after the first was written: both roll back
        store.set_lines(draft.id, [DraftLine(sku="A", quantity=5, name="A", unit_price=Decimal("1")),
                                   DraftLine(sku="B", quantity=2, name="B", unit_price=Decimal("1"),
                                             tier_prices=bad_tiers)])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.set_lines(draft.id, [DraftLine(sku="A", quantity=5, name="A", unit_price=Decimal("1")),
                                   DraftLine(sku="B", quantity=-1, name="B", unit_price=Decimal("1"))])
    assert (store.get(draft.id), len(store.journal(draft.id))) == before
    store.discard(draft.id)
    with pytest.raises(DraftClosed):
        store.set_lines(draft.id, [DraftLine(sku="A", quantity=5, name="A", unit_price=Decimal("1"))])
