"""Fill and refresh the search index from the API, page by page, in the background.

``Refresher(index, client)`` reads ``client.customers`` and ``client.products``
(each with a paged ``search``/``list`` call taking ``filters``, ``sort_on``,
``sort_direction``, ``page_number`` and ``page_size``, answering a ``Page``).
The first run fills everything; later runs ask only for rows with
``updatedAt`` after the newest one already indexed.  Each page is searchable as
soon as it is written, so the UI can use a partly filled index for hits it has
and fall back to the API for the rest.  ``cancel()`` stops between pages.

SQLite writes run in a thread (``asyncio.to_thread``) while the next page is
already being fetched (asked for before the current one is written, so the server
prepares it meanwhile), and the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, UTC
from typing import Any

from nymble_desk.errors import BadRequest
import nymble_desk.index.rows as rowmod
from nymble_desk.index.search_index import KINDS, SearchIndex

log = logging.getLogger(__name__)

#: When the API's rows carry no ``updatedAt``, the next refresh asks for rows changed
#: since the start of this one, less this margin for clock skew between client and server.
CLOCK_MARGIN = timedelta(minutes=5)

_SORT_ON = {"customers": "customerNumber", "products": "sku"}


@dataclass
class KindReport:
    kind: str
    full: bool
    pages: int = 0
    rows: int = 0
    completed: bool = False
    #: The API's rows had no ``updatedAt`` (the next refresh then goes by our clock).
    without_updated_at: bool = False
    #: The API refused the ``updatedAt`` filter, so this refresh paged through every row.
    unfiltered: bool = False


@dataclass
class RefreshReport:
    kinds: list[KindReport] = field(default_factory=list)
    cancelled: bool = False
    po_numbers: int = 0

    @property
    def rows(self) -> int:
        return sum(k.rows for k in self.kinds)


Progress = Callable[[str, int, int], None]  # (kind, rows done, rows expected)


def plan_kind(index: SearchIndex, kind: str, full: bool | None) -> tuple[bool, str | None]:
    """``(full, high_water)``: a full fill when asked, or when the index has no finished one (or no
    ``updatedAt`` to start from); else an incremental refresh from ``high_water``."""
    state = getattr(index.freshness(), kind)
    if full is None:
        full = not state.ready or not state.high_water
    return full, None if full else state.high_water


def finish_kind(index: SearchIndex, kind: str, *, full: bool, started: datetime, report: KindReport) -> None:
    """Record a refresh of ``kind`` that read every page: its high water and when it ran."""
    if report.without_updated_at or not getattr(index.freshness(), kind).high_water:
        # The rows carried no updatedAt: fall back to this refresh's start by our clock.
        index.set_high_water(kind, (started - CLOCK_MARGIN).isoformat())
    index.mark_refreshed(kind, full=full, at=started)


class Refresher:
    def __init__(
        self,
        index: SearchIndex,
        client: Any,
        *,
        page_size: int = 500,
        on_progress: Progress | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.index = index
        self.client = client
        self.page_size = page_size
        self.on_progress = on_progress
        self.clock = clock
        self._cancel = asyncio.Event()

    def cancel(self) -> None:
        """Stop after the page in flight (what was written stays; the next run starts over)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    async def run(self, kinds: tuple[str, ...] = KINDS, *, full: bool | None = None,
                  po_pages: int = 1) -> RefreshReport:
        """Refresh ``kinds``: a full fill when the index has none yet (or ``full=True``), else incremental.

        Then remember the PO numbers of the latest ``po_pages`` pages of orders (0 to skip).
        """
        report = RefreshReport()
        for kind in kinds:
            if self.cancelled:
                break
            report.kinds.append(await self.refresh_kind(kind, full=full))
        if po_pages and not self.cancelled and hasattr(self.client, "orders"):
            report.po_numbers = await self.refresh_po_numbers(pages=po_pages)
        report.cancelled = self.cancelled
        return report

    async def refresh_kind(self, kind: str, *, full: bool | None = None) -> KindReport:
        full, high_water = plan_kind(self.index, kind, full)
        if full:
            return await self._refresh(kind, full=True, high_water=None)
        try:
            return await self._refresh(kind, full=False, high_water=high_water)
        except BadRequest as exc:  # the API cannot filter on updatedAt
            log.info("%s cannot be filtered by updatedAt (%s); paging through all of them", kind, exc)
            report = await self._refresh(kind, full=False, high_water=None)
            report.unfiltered = True
            return report

    async def _refresh(self, kind: str, *, full: bool, high_water: str | None) -> KindReport:
        report = KindReport(kind=kind, full=full)
        started = self.clock()
        filters = [] if high_water is None else [self._filter("updatedAt", "gt", high_water)]
        upsert = self.index.upsert_customers if kind == "customers" else self.index.upsert_products
        if full:
            await asyncio.to_thread(self.index.mark_filling, kind, True)
        write: asyncio.Future[int] | None = None
        ahead: asyncio.Future[Any] | None = None
        try:
            page = await self._fetch(kind, filters, 1)
            while True:
                more = bool(page.items) and page.page_number < page.total_pages and not self.cancelled
                # the next page is asked for before this one is written: the server prepares it meanwhile
                ahead = asyncio.ensure_future(self._fetch(kind, filters, page.page_number + 1)) if more else None
                if write is not None:
                    await write
                items = list(page.items)
                if items and rowmod.pick(items[0], "updatedAt") is None:
                    report.without_updated_at = True
                write = asyncio.ensure_future(asyncio.to_thread(upsert, items))
                report.pages += 1
                report.rows += len(items)
                if self.on_progress is not None:
                    self.on_progress(kind, report.rows, max(page.total, report.rows))
                if ahead is None or self.cancelled:
                    break
                page, ahead = await ahead, None
            await write
            write = None
            if self.cancelled:
                return report
            await asyncio.to_thread(self._finish, kind, full, started, report)
            report.completed = True
            return report
        finally:
            if ahead is not None:
                ahead.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):  # nothing of it is kept
                    await ahead
            if write is not None:  # a fetch failed: keep the page already fetched, then let the error go on
                try:
                    await asyncio.shield(write)
                except Exception:
                    log.exception("writing a page of %s to the index failed", kind)
            if full and not report.completed:
                await asyncio.to_thread(self.index.mark_filling, kind, False)

    def _finish(self, kind: str, full: bool, started: datetime, report: KindReport) -> None:
        finish_kind(self.index, kind, full=full, started=started, report=report)

    async def refresh_po_numbers(self, *, pages: int = 1) -> int:
        """Record the PO numbers of the most recent orders, for lookup by PO and the reuse warning."""
        rows: list[tuple[str, str, Any]] = []
        for number in range(1, pages + 1):
            page = await self.client.orders.search(sort_on="orderDate", sort_direction="desc",
                                                   page_number=number, page_size=self.page_size)
            for order in page.items:
                customer = getattr(order, "customer", None)
                po = getattr(order, "po_number", None)
                if customer is not None and po:
                    rows.append((customer.customer_number, po, getattr(order, "order_date", None)))
            if self.cancelled or page.page_number >= page.total_pages:
                break
        return await asyncio.to_thread(self.index.record_pos, rows)

    async def _fetch(self, kind: str, filters: list[Any], page_number: int) -> Any:
        resource = getattr(self.client, kind)
        call = getattr(resource, "search", None) or resource.list
        return await call(filters=filters, sort_on=_SORT_ON[kind], sort_direction="asc",
                          page_number=page_number, page_size=self.page_size)

    @staticmethod
    def _filter(field_name: str, operator: str, value: str | None) -> Any:
        from nymble_desk.api.paging import Filter  # the API layer, only when refreshing

        return Filter(field_name, operator, value)
