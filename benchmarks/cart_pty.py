"""Keystroke to matches on the REAL cart type-ahead of `nymble-desk`, in a pty.

Set up as ``lookup_pty`` (signed in, the 100k/200k index in the Desk's scope), plus
one empty draft, so the first screen is the drafts offer and Enter opens its cart.
Product texts (SKU, name, UPC) are typed into the entry line one key at a time.

The entry line searches from two characters on, at once for a key typed by hand (the
index answers in the key's own frame) and once after a burst (keys under
``BURST_GAP_S`` apart: a scanner or a paste), and it repaints nothing when a key leaves
the matches as they were.  So a key is timed only when its matches differ from the
previous key's: from writing the key until a match that was not on screen before is
drawn in ``#matches`` (its "SKU  name" label).  A key that draws no new match (the
list hidden, or the same matches) is timed from writing it until the screen is quiet
(the last byte before 100 ms of silence; a keystroke restarts the cursor blink, so no
blink falls in that window).  Keys go one at a time, 60 ms or more apart, as a rep types.
Which texts are searched at all is the entry line's own ``searchable`` (so "washer
marine x", a quantity on its way, is not).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import deskenv
import lookup_pty
from nymble_desk.tui.widgets.entry_line import searchable
from ptyrun import PtyApp, strip_ansi

LIMIT = 5  # what the cart asks for


def label(hit: Any) -> str:
    """The start of the match list's label for a product (as ``EntryLine._match_options`` writes it)."""
    return f"{hit.sku:<12} {str(hit.name or '')[:28]}".rstrip()


class CartRun:
    def __init__(self, env: dict[str, str], db: Path) -> None:
        from nymble_desk.index import SearchIndex

        self.index = SearchIndex(db)
        self.app = PtyApp(deskenv.nymble_desk_argv(), cols=100, rows=30, env=env)
        self.samples: list[float] = []  # keys that drew new matches: until the first new match is drawn
        self.quiet: list[float] = []  # keys that drew no new match: until the screen was quiet
        self.untimed = 0  # always 0: every key is timed (kept for the report's shape)

    def matches(self, typed: str) -> list[str]:
        if not searchable(typed):
            return []
        return [label(h) for h in self.index.search_products(typed.strip(), LIMIT)]

    def start(self, probe: str) -> None:
        app = self.app
        app.wait_for_text("Bench Customer", timeout=60)  # the drafts offer
        app.settle(0.3)
        app.send(b"\r")
        app.wait_for_text("Add >", timeout=30)
        want = self.matches(probe)[0]
        for _ in range(40):
            mark = len(app.out)
            app.send(probe)
            try:
                app.wait_for_text(want, timeout=1.0, since=mark)
                break
            except TimeoutError:  # the index is not opened yet: the sandbox answered
                pass
            finally:
                self.erase(probe)
        else:
            raise RuntimeError(f"the cart never answered from the index: {app.text[-600:]!r}")
        app.settle(0.5)

    def erase(self, typed: str) -> None:
        for _ in typed:
            self.app.send(b"\x7f")
        self.app.settle(0.3)  # the backspaces are a burst: past its settle, the list is hidden again

    def type_text(self, text: str) -> None:
        typed, shown = "", []
        for ch in text:
            typed += ch
            want = self.matches(typed)
            new = [m for m in want if m not in shown]
            mark = len(self.app.out)
            t = self.app.send(ch)
            if not want or not new:  # nothing new to draw (hidden, or the same matches): until quiet
                done = self.app.until_quiet(0.1)
                self.quiet.append((done - t) * 1000)
                self.app.settle(0.05)
            else:
                done = self.app.wait_for(lambda p: new[0] in strip_ansi(bytes(p.out[mark:])), timeout=10)  # noqa: B023 (waited on here)
                self.samples.append((done - t) * 1000)
                self.app.settle(0.06)
            shown = want
        self.erase(typed)

    def close(self) -> int:
        self.app.close(b"\x11")
        try:
            return self.index.freshness().products.count
        finally:
            self.index.close()


def cart_typeahead_latency(index_src: Path, root: Path, texts: list[str]) -> tuple[list[float], list[float], int]:
    """(ms per keystroke that drew new matches, ms per other keystroke until quiet, products still indexed)."""
    env, server, db = lookup_pty.prepare(root, index_src, with_draft=True)
    run, count = lookup_pty.drive(lambda: CartRun(env, db), server, texts)
    return run.samples, run.quiet, count
