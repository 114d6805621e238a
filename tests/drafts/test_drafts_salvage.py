"""Reading what can be read from a damaged drafts file, without ever writing to it."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from nymble_desk.drafts.health import DraftsDamaged, move_aside, probe
from nymble_desk.drafts.pagewalk import walk
from nymble_desk.drafts.salvage import REBUILT_NOTE, salvage
from nymble_desk.drafts.store import DraftStore


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "drafts.sqlite3"
    store = DraftStore(path)
    for i in range(20):
        d = store.create(f"CUST-{2000 + i}", customer_name="C" * 150, currency="USD", price_tier="Wholesale")
        for j in range(6):
            store.set_line(d.id, f"SKU-{j:06d}", 5 + j, name="N" * 120, unit_price=Decimal("2.50"))
        store.set_po(d.id, f"PO-{i}")
    store.set_notes(d.id, "long note " * 2000)  # 20 kB: a row with overflow pages
    store.close()
    return path


def test_the_page_walk_reads_every_row_sqlite_reads(filled: Path) -> None:
    con = sqlite3.connect(filled)
    walked = {name: rows for name, rows, bad in walk(filled.read_bytes()) if not bad}
    for table in ("drafts", "draft_lines", "journal", "outbox"):
        expected = sorted(tuple(r) for r in con.execute(f"SELECT rowid, * FROM {table}"))
        got = sorted((rowid, *values) for rowid, values in walked[table])
        if table in ("journal", "outbox"):  # INTEGER PRIMARY KEY: stored as NULL, it is the rowid
            got = [(r[0], r[0], *r[2:]) for r in got]
        assert got == expected, table
    con.close()


def test_a_file_cut_short_gives_back_drafts_rebuilt_from_the_journal(filled: Path) -> None:
    data = filled.read_bytes()
    filled.write_bytes(data[: len(data) // 2 + 123])
    before = filled.read_bytes()
    assert "cut short" in (probe(filled) or "")
    with pytest.raises(DraftsDamaged):
        DraftStore(filled)
    rescued = salvage(filled)
    try:
        store = DraftStore(rescued.path)
        drafts = store.list_drafts(include_closed=True)
        assert drafts and not rescued.complete
        assert all(d.customer_number.startswith("CUST-20") for d in drafts)
        assert sum(len(d.lines) for d in drafts) > 0
        rebuilt = [d for d in drafts if d.last_error == REBUILT_NOTE]
        assert len(rebuilt) == rescued.rebuilt
        store.close()
    finally:
        rescued.cleanup()
    assert filled.read_bytes() == before


def test_a_garbage_header_loses_nothing(filled: Path) -> None:
    data = bytearray(filled.read_bytes())
    data[0:21] = b"X" * 21
    filled.write_bytes(bytes(data))
    rescued = salvage(filled)
    try:
        assert rescued.complete and rescued.read["drafts"] == 20 and rescued.read["draft_lines"] == 120
    finally:
        rescued.cleanup()
    assert filled.read_bytes() == bytes(data)


def test_nymble_desk_never_leaves_an_empty_drafts_file(tmp_path: Path) -> None:
    path = tmp_path / "d" / "drafts.sqlite3"
    DraftStore(path).close()
    assert path.stat().st_size > 0 and probe(path) is None
    assert [p.name for p in path.parent.iterdir()] == ["drafts.sqlite3"]  # no temporary file left
    path.write_bytes(b"")
    with pytest.raises(DraftsDamaged, match="0 bytes"):
        DraftStore(path)
    assert path.read_bytes() == b""  # not silently made into a new, empty cache


def test_move_aside_keeps_the_wal_with_its_file(filled: Path) -> None:
    wal = filled.with_name(filled.name + "-wal")
    wal.write_bytes(b"w" * 100)
    target = move_aside(filled)
    assert not filled.exists() and not wal.exists()
    assert target.with_name(target.name + "-wal").read_bytes() == b"w" * 100
