"""Page open to a usable first screen in the browser (`nymble-desk web --demo`) vs the terminal's first screen.

Both run in this one process's run, on the same demo data (--customers 200 --products 500), each path
warmed once first:

- terminal: `nymble-desk demo` on dirs where the demo already ran, spawned in an 80x24 pty, timed from spawn
  to its first full frame (the lookup's placeholder and the footer's "Quit"): first_screen.py's machinery;
- browser: `nymble-desk web --demo` already listening (its sandbox up); headless Chromium (Debian's) opens
  the page, and the time is the page's own clock (performance.now(), from navigation start) when the same
  two markers had arrived over its websocket: the page, textual.js, the socket, the tab's desk process
  started by textual-serve and its first frame. Between rounds the tab is closed and its process gone.

Printed: the medians and their ratio (browser / terminal). The gate (fail past it) guards against a
regression; no target is set by issue #14 beyond measuring it.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import common
import deskenv
from first_screen import LOOKUP_MARKERS, time_to_frame

sys.path.insert(0, str(common.BENCH.parent / "tests" / "web"))

from browser_desk import Browser, WebServer, free_port, missing, tab_processes

SIZES = ["--customers", "200", "--products", "500"]
GATE_RATIO = 4.0


def wait_gone(marker: str, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while tab_processes(marker) and time.monotonic() < end:
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    b = common.bench("web_first_screen", __doc__.splitlines()[0], argv)
    if (why := missing()) is not None:
        b.cannot_measure(why)
        return b.finish()
    rounds = 3 if b.quick else 9
    top = Path(tempfile.mkdtemp(prefix="nymble-web-first-"))
    server = browser = None
    try:
        desk_argv = deskenv.nymble_desk_argv()
        env_term = deskenv.make_env(top / "term")
        term_argv = [*desk_argv, "demo", *SIZES]
        time_to_frame(term_argv, env_term, LOOKUP_MARKERS, after="ONLINE")  # seeded, index filled
        env_web = deskenv.make_env(top / "web")
        data_dir = top / "web" / "data" / "demo"
        server = WebServer(["--demo", "--port", str(free_port()), *SIZES], env_web)
        browser = Browser()

        def web_once() -> float:
            browser.open(server.url)
            took = browser.drawn_at(LOOKUP_MARKERS) / 1000
            browser.driver.get("about:blank")  # the tab's socket closes: its desk quits
            wait_gone(str(data_dir))
            return took

        web_once()  # warm: the browser's cache, the .pyc files, the index
        term: list[float] = []
        web: list[float] = []
        for _ in range(rounds):
            term.append(time_to_frame(term_argv, env_term, LOOKUP_MARKERS))
            web.append(web_once())
        term_med, web_med = statistics.median(term) * 1000, statistics.median(web) * 1000
        b.figure("terminal: demo first frame (median)", term_med, "ms", note=f"best {min(term) * 1000:.0f} ms")
        b.ratio("browser: page open to first screen (median)", web_med, term_med, "ms", max_ratio=GATE_RATIO,
                note=f"best {min(web) * 1000:.0f} ms; {rounds} rounds")
    finally:
        if browser is not None:
            browser.quit()
        if server is not None:
            server.stop()
        shutil.rmtree(top, ignore_errors=True)
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
