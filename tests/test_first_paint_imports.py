"""Nothing but Textual and the first screen's own code is imported before the first paint.

Each start path runs the real `nymble-desk` in a pseudo-terminal under `python -X importtime`;
the app's after-first-frame hook writes a marker to the same stream, so what was imported before
the first frame is every importtime line above it.  The demo must not even have imported (let
alone seeded) the sandbox by then, nor the API client, pydantic or the sync engine.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROBE = """
import os, sys
from nymble_desk.tui import app as appmod

def marked(self):
    os.write(2, b"\\nFIRST-FRAME\\n")
    self.exit()

appmod.NymbleApp._after_first_frame = marked
from nymble_desk.cli import main
sys.exit(main(sys.argv[1:]))
"""
#: Top-level packages the first frame must not wait for.
FORBIDDEN_TOP = {"fastapi", "starlette", "uvicorn", "httpx", "httpcore", "pydantic", "pydantic_settings",
                 "jwt", "cryptography", "keyring", "anyio"}
FORBIDDEN_OURS = ("nymble_desk.api", "nymble_desk.sync", "nymble_desk.sandbox", "nymble_desk.index",
                  "nymble_desk.importer")


def imported_before_first_frame(argv: list[str], env: dict[str, str], tmp: Path) -> list[str]:
    err_path = tmp / "importtime.txt"
    master, slave = os.openpty()
    with err_path.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-X", "importtime", "-c", PROBE, *argv], stdin=slave,
                                stdout=slave, stderr=err, env=env, start_new_session=True)
    os.close(slave)
    try:
        end = time.monotonic() + 90
        while b"FIRST-FRAME" not in err_path.read_bytes():
            assert proc.poll() is None or b"FIRST-FRAME" in err_path.read_bytes(), \
                err_path.read_bytes()[-2000:].decode("utf-8", "replace")
            assert time.monotonic() < end, "no first frame in 90 s"
            with contextlib.suppress(OSError):
                os.read(master, 65536)  # keep the pty drained
            time.sleep(0.02)
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    before = err_path.read_bytes().split(b"FIRST-FRAME")[0].decode("utf-8", "replace")
    names = []
    for line in before.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.append(line.rsplit("|", 1)[1].strip())
    assert names, before[-2000:]
    return names


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    for var in ("CONFIG", "DATA", "LOG"):
        e[f"NYMBLE_DESK_{var}_DIR"] = str(tmp_path / var.lower())
    e.update(HOME=str(tmp_path / "home"), TERM="xterm-256color", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return e


def check(names: list[str]) -> None:
    bad_top = sorted({n.split(".")[0] for n in names} & FORBIDDEN_TOP)
    bad_ours = sorted(n for n in names if n.startswith(FORBIDDEN_OURS) or n == "nymble_desk.config")
    assert not bad_top and not bad_ours, f"imported before the first frame: {bad_top + bad_ours}"


def test_demo_fresh_home_paints_before_the_sandbox_is_imported(env: dict[str, str], tmp_path: Path) -> None:
    names = imported_before_first_frame(["demo", "--customers", "20", "--products", "20"], env, tmp_path)
    # (importlib.import_module, which the CLI uses, is not reported by importtime: its imports are)
    assert "nymble_desk.loopback" in names and "textual.app" in names
    check(names)


def test_saved_profile_imports_no_api_layer(env: dict[str, str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in env.items():
        if key.startswith(("NYMBLE_DESK_", "PYTHON_KEYRING")):
            monkeypatch.setenv(key, value)
    import keyring
    from keyring.backends import fail

    from nymble_desk.config import save_profile

    keyring.set_keyring(fail.Keyring())  # the secret goes to the 0600 file, which the child reads
    save_profile("work", org_code="DEMO", client_id="demo-rep", secret="demo-rep-secret",
                 base_url="http://127.0.0.1:9")  # nothing listens: the first frame must not care
    check(imported_before_first_frame([], env, tmp_path))
