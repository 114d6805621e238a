"""Drive `nymble-desk web` from a real browser: Debian's chromium + chromium-driver through selenium.

Nothing is downloaded at run time: the browser and the driver are the system's (/usr/bin/chromium,
/usr/bin/chromedriver), the selenium manager is never asked. The terminal in the page draws on a canvas,
so what the desk writes is read where it arrives: a script added before the page's own wraps WebSocket
and keeps the bytes it receives; ``wait_for`` searches them (escape sequences removed) since the last
step, as the pexpect driver of tests/test_pty_order.py does. Used by tests/web and
benchmarks/web_first_screen.py.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1000,720")
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-Z\\-_=>78]")
# kept in the page before textual.js runs: every frame the desk sends, as text, with the time it arrived
# (performance.now(): milliseconds since the page was opened)
TEE_SOCKET = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__deskOut = [];
  class Teed extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (typeof e.data !== "string") {
          window.__deskOut.push([performance.now(), decoder.decode(e.data, {stream: true})]);
        }
      });
    }
  }
  window.WebSocket = Teed;
})();
"""


def missing() -> str | None:
    """Why the browser test cannot run here (None: it can)."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nymble_desk() -> list[str]:
    return [sys.executable, "-m", "nymble_desk"]


class WebServer:
    """`nymble-desk web ...` in a subprocess; ``url`` is the address it printed (with its token, if any)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([*nymble_desk(), "web", *args], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[str] = []
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # blocks until it prints where to go (or ends)
            self.lines.append(line)
            if match := re.search(r"open (http://\S+)", line):
                self.url = match.group(1)
                break
        else:
            raise AssertionError("nymble-desk web did not start:\n" + "".join(self.lines))

    def stop(self) -> str:
        """Ctrl+C it, wait, and return all it printed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                out, _ = self.proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                out, _ = self.proc.communicate()
            self.lines.append(out or "")
        return "".join(self.lines)


class Browser:
    """Headless chromium with a fresh profile; ``wait_for`` reads what the desk drew since the last step."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="nymble-web-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={self.profile}"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TEE_SOCKET})
        self.out = ""
        self.arrivals: list[tuple[float, str]] = []  # (ms since the page was opened, text) since open()

    def open(self, url: str) -> None:
        self.out = ""
        self.arrivals = []
        self.driver.get(url)

    def _pump(self) -> None:
        got = self.driver.execute_script("return (window.__deskOut || []).splice(0);") or []
        self.arrivals += [(float(at), str(text)) for at, text in got]
        self.out += "".join(str(text) for _, text in got)

    def drawn_at(self, markers: tuple[str, ...], timeout: float = 60.0) -> float:
        """Milliseconds from opening the page until every marker had been drawn."""
        end = time.monotonic() + timeout
        while True:
            self._pump()
            text = ""
            for at, chunk in self.arrivals:
                text += chunk
                if all(m in ANSI.sub("", text) for m in markers):
                    return at
            if time.monotonic() > end:
                raise AssertionError(f"{markers!r} not drawn after {timeout}s")
            time.sleep(0.02)

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while True:
            self._pump()
            text = ANSI.sub("", self.out)
            if re.search(pattern, text):
                self.out = ""
                return text
            if time.monotonic() > end:
                raise AssertionError(f"{pattern!r} not drawn after {timeout}s:\n{text[-3000:]}")
            time.sleep(0.05)

    def focus(self) -> None:
        """The terminal's keyboard (xterm's hidden textarea) takes the keys."""
        self.driver.execute_script("document.querySelector('.xterm-helper-textarea').focus();")

    def send(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(*keys).perform()

    def paste(self, text: str) -> None:
        """A paste into the terminal, as the browser delivers one (a ClipboardEvent with the text):
        xterm.js sends it on, bracketed when the app asked for bracketed paste."""
        self.driver.execute_script(
            "const data = new DataTransfer(); data.setData('text/plain', arguments[0]);"
            "document.querySelector('.xterm-helper-textarea').dispatchEvent("
            "new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));", text)

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def tab_processes(marker: str) -> list[int]:
    """Pids of desk processes (``nymble_desk.web.tab``) whose command line holds ``marker``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "nymble_desk.web.tab" in cmd and marker in cmd:  # the shell textual-serve starts, and the desk
            pids.append(int(entry.name))
    return pids
