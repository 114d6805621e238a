"""Fill or refresh the search index in a child process, so the UI's process does none of the work.

``python -m nymble_desk.index.fill`` reads one JSON job on stdin::

    {"base_url": ..., "token": ..., "db_path": ..., "scope": ..., "kinds": ["customers", "products"],
     "full": null, "page_size": 1000, "timeout": 30}

and fills or refreshes each kind as the :class:`~nymble_desk.index.refresh.Refresher` would (a full fill the
first time, then by ``updatedAt``), over the API's JSON as it arrives: no pydantic models, no event loop.
One thread reads the pages (:class:`~nymble_desk.index.api_pages.PageReader`, blocking ``http.client``),
converts them (``rows.*_row_wire``) and writes them, each page in its own transaction, to the index file
in the same SQLite database as the parent (WAL: the parent's searches go on meanwhile, and find every page
written so far).  The next page is asked for before this one is parsed and written (from the page count
the last page gave), so the server prepares it meanwhile.
A first fill into an empty table makes the customers' secondary indexes after its last page
(:meth:`~nymble_desk.index.search_index.SearchIndex.defer_indexes`).
It prints a progress line (``{"kind", "rows", "expected"}``) at most every ``PROGRESS_EVERY_S`` and on a
kind's last page, and one line per finished kind (``{"report": {...KindReport}}``); a failure is
``{"error", "status"}`` and exit status 1.
The token comes on stdin, never in argv or the environment (other users can read those).
The child runs in its own session, so that the kernel's per-session share (autogroup) keeps the fill's
busy core out of the UI's slice; it lowers its own priority too (``os.nice``, which ranks it only within
that session: see ``NICENESS``).  Pages are the API's largest (1000 rows: half
the requests of 500).

:func:`fill_in_child` is the parent's side: it starts the child, forwards progress, and returns the
kinds' reports; cancelling it ends the child (the pages written stay, and the next fill goes on from them).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime, UTC
from typing import TYPE_CHECKING, Any

from nymble_desk.errors import ApiError, BadRequest
from nymble_desk.index.refresh import KindReport, finish_kind, plan_kind

if TYPE_CHECKING:
    from nymble_desk.index.api_pages import PageReader
    from nymble_desk.index.search_index import SearchIndex

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (kind, rows done, rows expected)


def fill_kind(index: SearchIndex, reader: PageReader, kind: str, *, full: bool | None = None,
              page_size: int = 1000, on_progress: Progress | None = None) -> KindReport:
    """Fill (``full``) or refresh ``kind`` by ``updatedAt``, as ``Refresher.refresh_kind`` does."""
    full, high_water = plan_kind(index, kind, full)
    if full or high_water is None:
        return _read_pages(index, reader, kind, full=full, updated_after=None, page_size=page_size,
                           on_progress=on_progress)
    try:
        return _read_pages(index, reader, kind, full=False, updated_after=high_water, page_size=page_size,
                           on_progress=on_progress)
    except BadRequest as exc:  # the API cannot filter on updatedAt
        log.info("%s cannot be filtered by updatedAt (%s); paging through all of them", kind, exc)
        report = _read_pages(index, reader, kind, full=False, updated_after=None, page_size=page_size,
                             on_progress=on_progress)
        report.unfiltered = True
        return report


def _read_pages(index: SearchIndex, reader: PageReader, kind: str, *, full: bool, updated_after: str | None,
                page_size: int, on_progress: Progress | None) -> KindReport:
    import nymble_desk.index.rows as rowmod
    from nymble_desk.index.api_pages import page_target, parse_page

    report = KindReport(kind=kind, full=full)
    started = datetime.now(UTC)
    upsert = index.upsert_customers if kind == "customers" else index.upsert_products
    deferred = False
    if full:
        index.mark_filling(kind, True)
        deferred = index.defer_indexes(kind)
    try:
        number = asked = pages = 1  # the page in hand, the last one asked for, how many the last one said
        reader.send(page_target(kind, number, page_size, updated_after))
        while True:
            body = reader.receive()
            if number < pages:  # the next page is asked for before this one is parsed and written:
                asked = number + 1  # the server prepares it meanwhile
                reader.send(page_target(kind, asked, page_size, updated_after))
            page = parse_page(body, number)
            pages = page.total_pages
            more = bool(page.items) and page.page_number < page.total_pages
            if more and asked != page.page_number + 1:  # page 1, or the server numbers otherwise
                reader.discard()
                asked = page.page_number + 1
                reader.send(page_target(kind, asked, page_size, updated_after))
            number = asked
            if page.items and rowmod.pick(page.items[0], "updatedAt") is None:
                report.without_updated_at = True
            upsert(page.items)
            report.pages += 1
            report.rows += len(page.items)
            if on_progress is not None:
                on_progress(kind, report.rows, max(page.total, report.rows))
            if not more:
                break
        if deferred:
            index.restore_indexes(kind)
            deferred = False
        finish_kind(index, kind, full=full, started=started, report=report)
        report.completed = True
        return report
    finally:
        reader.discard()  # a page asked for and not needed (the list shrank meanwhile), or a failure
        if deferred:  # a page failed: what was written stays, searchable as the finished index is
            index.restore_indexes(kind)
        if full and not report.completed:
            index.mark_filling(kind, False)


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


#: The child tells its progress at most this often (and always a kind's last page): a line a page woke the
#: UI's event loop ~45 times a second for a status line that moves in 5% steps.
PROGRESS_EVERY_S = 0.25


class _Progress:
    def __init__(self) -> None:
        self._last = float("-inf")

    def __call__(self, kind: str, rows: int, expected: int) -> None:
        now = time.monotonic()
        if rows < expected and now - self._last < PROGRESS_EVERY_S:
            return
        self._last = now
        _say({"kind": kind, "rows": rows, "expected": expected})


def run_job(job: dict[str, Any]) -> int:
    """The child's work: each kind of ``job`` filled or refreshed; 0, or 1 after saying what failed."""
    from nymble_desk.index.api_pages import PageReader
    from nymble_desk.index.search_index import SearchIndex

    index = SearchIndex(job["db_path"], scope=job["scope"])
    index.tune_for_bulk_writes()
    reader = PageReader(job["base_url"], job["token"], timeout=float(job.get("timeout") or 30))
    page_size = int(job.get("page_size") or PAGE_SIZE)
    progress = _Progress()
    try:
        for kind in job["kinds"]:
            report = fill_kind(index, reader, kind, full=job.get("full"), page_size=page_size,
                               on_progress=progress)
            _say({"report": asdict(report)})
    except Exception as exc:  # told to the parent, which logs it and keeps what was written
        _say({"error": f"{type(exc).__name__}: {exc}", "status": exc.status if isinstance(exc, ApiError) else None})
        return 1
    finally:
        reader.close()
        index.close()
    return 0


#: How much the child lowers its priority (the UI's process keeps its own).  Where the kernel shares CPU
#: time between sessions first (autogroup: on here and on most desktops) this ranks the child only within
#: its own session, i.e. it does nothing; lowering the session's nice too (/proc/self/autogroup) was tried
#: (echo helper, 2026-12-06): at load 6 the fill took 57 s against 18 s, for no echo gain that 6 runs showed.
NICENESS = 10
#: The largest page the API serves (``pageSize`` <= 1000).
PAGE_SIZE = 1000


def main() -> int:
    try:
        os.nice(NICENESS)
    except OSError:  # not allowed here: run at the parent's priority
        log.debug("could not lower the index fill's priority")
    job = json.loads(sys.stdin.readline())
    signal.signal(signal.SIGTERM, _stop)
    try:
        return run_job(job)
    except Stopped:
        return 128 + signal.SIGTERM


class Stopped(BaseException):
    """SIGTERM from the parent (the fill was cancelled): the page in hand is dropped, what was written stays."""


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


#: How long a cancelled fill's child may take to leave its index whole (its deferred indexes made: ~0.3 s at
#: 100,000 customers) before it is killed.
STOP_GRACE_S = 3.0


async def _end(proc: asyncio.subprocess.Process) -> None:
    """SIGTERM (the child rolls back the page in hand and makes the indexes a first fill deferred), then
    SIGKILL if it takes longer than ``STOP_GRACE_S``."""
    proc.terminate()
    try:
        await asyncio.wait_for(asyncio.shield(proc.wait()), STOP_GRACE_S)
    except TimeoutError:
        proc.kill()
        await proc.wait()


class ChildFillFailed(RuntimeError):
    def __init__(self, message: str, status: int | None) -> None:
        super().__init__(message)
        self.status = status


async def fill_in_child(*, base_url: str, token: str, db_path: str, scope: str, kinds: Sequence[str],
                        full: bool | None = None, page_size: int = PAGE_SIZE, timeout: float = 30.0,
                        on_progress: Callable[[str, int, int], None] | None = None) -> list[KindReport]:
    """Run the fill in ``python -m nymble_desk.index.fill``; the reports of the kinds it finished."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "nymble_desk.index.fill",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        # its own session: where the kernel groups CPU time by session (autogroup, most desktops), a child in
        # the UI's session shares the UI's slice and the fill's busy core delays the keystrokes' redraws;
        # on its own, the UI (idle between keys) gets the CPU as soon as a key comes.  Ended by the parent
        # (cancel, quit); if the parent dies, its next progress line fails (EPIPE) and it ends.
        start_new_session=True)
    job = {"base_url": base_url, "token": token, "db_path": db_path, "scope": scope, "kinds": list(kinds),
           "full": full, "page_size": page_size, "timeout": timeout}
    reports: list[KindReport] = []
    error: dict[str, Any] | None = None
    try:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write((json.dumps(job) + "\n").encode())
        await proc.stdin.drain()
        proc.stdin.close()
        while line := await proc.stdout.readline():
            message = json.loads(line)
            if "report" in message:
                reports.append(KindReport(**message["report"]))
            elif "error" in message:
                error = message
            elif on_progress is not None:
                on_progress(message["kind"], int(message["rows"]), int(message["expected"]))
        stderr = (await proc.stderr.read()).decode("utf-8", "replace")
        code = await proc.wait()
    except BaseException:  # cancelled (the app quits, or a refresh is stopped): end the child too
        if proc.returncode is None:
            await _end(proc)
        raise
    if error is not None:
        raise ChildFillFailed(str(error["error"]), error.get("status"))
    if code != 0:
        raise ChildFillFailed(f"the index fill exited {code}: {stderr[-500:]}", None)
    return reports


if __name__ == "__main__":
    sys.exit(main())
