"""The one harness for the tests that drive the real program in a real terminal (tmux).

Each :class:`Tmux` runs a tmux server of its own (``-L``, a fresh socket, no config file) with one
window of the given size; the program runs in it with the environment given. Keys go in as tmux
sends them: ``send`` writes a text in one write (a fast typist, a scanner, keys over a laggy SSH
link), ``type`` one key per write, ``keys``/``key`` named keys (Enter, F9, C-u). ``wait_for`` polls
the screen for a pattern and, on a timeout, shows the screen and the tail of the app's log.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

TMUX = shutil.which("tmux")


def nymble_desk() -> list[str]:
    """The installed command, as a rep starts it (``python -m nymble_desk`` where no script is)."""
    script = Path(sys.executable).with_name("nymble-desk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nymble_desk"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listened on {port} within {timeout}s")


class Tmux:
    """One tmux server of our own with one ``width`` x ``height`` window; ``tmp`` holds the app's log."""

    is_screen = True

    def __init__(self, tmp: Path | None = None, *, width: int = 80, height: int = 24) -> None:
        self.socket = f"nymble-test-{uuid.uuid4().hex[:8]}"
        self.target = "t"
        self.tmp = tmp
        self.width, self.height = width, height

    def run(self, *args: str, check: bool = True) -> str:
        out = subprocess.run([TMUX or "tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True,
                             text=True, timeout=20)
        if check and out.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {out.stderr}")
        return out.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        flags = [x for k, v in env.items() for x in ("-e", f"{k}={v}")]
        # remain-on-exit is set in the same command list, before the program can end: set after
        # new-session returned, a program that ended at once took the server with it ("server exited
        # unexpectedly") and whatever it printed was lost
        self.run("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
                 "new-session", "-d", "-s", self.target, "-x", str(self.width), "-y", str(self.height), *flags,
                 " ".join(argv))

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)

    def key(self, name: str) -> None:
        self.keys(name)

    def send(self, text: str) -> None:
        """``text`` in one write."""
        self.keys(text, literal=True)

    def type(self, text: str) -> None:
        for ch in text:  # one key a write, as a rep types
            self.keys(ch, literal=True)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target)

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while True:
            text = self.screen()
            if re.search(pattern, text):
                return text
            dead = "Pane is dead" in text  # the program ended (remain-on-exit): waiting on is no use
            if dead or time.monotonic() > end:
                log = self.tmp / "log" / "nymble-desk.log" if self.tmp is not None else None
                tail = log.read_text()[-2000:] if log is not None and log.exists() else "-"
                # the whole pane, history and wrapped lines joined: a message's start is not lost
                whole = self.run("capture-pane", "-p", "-J", "-S", "-", "-t", self.target, check=False)
                why = "the program ended" if dead else f"not on screen after {timeout}s"
                raise AssertionError(f"{pattern!r} {why}:\n{text}\nwhole pane:\n{whole.strip()}\nlog: {tail}")
            time.sleep(0.05)

    def kill(self) -> None:
        self.run("kill-server", check=False)

    close = kill
