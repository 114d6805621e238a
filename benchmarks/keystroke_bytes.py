"""Bytes written to the terminal per keystroke while typing a SKU in a cart of 50 lines.

nymble-desk runs in an 80x24 pty (TERM=xterm-256color), signed in, resuming a draft
of 50 lines for CUST-1042 (the drafts offer, then Enter).  With the cart on screen,
a SKU is typed one key at a time into the entry line; after each key everything the
app writes until it has been quiet for a moment (type-ahead included) is counted.
Baseline: the bare Textual app (header, input, 50-row table, footer) typing the same
keys into its input.  Target: under 2 KB per keystroke on average.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import common
import deskenv
from ptyrun import PtyApp

TARGET_BYTES = 2048
TYPED = "WDG-BLU-L"
QUIET = 0.25  # seconds of silence that end one keystroke's output


def prepare(root: Path) -> tuple[dict[str, str], object]:
    env = deskenv.make_env(root)
    server = deskenv.start_sandbox(root)
    deskenv.save_profile(server.base_url)
    items = [p for p in deskenv.products(server.base_url, 60) if not p.sku.startswith("WDG-BLU")][:50]
    store = deskenv.store()
    draft = store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD",
                         price_tier="Wholesale", terms="Net30")
    deskenv.add_lines(store, draft.id, items)
    deskenv.mark_all_synced(store)
    store.close()
    return env, server


def bytes_per_key(app: PtyApp, keys: str) -> list[int]:
    counts = []
    for ch in keys:
        before = len(app.out)
        app.send(ch)
        app.settle(QUIET, timeout=5)
        counts.append(len(app.out) - before)
    return counts


def main(argv: list[str] | None = None) -> int:
    b = common.bench("keystroke_bytes", __doc__.splitlines()[0], argv)
    root = Path(tempfile.mkdtemp(prefix="nymble-bytes-"))
    server = None
    try:
        env, server = prepare(root)
        with PtyApp([common.python(), str(common.BENCH / "bare_app.py")], env=env) as bare:
            bare.wait_for(lambda p: "Bench Customer 12" in p.text, timeout=60)
            bare.settle(0.5)
            base = bytes_per_key(bare, TYPED)
            bare.close(b"\x11")
        with PtyApp(deskenv.nymble_desk_argv(), env=env) as app:
            app.wait_for(lambda p: "Brightfield" in p.text, timeout=60)  # the drafts offer
            app.settle(0.5)
            mark = len(app.out)
            app.send("\r")  # resume the draft
            app.wait_for_text("Lines 50", since=mark, timeout=30)  # the cart's totals bar
            app.settle(1.0)
            cart = bytes_per_key(app, TYPED)
            app.close(b"\x11")
        avg, avg_base = sum(cart) / len(cart), sum(base) / len(base)
        b.ratio("nymble-desk cart (50 lines): bytes per keystroke", avg, avg_base, "B",
                note=f"typing {TYPED!r}: {cart}; bare app: {base}")
        b.at_most("bytes per keystroke (target)", avg, TARGET_BYTES, "B")
        b.figure("largest single keystroke", max(cart), "B")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
