"""End to end in a real pseudo-terminal: `nymble-desk demo` starts the sandbox and the TUI, F10 quits.

Run at 80x24 under TERM=xterm-256color and TERM=screen (16 colours) with NO_COLOR,
as a rep over SSH or inside tmux/screen would.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from nymble_desk.tui.screens.customers import CustomerLookupScreen
from nymble_desk.tui.widgets.hit_table import HitTable
from nymble_desk.tui.widgets.status_line import StatusLine
from test_shell_support import on_screen, until

F10 = "\x1b[21~"


@pytest.mark.parametrize(
    "term,no_color",
    [("xterm-256color", False), ("screen", True)],
)
def test_demo_starts_signed_in_and_quits_with_f10(tmp_path: Path, term: str, no_color: bool) -> None:
    env = dict(os.environ, TERM=term, COLUMNS="80", LINES="24")
    env.pop("COLORTERM", None)
    if no_color:
        env["NO_COLOR"] = "1"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "nymble_desk", "demo", "--data-dir", str(tmp_path / "demo"), "--customers", "50", "--products", "100"],
        env=env, dimensions=(24, 80), encoding="utf-8", codec_errors="replace", timeout=60,
    )
    try:
        child.expect("demo-rep-secret")  # printed before the TUI opens
        # the status line once the TUI has reached the API, and the footer's f3 key: in either order (a status
        # change redraws the status line only, so the footer is not written again after it)
        wanted = ["ONLINE", "Drafts"]
        while wanted:
            wanted.pop(child.expect(wanted))
        child.send(F10)
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before
    assert (tmp_path / "demo" / "drafts.sqlite3").exists(), "the demo keeps its own drafts next to its sandbox"
    log = Path(os.environ["NYMBLE_DESK_LOG_DIR"]) / "nymble-desk.log"
    assert log.exists()
    assert "demo-rep-secret" not in log.read_text()


async def test_no_color_keeps_every_state_in_words(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await until(pilot, lambda: app.screen.last_query == "", timeout=10)
        app.screen.query_one("#search").value = "CUST-00"
        await until(pilot, lambda: app.screen.last_query == "CUST-00", timeout=10)
        table = app.screen.query_one("#results", HitTable)
        states = {table.get_row(k)[0]: table.get_row(k)[4] for k in table.keys}
        assert states["CUST-0013"] == "INACTIVE" and states["CUST-0021"] == "ON HOLD"
        await until(pilot, lambda: "ONLINE" in str(app.screen.query_one(StatusLine).render()))


def spawn_desk(args: list[str], **env_extra: str) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm-256color", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               **env_extra)
    return pexpect.spawn(sys.executable, ["-m", "nymble_desk", *args], env=env, dimensions=(24, 80),
                         encoding="utf-8", codec_errors="replace", timeout=60)


def test_run_without_a_profile_opens_sign_in_and_with_one_signs_in(tmp_path: Path) -> None:
    child = spawn_desk([])
    try:
        child.expect("Sign in to Nymble")
        child.send(F10)
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0

    from nymble_desk.config import save_profile
    from nymble_desk.sandbox.server import start_in_thread

    server = start_in_thread(tmp_path / "sandbox", customers=50, products=100)
    try:
        import keyring
        from keyring.backends import fail

        keyring.set_keyring(fail.Keyring())
        save_profile("demo", org_code="DEMO", client_id="demo-rep", secret="demo-rep-secret",
                     base_url=server.base_url)
        child = spawn_desk([])
        try:
            child.expect("ONLINE")
            child.expect("REP-007")
            child.send(F10)
            child.expect(pexpect.EOF, timeout=30)
        finally:
            child.close(force=True)
        assert child.exitstatus == 0
    finally:
        server.stop()


def test_demo_no_tui_serves_until_ctrl_c(tmp_path: Path) -> None:
    import re
    import signal

    import httpx

    child = spawn_desk(["demo", "--no-tui", "--data-dir", str(tmp_path / "demo"), "--customers", "50",
                        "--products", "100"])
    try:
        child.expect(r"sandbox at (http://127\.0\.0\.1:\d+)")
        url = re.sub(r"\x1b\[[0-9;]*m", "", child.match.group(1))
        child.expect("Ctrl\\+C")
        login = httpx.post(f"{url}/api/auth/login", json={"OrgCode": "DEMO", "ClientId": "demo-rep",
                                                           "ClientSecret": "demo-rep-secret"}, timeout=10)
        assert login.status_code == 200 and login.json()["AccessToken"]
        child.kill(signal.SIGINT)
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
