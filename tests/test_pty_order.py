"""`nymble-desk demo` in a real terminal at 80x24 with TERM=screen: a short order typed, the screen read back.

The demo starts the sandbox on a free loopback port and opens the UI signed in as
the demo rep.  Two drivers, each run when its tool is there:

- tmux: keys go in with ``tmux send-keys`` (F-keys as tmux translates them for
  TERM=screen) and the screen comes back with ``tmux capture-pane``, so what is checked
  is what a rep over SSH in screen/tmux would see;
- pexpect: a bare pty; what the app wrote since the previous step, escape sequences
  removed, is searched (a stream, not a rebuilt screen).

Each is skipped only when its tool is missing.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import contextlib
from pathlib import Path
from typing import ClassVar

import pytest

from tmux_terminal import TMUX, Tmux, nymble_desk
try:
    import pexpect
except ImportError:  # pragma: no cover - pexpect is a test dependency
    pexpect = None


class Pexpect:
    """A pty driven by pexpect; ``wait_for`` searches what arrived since the previous step."""

    KEYS: ClassVar[dict[str, str]] = {"Enter": "\r", "F6": "\x1b[17~", "F8": "\x1b[19~", "F9": "\x1b[20~"}
    ANSI = re.compile(
        r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-Z\\-_=>78]"
    )
    is_screen = False

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.out = ""
        self.checkpoint = 0

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(24, 80), encoding="utf-8",
                                   codec_errors="replace")

    def keys(self, *keys: str, literal: bool = False) -> None:
        for key in keys:
            self.child.send(key if literal else self.KEYS[key])

    def type(self, text: str) -> None:
        for ch in text:
            self.child.send(ch)

    def _pump(self, timeout: float) -> None:
        with contextlib.suppress(pexpect.TIMEOUT):
            self.out += self.child.read_nonblocking(65536, timeout=timeout)

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while True:
            text = self.ANSI.sub("", self.out[self.checkpoint:])
            if re.search(pattern, text):
                self.checkpoint = len(self.out)
                return text
            if time.monotonic() > end:
                raise AssertionError(f"{pattern!r} not written after {timeout}s:\n{text[-3000:]}")
            self._pump(0.1)

    def kill(self) -> None:
        if getattr(self, "child", None) is not None:
            self.child.terminate(force=True)


DRIVERS = [
    pytest.param(Tmux, marks=pytest.mark.skipif(TMUX is None, reason="tmux is not installed"), id="tmux"),
    pytest.param(Pexpect, marks=pytest.mark.skipif(pexpect is None, reason="pexpect is not installed"), id="pexpect"),
]


@pytest.mark.slow
@pytest.mark.parametrize("driver", DRIVERS)
def test_a_short_order_typed_in_a_real_terminal(isolated_dirs: Path, driver: type) -> None:
    tmp = isolated_dirs
    env = {k: os.environ[k] for k in ("PATH", "HOME", "NYMBLE_DESK_CONFIG_DIR", "NYMBLE_DESK_DATA_DIR",
                                       "NYMBLE_DESK_LOG_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME") if k in os.environ}
    env.update({"TERM": "screen", "LANG": "C.UTF-8", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    argv = [*nymble_desk(), "demo", "--data-dir", str(tmp / "demo"), "--customers", "50", "--products", "100"]
    tmux = driver(tmp)
    try:
        tmux.start(argv, env)
        first = tmux.wait_for(r"Customer number, name", timeout=60)
        if tmux.is_screen:
            assert len(first.splitlines()) <= 24 and all(len(line) <= 80 for line in first.splitlines())

        tmux.type("CUST-1042")
        tmux.wait_for(r"Brightfield Supply Co\. \(CUST-1042\) · Terms")  # the highlighted hit's detail line
        tmux.keys("Enter")
        tmux.wait_for(r"SKU, SKU\*QTY")  # the cart's entry line
        tmux.wait_for(r"CUST-1042")

        tmux.type("WDG-BLU-L*48")
        tmux.wait_for(r"WDG-BLU-L\*48")  # echoed in the entry line: it had the focus
        tmux.keys("Enter")
        tmux.wait_for(r"WDG-BLU-L .*48\s+(?:[\d,]+!?\s+)?\$11\.75")  # the Wholesale break at 48
        tmux.type("50*PART-B3")
        tmux.wait_for(r"50\*PART-B3")
        tmux.keys("Enter")
        # the row and the totals bar may come in different frames (the over-stock note redraws the totals):
        # wait for all of it, in any order, before the assertion reads it
        cart = tmux.wait_for(r"(?s)(?=.*PART-B3 [^\n]*50\s+(?:[\d,]+!?\s+)?\$9\.99)(?=.*Lines 2\b)(?=.*\$1,063\.50)")
        assert re.search(r"Lines 2\b", cart) and "$1,063.50" in cart  # 48 x 11.75 + 50 x 9.99

        tmux.keys("F6")  # ship-to: the default address, then the PO
        tmux.wait_for(r"500 Commerce Drive")
        tmux.keys("Enter")
        tmux.wait_for(r"Ship-to saved")  # and the PO box has the focus now
        tmux.type("PO-PTY-0001")
        tmux.wait_for(r"PO-PTY-0001")
        tmux.keys("Enter")
        tmux.wait_for(r"not used before")
        tmux.keys("F8")
        tmux.wait_for(r"Place order")
        tmux.keys("F9")
        tmux.wait_for(r"PLACE THIS ORDER\?")  # the last look
        tmux.keys("F9")
        # the whole confirmation, through CUST-1042's email (a read can end inside the modal's frame)
        done = tmux.wait_for(r"ORD-[0-9A-Z-]+[\s\S]*orders@brightfield\.example", timeout=60)
        order_number = re.search(r"ORD-[0-9A-Z-]+", done).group(0)
        assert "ORDER PLACED" in done, done
        drafts = subprocess.run([*nymble_desk(), "drafts", "list", "--all"], capture_output=True, text=True,
                                env={**os.environ, "NYMBLE_DESK_DATA_DIR": str(tmp / "demo")}, timeout=30)
        assert order_number in drafts.stdout, drafts.stdout + drafts.stderr  # the draft was submitted as that order
    finally:
        tmux.kill()


@pytest.mark.slow
@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_bursts_arrive_in_order_in_a_real_terminal(isolated_dirs: Path) -> None:
    """Keys that reach the app in one read (a scanner, a fast typist over SSH) apply in order.

    Textual runs an Input's bindings (enter, backspace) after the characters read with them,
    so without OrderedInput three scans sent at once ran together into one refused entry,
    and ``CUST-10422⌫`` searched for ``CUST-1042`` only by luck of timing."""
    tmp = isolated_dirs
    env = {k: os.environ[k] for k in ("PATH", "HOME", "NYMBLE_DESK_CONFIG_DIR", "NYMBLE_DESK_DATA_DIR",
                                       "NYMBLE_DESK_LOG_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME") if k in os.environ}
    env.update({"TERM": "screen", "LANG": "C.UTF-8", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    argv = [*nymble_desk(), "demo", "--data-dir", str(tmp / "demo"), "--customers", "50", "--products", "100"]
    term = Tmux(tmp)
    try:
        term.start(argv, env)
        term.wait_for(r"Customer number, name", timeout=60)
        term.keys("CUST-10422\x7f", literal=True)  # one write: a typo and its backspace
        term.wait_for(r"Brightfield Supply Co\. \(CUST-1042\) · Terms")
        term.keys("Enter")
        term.wait_for(r"SKU, SKU\*QTY")
        term.keys("WDG-RED-M*2\rPART-B3*25\r012345678905\r", literal=True)  # three scans in one write
        cart = term.wait_for(r"Lines 3\b")
        assert re.search(r"WDG-RED-M .*\b2\s+(?:[\d,]+!?\s+)?\$11\.00", cart), cart
        assert re.search(r"PART-B3 .*25\s+(?:[\d,]+!?\s+)?\$9\.99", cart), cart
        assert re.search(r"WDG-BLU-L .*\b1\s+(?:[\d,]+!?\s+)?\$12\.50", cart), cart  # the UPC scan
    finally:
        term.kill()
