from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nymble_desk.drafts import migrations
from nymble_desk.drafts.db import connect
from nymble_desk.drafts.store import DraftStore


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    con = connect(path)
    assert migrations.migrate(con) == 0
    assert migrations.schema_version(con) == migrations.SCHEMA_VERSION >= 1
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"drafts", "draft_lines", "journal", "outbox", "meta"} <= tables
    assert migrations.migrate(con) == migrations.SCHEMA_VERSION  # idempotent
    con.close()


def test_store_opens_a_missing_file_in_a_missing_dir(tmp_path: Path) -> None:
    s = DraftStore(tmp_path / "a" / "b" / "d.sqlite3")
    assert s.list_drafts() == []
    assert (s.path.stat().st_mode & 0o777) == 0o600


def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(RuntimeError, match="newer"):
        DraftStore(path)


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "d.sqlite3"
    DraftStore(path).close()
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, "CREATE TABLE x (a); CREATE TABLE x (a);"))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(migrations.MIGRATIONS))
    con = connect(path)
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(con)
    assert migrations.schema_version(con) == len(migrations.MIGRATIONS) - 1
    assert con.execute("SELECT name FROM sqlite_master WHERE name = 'x'").fetchone() is None
    con.close()


def test_statement_splitter_keeps_triggers_whole() -> None:
    script = "CREATE TABLE t (a); -- note\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;"
    assert len(migrations._statements(script)) == 2


def test_a_schema_1_file_keeps_its_drafts_and_gains_order_terms(tmp_path: Path) -> None:
    from decimal import Decimal

    from nymble_desk.domain.totals import Discount
    from nymble_desk.drafts.models import OrderTerms

    path = tmp_path / "v1.sqlite3"
    path.touch()
    con = connect(path)
    con.execute("BEGIN IMMEDIATE")
    for statement in migrations._statements(migrations.MIGRATIONS[0]):
        con.execute(statement)
    con.execute("PRAGMA user_version = 1")
    con.execute("COMMIT")
    con.execute("INSERT INTO drafts(id, customer_number, state, external_id, notes, created_at, updated_at) "
                "VALUES ('d1', 'CUST-1042', 'local', 'ND-1', 'call first', '2026-01-01T00:00:00+00:00', "
                "'2026-01-01T00:00:00+00:00')")
    con.close()
    store = DraftStore(path)  # migrates to the current schema
    draft = store.get("d1")
    assert draft.notes == "call first" and draft.order_terms == OrderTerms()
    terms = OrderTerms(shipping_method="Freight", shipping_cost=Decimal("40.00"),
                       discount=Discount("Fixed", Decimal("12.50")))
    assert store.set_order_terms("d1", terms).order_terms == terms
    store.close()
