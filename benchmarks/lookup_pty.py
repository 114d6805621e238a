"""Keystroke to results on the REAL customer lookup screen of `nymble-desk`, in a pty.

The app starts signed in (a saved profile against a small sandbox on a loopback
port) with no drafts, so its first screen is the customer lookup.  Its drafts file
is a copy of the cached 100k-customer / 200k-product index, stamped with the scope
the Desk computes at sign-in (``index_scope``, found by signing a throwaway Desk in),
so the Desk keeps it instead of emptying it; the high-water marks are put in the far
future so the background refresh at sign-in finds nothing to change.

Each key is timed from writing it to the pty until that keystroke's top hit is on
screen: the lookup's detail line, "<company> (<number>)", which the screen paints in
the same frame as the ``#results`` rows for the highlighted (first) row.  The
expected top hit is read from the same file just before the key is sent (not timed).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import common  # noqa: F401  (puts src/ on sys.path)
import deskenv
from ptyrun import PtyApp, strip_ansi

FAR_FUTURE = "2999-12-31T00:00:00+00:00"  # nothing in the sandbox is newer: the sign-in refresh reads no rows
LIMIT = 20  # what the lookup asks for
QUIET = 0.06  # seconds without output that end a keystroke's painting (a rep types ~5 keys a second)


def desk_scope(base_url: str, probe_db: Path) -> str:
    """The scope a Desk signed in with the saved profile gives its index (the Desk's own computation)."""
    from nymble_desk.sync.connect import build_desk

    async def sign_in() -> str:
        desk = build_desk(base_url, "DEMO", "demo-rep", "demo-rep-secret", drafts_path=probe_db)
        try:
            await desk.sign_in()
            if desk.lookups is None:
                raise RuntimeError("the Desk opened no search index at sign-in")
            return desk.lookups.scope
        finally:
            if desk.lookups is not None:
                desk.lookups.close()
            await desk.client.aclose()
            desk.store.close()

    return asyncio.run(sign_in())


def prepare(root: Path, index_src: Path, with_draft: bool = False) -> tuple[dict[str, str], Any, Path]:
    """(env, running sandbox, drafts file holding the full index in the Desk's scope).

    With ``with_draft`` the file also holds one draft with no lines (a note only) (for a customer of the
    sandbox), so the first screen is the drafts offer and Enter opens its cart."""
    from nymble_desk import paths
    from nymble_desk.index import SearchIndex

    env = deskenv.make_env(root)
    server = deskenv.start_sandbox(root)
    deskenv.save_profile(server.base_url)
    scope = desk_scope(server.base_url, root / "scope-probe.sqlite3")
    paths.ensure(paths.data_dir())
    db = paths.drafts_db_path()
    shutil.copyfile(index_src, db)
    index = SearchIndex(db)  # no scope given: opened as it is
    try:
        conn = index._conn()
        index._set_meta(conn, {"scope": scope})
        index.set_high_water("customers", FAR_FUTURE)
        index.set_high_water("products", FAR_FUTURE)
    finally:
        index.close()
    store = deskenv.store()  # the drafts tables next to the index (no drafts: the first screen is lookup)
    if with_draft:
        draft = store.create(first_customer(server.base_url), customer_name="Bench Customer", currency="USD",
                             price_tier="Wholesale", terms="Net30")
        store.set_notes(draft.id, "benchmark")  # an untouched draft is never offered (nor kept)
        deskenv.mark_all_synced(store)
    store.close()
    return env, server, db


def first_customer(base_url: str) -> str:
    from nymble_desk.api import Credentials, NymbleClient

    async def fetch() -> str:
        async with NymbleClient(base_url, Credentials("DEMO", "demo-rep", "demo-rep-secret")) as client:
            page = await client.customers.search(page_size=5)
            return next(c.customer_number for c in page.items if c.active)

    return asyncio.run(fetch())


def detail_marker(hit: Any) -> str:
    return f"{hit.company_name} ({hit.customer_number})"


class LookupRun:
    """The app on its lookup screen plus a reader of the same index for the expected hits."""

    def __init__(self, env: dict[str, str], db: Path, *, cols: int = 100, rows: int = 30) -> None:
        from nymble_desk.index import SearchIndex

        self.index = SearchIndex(db)
        self.app = PtyApp(deskenv.nymble_desk_argv(), cols=cols, rows=rows, env=env)
        self.samples: list[float] = []

    def expected(self, typed: str) -> str:
        hits = self.index.search_customers(typed.strip(), LIMIT)
        return detail_marker(hits[0]) if hits else f"No customer matches “{typed.strip()}”"

    def start(self, probe: str) -> None:
        """Wait for the lookup, then until a search is answered from the index (not the sandbox's 50)."""
        app = self.app
        app.wait_for_text("Customer number, name", timeout=60)
        deadline_tries = 40
        for _ in range(deadline_tries):
            mark = len(app.out)
            app.send(probe)
            try:
                app.wait_for_text(self.expected(probe), timeout=1.0, since=mark)
                break
            except TimeoutError:  # signed in, but the index is not opened yet: the API answered
                pass
            finally:
                self.erase(probe)
        else:
            raise RuntimeError(f"the lookup never answered from the index: {app.text[-600:]!r}")
        app.settle(0.5)  # the sign-in refresh (nothing newer than the far-future high water) is done

    def erase(self, typed: str) -> None:
        for _ in typed:
            self.app.send(b"\x7f")
        self.app.settle(0.15)

    def type_text(self, text: str) -> None:
        typed = ""
        for ch in text:
            typed += ch
            want = self.expected(typed)
            mark = len(self.app.out)
            t = self.app.send(ch)
            done = self.app.wait_for(lambda p: want in strip_ansi(bytes(p.out[mark:])), timeout=10)  # noqa: B023 (waited on here)
            self.samples.append((done - t) * 1000)
            # The rest of that keystroke's painting (the detail line is drawn again on the row
            # highlight, a moment later) must not be taken for the next key's results.
            self.app.settle(QUIET)
        self.erase(typed)

    def close(self) -> int:
        """Quit the app; returns the customers the index still holds (the scope must have matched)."""
        self.app.close(b"\x11")
        try:
            return self.index.freshness().customers.count
        finally:
            self.index.close()


def drive(make_run: Any, server: Any, texts: list[str]) -> tuple[Any, int]:
    """Make the run (a LookupRun or cart_pty.CartRun), type every text, close it and stop the
    sandbox; (the run, what ``run.close()`` counts: the index must still hold its rows)."""
    try:
        run = make_run()
        try:
            run.start(texts[0])
            for text in texts:
                run.type_text(text)
        finally:
            count = run.close()
    finally:
        server.stop()
    return run, count


def customer_lookup_latency(index_src: Path, root: Path, texts: list[str]) -> tuple[list[float], int]:
    """Per-keystroke ms typing ``texts`` into the real lookup; and the index's customer count after."""
    env, server, db = prepare(root, index_src)
    run, count = drive(lambda: LookupRun(env, db), server, texts)
    return run.samples, count
