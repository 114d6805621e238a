"""Fill or refresh the search index in a child process, so the UI's process does none of the work.

``python -m nymble_desk.index.fill`` reads one JSON job on stdin::

    {"base_url": ..., "token": ..., "db_path": ..., "scope": ..., "kinds": ["customers", "products"],
     "full": null, "page_size": 1000, "timeout": 30}

and runs the :class:`~nymble_desk.index.refresh.Refresher` over the API's JSON as it arrives
(:class:`WireListing`: no pydantic models; rows are converted by ``rows.*_row_wire``), writing to the
index file in the same SQLite database as the parent (WAL: the parent's searches go on meanwhile).
It prints one JSON line per page (``{"kind", "rows", "expected"}``) and one per finished kind
(``{"report": {...KindReport}}``); a failure is ``{"error", "status"}`` and exit status 1.
The token comes on stdin, never in argv or the environment (other users can read those).
The child lowers its own priority (``os.nice``): on a busy machine the UI's process, which draws
the keystrokes, goes first.  Pages are the API's largest (1000 rows: half the requests of 500).

:func:`fill_in_child` is the parent's side: it starts the child, forwards progress, and returns the
kinds' reports; cancelling it ends the child.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from nymble_desk.errors import ApiError
from nymble_desk.index.refresh import KindReport, Refresher

log = logging.getLogger(__name__)

_PATHS = {"customers": "/api/customers", "products": "/api/products"}


@dataclass
class WirePage:
    """One page of a listing as the API sent it (``{data, totalRecords, currentPage, totalPages}``)."""

    items: list[dict[str, Any]]
    total: int
    page_number: int
    total_pages: int


class WireListing:
    """``search`` over the raw JSON of ``/api/customers`` or ``/api/products`` (what the Refresher calls)."""

    def __init__(self, http: Any, path: str) -> None:
        self.http = http
        self.path = path

    async def search(self, *, filters: Sequence[Any] = (), sort_on: str | None = None,
                     sort_direction: str | None = None, page_number: int = 1, page_size: int = 500) -> WirePage:
        from nymble_desk.api.errors import error_from_response
        from nymble_desk.api.paging import list_params

        params = list_params(filters=list(filters), sort_on=sort_on, sort_direction=sort_direction,
                             page_number=page_number, page_size=page_size)
        for attempt in range(1, 5):
            response = await self.http.get(self.path, params=params)
            if response.status_code in (429, 503) and attempt < 4:
                await asyncio.sleep(min(5.0, float(response.headers.get("Retry-After") or attempt)))
                continue
            if not response.is_success:
                raise error_from_response(response)
            break
        body = response.json()
        items = body.get("data") if "data" in body else body.get("items", [])
        return WirePage(
            items=list(items or []),
            total=int(body.get("totalRecords", body.get("totalCount", 0)) or 0),
            page_number=int(body.get("currentPage", body.get("pageNumber", page_number)) or page_number),
            total_pages=int(body.get("totalPages", 1) or 1),
        )


class WireClient:
    def __init__(self, http: Any) -> None:
        self.customers = WireListing(http, _PATHS["customers"])
        self.products = WireListing(http, _PATHS["products"])


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def _run(job: dict[str, Any]) -> int:
    import httpx

    from nymble_desk.index.search_index import SearchIndex

    index = SearchIndex(job["db_path"], scope=job["scope"])
    headers = {"Authorization": f"Bearer {job['token']}"}
    try:
        async with httpx.AsyncClient(base_url=job["base_url"], headers=headers,
                                     timeout=float(job.get("timeout") or 30)) as http:
            refresher = Refresher(index, WireClient(http), page_size=int(job.get("page_size") or PAGE_SIZE),
                                  on_progress=lambda kind, rows, expected: _say(
                                      {"kind": kind, "rows": rows, "expected": expected}))
            for kind in job["kinds"]:
                report = await refresher.refresh_kind(kind, full=job.get("full"))
                _say({"report": asdict(report)})
    except Exception as exc:  # told to the parent, which logs it and keeps what was written
        _say({"error": f"{type(exc).__name__}: {exc}", "status": exc.status if isinstance(exc, ApiError) else None})
        return 1
    finally:
        index.close()
    return 0


#: How much the child lowers its priority (the UI's process keeps its own).
NICENESS = 10
#: The largest page the API serves (``pageSize`` <= 1000).
PAGE_SIZE = 1000


def main() -> int:
    try:
        os.nice(NICENESS)
    except OSError:  # not allowed here: run at the parent's priority
        log.debug("could not lower the index fill's priority")
    job = json.loads(sys.stdin.readline())
    return asyncio.run(_run(job))


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
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
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
            proc.kill()
            await proc.wait()
        raise
    if error is not None:
        raise ChildFillFailed(str(error["error"]), error.get("status"))
    if code != 0:
        raise ChildFillFailed(f"the index fill exited {code}: {stderr[-500:]}", None)
    return reports


if __name__ == "__main__":
    sys.exit(main())
