"""What `nymble-desk import` does to start and end sooner (issue #17, importer.quick_start): it imports
no httpx command-line tool (click, rich, pygments), and the garbage collector is held during start-up,
back on for the run, and everything is frozen at the end so the exit does not scan it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from importer_files import HEADER, order_lines
from test_cli import args_for, run, write

from nymble_desk.importer.cli import EXIT_OK
from nymble_desk.importer.quick_start import Collector


def _imported(stderr: str) -> set[str]:
    """Module names from ``-X importtime`` lines."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")
            and "|" in line and not line.rstrip().endswith("imported package")}


@pytest.mark.slow
def test_a_real_import_sends_without_httpx_s_command_line_tool(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail

    from nymble_desk.config import save_profile
    from nymble_desk.sandbox.server import start_in_thread

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the secret goes to the 0600 file the subprocess reads
    server = start_in_thread(tmp_path / "sandbox", customers=50, products=100)
    try:
        save_profile("admin", org_code="DEMO", client_id="demo-admin", secret="demo-admin-secret",
                     base_url=server.base_url)
        source = write(tmp_path, "\n".join([HEADER, *order_lines("START-1", customer="CUST-1042")]))
        env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "nymble_desk", "import", str(source),
                               "--profile", "admin"], env=env, capture_output=True, text=True, timeout=120)
    finally:
        server.stop()
        keyring.set_keyring(previous)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("orders.csv: 1 order: 1 created")
    modules = _imported(done.stderr)
    assert {"httpx", "httpcore", "nymble_desk.importer.run"} <= modules  # it did send, through httpx
    # httpx's tool (httpx._main) is looked up and refused at once: nothing it imports is loaded
    assert not {"click", "rich", "pygments"} & {m.split(".")[0] for m in modules}


def test_the_collector_is_on_after_an_import_and_start_up_is_frozen(tmp_path: Path, make_client) -> None:
    path = write(tmp_path, "\n".join([HEADER, *order_lines("GC-1", customer="CUST-1042")]))
    frozen = gc.get_freeze_count()
    code, _, err = run(args_for(str(path)), make_client=lambda _p: make_client())
    assert code == EXIT_OK, err
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen  # the exit will not scan what the command built


def test_the_collector_leaves_a_collector_someone_else_turned_off_alone() -> None:
    gc.disable()
    try:
        collector = Collector()
        collector.hold()
        collector.release()
        assert not gc.isenabled()  # not ours to turn on
    finally:
        gc.enable()
    collector = Collector()
    collector.hold()
    try:
        assert not gc.isenabled()
    finally:
        collector.release()
    assert gc.isenabled()
    collector.release()  # a second release does nothing
    assert gc.isenabled()
