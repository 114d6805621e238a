"""Time to first screen of `nymble-desk` on every start path against a bare Textual app, in a pseudo-terminal.

Start paths (each in its own directories, HOME and NYMBLE_DESK_* dirs):

- profile, 50 drafts: a signed-in profile (org DEMO, demo-rep, secret in the 0600 file) against a sandbox on
  loopback, and a draft cache of 50 drafts: the first screen is the drafts offer (marker: its 12th row);
- profile, no drafts: the same profile, no drafts: the customer lookup (marker: its search box's placeholder);
- sign-in screen: no profile (marker: the form's last field, "Profile name");
- demo, fresh HOME: `nymble-desk demo` with new, empty dirs every run (the sandbox is seeded after the frame);
- demo, existing HOME: `nymble-desk demo` again on dirs where the demo already ran (seeded, index filled).

The reference is ``bare_app.py`` (header, input, data table of 50 rows, footer).  Each is spawned in an 80x24
pty and timed from spawn until its first full frame is on the terminal (the marker and the footer's "Quit",
escape sequences removed).  Runs alternate the bare app and every path, N rounds.  Target: each path's
median <= 1.3x the bare app's median (best-of figures are printed beside).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import common
import deskenv
from ptyrun import PtyApp

TARGET_RATIO = 1.3
# issue #17's 1.3 is not met on every path yet (1.4-1.9 measured): CI fails only past this regression gate
GATE_RATIO = 2.2
BARE_MARKERS = ("Bench Customer 12", "Quit")
DRAFTS_MARKERS = ("Bench Customer 12", "Quit")  # a drafts row well down the table: drawn with the full screen
LOOKUP_MARKERS = ("Customer number, name, phone", "Quit")
SIGNIN_MARKERS = ("Profile name", "Quit")
DEMO_SIZES = ["--customers", "2000", "--products", "5000"]  # the demo's defaults, said out loud


def with_drafts(root: Path, server_url: str, drafts: int) -> dict[str, str]:
    env = deskenv.make_env(root)
    deskenv.save_profile(server_url)
    store = deskenv.store()
    for i in range(1, drafts + 1):
        draft = store.create(f"CUST-{9000 + i}", customer_name=f"Bench Customer {i:02d}", currency="USD",
                             price_tier="Wholesale", terms="Net30")
        for n in range(i % 7 + 1):
            store.set_line(draft.id, f"SKU-{n:06d}", 10 * (n + 1), name=f"Item {n}", unit_price=Decimal("12.50"))
    deskenv.mark_all_synced(store)  # the start then sends nothing: only the first screen is timed
    store.close()
    return env


def time_to_frame(argv: list[str], env: dict[str, str], markers: tuple[str, ...], after: str | None = None) -> float:
    with PtyApp(argv, cols=80, rows=24, env=env) as app:
        seen = app.wait_for(lambda p: all(m in p.text for m in markers), timeout=60)
        took = seen - app.started
        if after is not None:  # let the start finish (the demo's sandbox and index) before quitting
            app.wait_for(lambda p: after in p.text, timeout=120)
            app.settle(1.0)
        app.close(b"\x11", timeout=30)
    return took


class Path_:
    def __init__(self, label: str, run: Callable[[], float]) -> None:
        self.label, self._run = label, run
        self.times: list[float] = []

    def run(self) -> float:
        return self._run()


def main(argv: list[str] | None = None) -> int:
    b = common.bench("first_screen", __doc__.splitlines()[0], argv)
    rounds = 5 if b.quick else 11
    top = Path(tempfile.mkdtemp(prefix="nymble-first-"))
    server = None
    try:
        server = deskenv.start_sandbox(top / "shared")
        desk_argv = deskenv.nymble_desk_argv()
        bare_argv = [common.python(), str(common.BENCH / "bare_app.py")]
        env_drafts = with_drafts(top / "drafts", server.base_url, 50)
        env_lookup = with_drafts(top / "lookup", server.base_url, 0)
        env_signin = deskenv.make_env(top / "signin")
        env_demo = deskenv.make_env(top / "demo")
        time_to_frame([*desk_argv, "demo", *DEMO_SIZES], env_demo, LOOKUP_MARKERS, after="ONLINE")  # seeded once
        fresh: list[int] = [0]

        def demo_fresh() -> float:
            fresh[0] += 1
            env = deskenv.make_env(top / f"fresh-{fresh[0]}")
            return time_to_frame([*desk_argv, "demo", *DEMO_SIZES], env, LOOKUP_MARKERS)

        paths = [
            Path_("bare Textual app", lambda: time_to_frame(bare_argv, env_signin, BARE_MARKERS)),
            Path_("profile, 50 drafts", lambda: time_to_frame(desk_argv, env_drafts, DRAFTS_MARKERS)),
            Path_("profile, no drafts", lambda: time_to_frame(desk_argv, env_lookup, LOOKUP_MARKERS)),
            Path_("sign-in screen", lambda: time_to_frame(desk_argv, env_signin, SIGNIN_MARKERS)),
            Path_("demo, existing HOME", lambda: time_to_frame([*desk_argv, "demo", *DEMO_SIZES], env_demo,
                                                               LOOKUP_MARKERS)),
            Path_("demo, fresh HOME", demo_fresh),
        ]
        for p in paths:  # warm the OS file cache (and .pyc files) for each
            p.run()
        for _ in range(rounds):
            for p in paths:
                p.times.append(p.run())
        bare = paths[0]
        bare_med = statistics.median(bare.times) * 1000
        b.figure("bare Textual app: first frame (median)", bare_med, "ms",
                 note=f"best {min(bare.times) * 1000:.0f} ms; {rounds} rounds")
        for p in paths[1:]:
            med = statistics.median(p.times) * 1000
            b.ratio(f"{p.label}: first frame (median)", med, bare_med, "ms", max_ratio=TARGET_RATIO, gate=GATE_RATIO,
                    goal="#17",
                    note=f"best {min(p.times) * 1000:.0f} ms, ratio of bests {min(p.times) / min(bare.times):.2f}")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(top, ignore_errors=True)
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
