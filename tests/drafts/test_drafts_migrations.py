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
