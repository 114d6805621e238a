"""The sandbox's data dir is 0700 and its database (which holds the JWT signing secret) 0600 (issue 12, item 3).

Run with a permissive umask (022), as a default shell has: before the fix ``serve --data-dir DIR`` made DIR
0755 and ``sandbox.sqlite3`` 0644.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nymble_desk.sandbox import create_app
from nymble_desk.sandbox.server import start_in_thread

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
DB = "sandbox.sqlite3"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def assert_private(data_dir: Path) -> None:
    assert mode(data_dir) == 0o700, oct(mode(data_dir))
    files = {p.name: mode(p) for p in data_dir.iterdir()}
    assert {DB, f"{DB}-wal", f"{DB}-shm"} <= set(files), files
    assert all(m == 0o600 for m in files.values()), {k: oct(v) for k, v in files.items()}


def test_create_app_makes_a_private_dir_and_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "made" / "here"
    app = create_app(data_dir, customers=5, products=5)
    try:
        assert_private(data_dir)
        assert mode(tmp_path / "made") == 0o700  # a parent it made too
    finally:
        app.state.db.close()


def test_the_embedded_sandbox_is_private(tmp_path: Path) -> None:
    server = start_in_thread(tmp_path / "demo", customers=5, products=5)
    try:
        assert_private(tmp_path / "demo")
    finally:
        server.stop()


def test_an_old_world_readable_sandbox_is_tightened(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    create_app(data_dir, customers=5, products=5).state.db.close()
    os.chmod(data_dir, 0o755)
    for p in data_dir.iterdir():
        os.chmod(p, 0o644)
    create_app(data_dir, customers=5, products=5).state.db.close()
    assert mode(data_dir) == 0o700
    assert all(mode(p) == 0o600 for p in data_dir.iterdir())


def test_a_shared_existing_dir_is_left_alone_but_the_database_is_private(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    (shared / "notes.txt").write_text("someone else's file")
    create_app(shared, customers=5, products=5).state.db.close()
    assert mode(shared) == 0o755  # never chmod a dir that holds other things (think --data-dir /tmp)
    assert mode(shared / DB) == 0o600


def test_serve_data_dir_is_private(tmp_path: Path) -> None:
    """The real ``nymble-desk serve --data-dir DIR`` in a subprocess, until it listens."""
    data_dir = tmp_path / "served"
    env = {**os.environ, "NYMBLE_DESK_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "nymble_desk", "serve", "--port", "0", "--data-dir", str(data_dir),
         "--customers", "5", "--products", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        seen = []
        for line in proc.stdout:  # the server prints "Listening on ..." once the data is ready
            seen.append(line)
            if line.startswith("Listening on"):
                break
            assert time.monotonic() < deadline, seen
        assert any(line.startswith("Listening on") for line in seen), seen
        assert_private(data_dir)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
