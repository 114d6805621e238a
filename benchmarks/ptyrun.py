"""Run a program in a real pseudo-terminal, feed it keys and read what it draws.

Used by the first-screen, search-latency and keystroke-bytes benchmarks (and by
tests/test_pty_order.py through pexpect).  Output is kept raw (to count bytes)
and with escape sequences removed (to look for text on screen).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Mapping, Sequence
import contextlib

# CSI ... final byte, OSC ... BEL/ST, other two-byte ESC sequences, and DEC charset picks.
_ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-Z\\-_=>78]")
SYNC_END = b"\x1b[?2026l"  # end of a synchronized update: Textual's frames are wrapped in these


def strip_ansi(data: bytes) -> str:
    return _ANSI.sub(b"", data).decode("utf-8", "replace")


class PtyApp:
    """A child process on a pty of ``cols`` x ``rows``; ``.out`` holds every byte it wrote."""

    def __init__(self, argv: Sequence[str], *, cols: int = 80, rows: int = 24, env: Mapping[str, str] | None = None,
                 cwd: str | None = None) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = dict(os.environ if env is None else env)
        full_env.setdefault("TERM", "xterm-256color")
        full_env.setdefault("LANG", "C.UTF-8")
        full_env["COLUMNS"], full_env["LINES"] = str(cols), str(rows)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(list(argv), stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.out = bytearray()
        self._text_cache: tuple[int, str] = (0, "")

    # --- reading -----------------------------------------------------------------
    def read(self, timeout: float = 0.0) -> int:
        """Read what is available within ``timeout`` seconds; returns the byte count read."""
        got = 0
        end = time.perf_counter() + timeout
        while True:
            left = max(0.0, end - time.perf_counter())
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                return got
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child closed the pty
                return got
            if not chunk:
                return got
            self.out += chunk
            got += len(chunk)
            timeout = 0.0
            end = time.perf_counter()

    @property
    def text(self) -> str:
        n = len(self.out)
        if self._text_cache[0] != n:
            self._text_cache = (n, strip_ansi(bytes(self.out)))
        return self._text_cache[1]

    def wait_for(self, cond: Callable[[PtyApp], bool], timeout: float = 10.0, poll: float = 0.002) -> float:
        """Read until ``cond(self)``; returns the perf_counter time it became true. Raises on timeout."""
        end = time.perf_counter() + timeout
        while not cond(self):
            if time.perf_counter() > end:
                raise TimeoutError(f"condition not met in {timeout}s; screen text tail: {self.text[-400:]!r}")
            if self.proc.poll() is not None and not self.read(0):
                raise RuntimeError(f"the program exited ({self.proc.returncode}): {self.text[-800:]!r}")
            self.read(poll)
        return time.perf_counter()

    def wait_for_text(self, text: str, timeout: float = 10.0, since: int = 0) -> float:
        return self.wait_for(lambda p: text in strip_ansi(bytes(p.out[since:])), timeout)

    def settle(self, quiet: float = 0.15, timeout: float = 5.0) -> int:
        """Read until nothing arrives for ``quiet`` seconds; returns the bytes read."""
        end = time.perf_counter() + timeout
        total = 0
        while time.perf_counter() < end:
            got = self.read(quiet)
            total += got
            if not got:
                break
        return total

    def until_quiet(self, quiet: float = 0.1, timeout: float = 10.0) -> float:
        """Read until nothing arrives for ``quiet`` seconds; returns the perf_counter time the last
        byte arrived (now, when nothing came)."""
        last = time.perf_counter()
        end = last + timeout
        while time.perf_counter() < end:
            if not self.read(quiet):
                break
            last = time.perf_counter()
        return last

    # --- writing -----------------------------------------------------------------
    def send(self, data: str | bytes) -> float:
        """Write keys; returns the perf_counter time just before the write."""
        t = time.perf_counter()
        os.write(self.master, data.encode() if isinstance(data, str) else data)
        return t

    def close(self, keys: bytes | None = None, timeout: float = 3.0) -> None:
        try:
            if keys and self.proc.poll() is None:
                self.send(keys)
                end = time.perf_counter() + timeout
                while self.proc.poll() is None and time.perf_counter() < end:
                    self.read(0.05)
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
        finally:
            with contextlib.suppress(OSError):
                os.close(self.master)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
