"""What `nymble-desk import` does to start and end sooner (issue #17, importer.quick_start): it imports
no httpx command-line tool (click, rich, pygments), and the garbage collector is held during start-up,
back on for the run, and everything is frozen at the end so the exit does not scan it."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
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


class _Proxy:
    """A loopback TCP relay in front of the sandbox: the network edge, where a request is seen when
    its bytes arrive.  ``on_bulk`` is called once, when the first ``POST /api/orders/bulk`` arrives."""

    def __init__(self, target: tuple[str, int], on_bulk: Callable[[], None]) -> None:
        self.target, self.on_bulk, self.seen = target, on_bulk, False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, upstream: bool) -> None:
        with source, sink:
            while data := _recv(source):
                if upstream and not self.seen and b"POST /api/orders/bulk" in data:
                    self.seen = True
                    self.on_bulk()
                sink.sendall(data)

    def stop(self) -> None:
        self.stopping.set()
        self.listener.close()


def _recv(s: socket.socket) -> bytes:
    try:
        return s.recv(1 << 16)
    except OSError:
        return b""


async def test_over_real_sockets_the_first_bulk_call_leaves_before_the_next_batch_is_read(
        sandbox_dir: Path) -> None:
    """httpx and httpcore take several loop turns from a call to its socket write: the run gives them
    those turns before it reads on (it used to read the look-ahead's four batches first)."""
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.importer import parse_csv
    from nymble_desk.importer.run import run_import
    from nymble_desk.sandbox.server import start_in_thread

    parsed = parse_csv("\n".join([HEADER, *(line for i in range(1000) for line in order_lines(
        f"WIRE-{i:04d}", customer="CUST-0082", po=f"PO-W{i}", items=(("PART-B3", "25", "9.99"),)))]))
    read_then: list[int] = []
    server = start_in_thread(sandbox_dir)
    host, port = server.base_url.removeprefix("http://").split(":")
    proxy = _Proxy((host, int(port)), lambda: read_then.append(parsed.spool.count))
    try:
        async with NymbleClient(f"http://127.0.0.1:{proxy.port}",
                                Credentials("DEMO", "demo-admin", "demo-admin-secret"), timeout=60) as client:
            await client.login()
            done = await run_import(client, parsed, batch_size=200, checkpoint_dir=sandbox_dir / "imports")
    finally:
        proxy.stop()
        server.stop()
    assert done.complete and done.report.counts["created"] == 1000
    # 200 read (the first batch) and at most part of the second while the bytes crossed the relay's thread
    assert read_then and read_then[0] < 400, read_then
