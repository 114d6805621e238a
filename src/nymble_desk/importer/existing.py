"""Which externalIds of an import the API already holds, in a handful of searches.

The report says *created* or *updated* for each order and the bulk endpoint's answer
does not tell, so the importer asks before sending.  Asking once per order
(``externalId:equals``) costs one request per order; :class:`ExistingIds` instead covers
every id still to send with ``externalId:startswith`` searches and pages through what
they match:

* The ids are sorted and grouped under their longest common prefix (``IMP-`` for derived
  ids, ``ERP-10`` for a file's own numbered ids).  One search with a large page answers
  a whole group when the server holds few orders under its prefix: at most
  ``rows_per_id`` per wanted id, so reading them costs less than probing each id.
* A crowded prefix (say ``IMP-`` on a server holding many other imports) is split by the
  next character and each part counted (``pageSize=1``).  A part that got denser is read
  or split again; a part that did not (random derived ids thin out evenly) is probed id
  by id, as before.  At most ``max_counts`` such counts are spent per lookup.
* Nothing that cannot be checked is trusted.  Every order a search returns must carry
  the prefix, else the server ignored the filter and every order is read (as before); a
  search the server refuses falls back to probing id by id; a group whose pages do not
  add up to the count (orders moved between pages) has the ids not found probed; ids
  with characters outside printable ASCII (the sandbox folds case for ASCII only) are
  probed one by one.  Prefixes are exact prefixes of the ids, so a server that compares
  case-sensitively answers as completely as one that does not.
* Matching is exact (``ERP-1`` is not ``erp-1``): the API upserts by the exact externalId.

The importer looks up each batch's ids ahead of sending it (pages of ``page_size``, at
most ``concurrency`` searches at once, each with its own ``timeout``), notes what the
checkpoint knows exists (:meth:`ExistingIds.note`) and forgets a batch's ids once it is
settled (:meth:`ExistingIds.forget`), so memory stays flat over a long import.
"""

from __future__ import annotations

import asyncio
import math
import os
import string
from collections import defaultdict
from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, TypeVar

from nymble_desk.api.paging import Filter
from nymble_desk.errors import BadRequest

if TYPE_CHECKING:
    from nymble_desk.api.client import NymbleClient
    from nymble_desk.api.models import OrderIdent, Page

PAGE_SIZE = 500  # ids per look-up page: ~2.5 MB of JSON from the sandbox, well inside a timeout
LOOKUP_TIMEOUT = 60.0  # seconds one look-up page may take (its own, not the client's send timeout)
CONCURRENCY = 4  # look-up pages in flight at once
ROWS_PER_ID = 4  # read up to this many orders per wanted id, else split the prefix (counts are cheap)
MAX_COUNTS = 64
T = TypeVar("T")
_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


class _Unhonoured(Exception):
    """The server answered a filtered search with orders the filter excludes."""


class _Refused(Exception):
    """The server refuses ``externalId:startswith``."""


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _searchable(ext: str) -> bool:
    return bool(ext) and ext.isascii() and ext.isprintable()


async def _run(awaitable: Awaitable[T]) -> T:
    return await awaitable


async def _all(coros: Iterable[Awaitable[T]]) -> list[T]:
    """Like ``asyncio.gather``, but the first failure cancels the rest and is raised as itself."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(_run(c)) for c in coros]
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [t.result() for t in tasks]


def _groups(prefix: str, ids: list[str]) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """``ids`` (sorted, all starting with ``prefix``) split by the character after ``prefix``,
    each part under its own longest common prefix; an id equal to ``prefix`` comes back apart."""
    apart = [e for e in ids if len(e) == len(prefix)]
    parts: dict[str, list[str]] = defaultdict(list)
    for ext in ids:
        if len(ext) > len(prefix):
            parts[ext[len(prefix)]].append(ext)
    return [(os.path.commonprefix(part), part) for part in parts.values()], apart


class ExistingIds:
    """The externalIds the API holds, of those asked about (:meth:`load`) or sent (:meth:`note`).
    ``requests`` counts the searches made."""

    def __init__(self, client: NymbleClient, *, concurrency: int = CONCURRENCY, page_size: int = PAGE_SIZE,
                 rows_per_id: int = ROWS_PER_ID, max_counts: int = MAX_COUNTS,
                 timeout: float = LOOKUP_TIMEOUT) -> None:
        if page_size < 1 or rows_per_id < 1:
            raise ValueError("page_size and rows_per_id must be at least 1")
        self.client = client
        self.page_size = page_size
        self.rows_per_id = rows_per_id
        self.max_counts = max_counts
        self.timeout = timeout
        self.found: set[str] = set()
        self.requests = 0
        self._counts = 0
        self._gate = asyncio.Semaphore(concurrency)

    def __contains__(self, ext: object) -> bool:
        return ext in self.found

    def note(self, external_ids: Iterable[str]) -> None:
        """These orders exist now (the API acknowledged them)."""
        self.found.update(external_ids)

    def forget(self, external_ids: Iterable[str]) -> None:
        """Stop holding these ids (their batch is done): memory stays flat over a long import."""
        self.found.difference_update(external_ids)

    async def load(self, external_ids: Iterable[str]) -> set[str]:
        """Find out which of ``external_ids`` the API holds; returns them (also kept in ``found``)."""
        wanted = set(external_ids) - self.found
        if not wanted:
            return set()
        self._counts = 0  # the budget of counts is per look-up
        searchable = sorted(e for e in wanted if _searchable(e))
        probe = [e for e in wanted if not _searchable(e)]
        hits: set[str] = set()
        try:
            try:
                probe += await self._cover_all(searchable, hits)
            except _Refused:
                probe = sorted(wanted)
            await self._probe(probe, hits)
        except _Unhonoured:
            hits = await self._read_all(wanted)
        self.found |= hits
        return hits

    async def count_under(self, prefix: str) -> int | None:
        """How many orders the server holds under ``prefix`` (one ``pageSize=1`` search), or
        None when the answer cannot be trusted (the filter refused or ignored)."""
        try:
            page = await self._under(prefix, 1, 1)
        except (_Refused, _Unhonoured):
            return None
        return page.total if page.total >= len(page.items) else None

    async def load_one_by_one(self, external_ids: Iterable[str]) -> set[str]:
        """As :meth:`load`, with one ``externalId:equals`` search per id (the first way it was done)."""
        wanted = set(external_ids) - self.found
        hits: set[str] = set()
        try:
            await self._probe(sorted(wanted), hits)
        except _Unhonoured:
            hits = await self._read_all(wanted)
        self.found |= hits
        return hits

    # -- searches --------------------------------------------------------------------------------

    async def _search(self, filters: list[Filter], page_number: int, page_size: int) -> Page[OrderIdent]:
        async with self._gate:
            self.requests += 1
            return await self.client.orders.search_idents(filters, page_number, page_size, timeout=self.timeout)

    async def _under(self, prefix: str, page_number: int, page_size: int) -> Page[OrderIdent]:
        """A page of the orders whose externalId starts with ``prefix``, checked."""
        try:
            page = await self._search([Filter("externalId", "startswith", prefix)], page_number, page_size)
        except BadRequest:
            raise _Refused(prefix) from None
        folded = _fold(prefix)
        if any(not _fold(o.external_id or "")[: len(prefix)] == folded for o in page.items):
            raise _Unhonoured(prefix)
        return page

    async def _cover_all(self, ids: list[str], hits: set[str]) -> list[str]:
        """Search for sorted ``ids``; adds what exists to ``hits``, returns the ids left to probe."""
        if not ids:
            return []
        root = os.path.commonprefix(ids)
        if root:
            return await self._cover(root, ids, hits, head=min(self.page_size, self.rows_per_id * len(ids)))
        groups, apart = _groups("", ids)  # no common prefix: never search for everything
        return apart + await self._cover_groups(groups, hits, None)

    async def _cover_groups(self, groups: list[tuple[str, list[str]]], hits: set[str],
                            parent_ratio: float | None) -> list[str]:
        single = [ids[0] for _, ids in groups if len(ids) == 1]
        several = [(p, ids) for p, ids in groups if len(ids) > 1]
        if self._counts + len(several) > self.max_counts:
            return single + [e for _, ids in several for e in ids]
        self._counts += len(several)
        left = await _all((self._cover(p, ids, hits, head=1, parent_ratio=parent_ratio)
                                      for p, ids in several))
        return single + [e for part in left for e in part]

    async def _cover(self, prefix: str, ids: list[str], hits: set[str], *, head: int,
                     parent_ratio: float | None = None) -> list[str]:
        """Cover ``ids`` (all under ``prefix``) with searches; returns the ids left to probe."""
        first = await self._under(prefix, 1, head)
        total = first.total
        if total < len(first.items):
            return ids  # no usable count in the answer
        if total == 0:
            return []
        if total <= len(first.items):
            return self._settle(ids, first.items, total, hits)
        ratio = total / len(ids)
        if total <= self.rows_per_id * len(ids):
            return self._settle(ids, await self._read(prefix, total, first, head), total, hits)
        if len(ids) > 1 and (parent_ratio is None or ratio * 2 <= parent_ratio):
            groups, apart = _groups(prefix, ids)
            if len(groups) > 1:
                return apart + await self._cover_groups(groups, hits, ratio)
        return ids

    async def _read(self, prefix: str, total: int, first: Page[OrderIdent], head: int) -> list[OrderIdent]:
        """Every order under ``prefix``, ``total`` of them, ``first`` being page 1 of size ``head``.
        A server that gives fewer per page than asked is read in pages of what it gives."""
        if head != self.page_size:
            first = await self._under(prefix, 1, self.page_size)
        size = len(first.items) or self.page_size
        items = list(first.items)
        more = await _all(self._under(prefix, n, size) for n in range(2, math.ceil(total / size) + 1))
        for page in more:
            items.extend(page.items)
        return items

    def _settle(self, ids: list[str], orders: list[OrderIdent], total: int, hits: set[str]) -> list[str]:
        """Record the hits among ``orders``; when they fall short of ``total`` (orders moved
        between pages while reading), the ids not seen are left to probe."""
        wanted = set(ids)
        seen = {o.external_id for o in orders if o.external_id in wanted}
        hits |= seen
        if len({o.id for o in orders}) >= total:
            return []
        return [e for e in ids if e not in seen]

    async def _probe(self, ids: list[str], hits: set[str]) -> None:
        """One ``externalId:equals`` search per id (the way it was always done)."""

        async def probe(ext: str) -> None:
            try:
                page = await self._search([Filter("externalId", "equals", ext)], 1, 5)
            except BadRequest:
                raise _Unhonoured(ext) from None
            if any(_fold(o.external_id or "") != _fold(ext) for o in page.items):
                raise _Unhonoured(ext)  # the server ignored the filter
            if any(o.external_id == ext for o in page.items):
                hits.add(ext)

        await _all(probe(e) for e in ids)

    async def _read_all(self, wanted: set[str]) -> set[str]:
        """Every order, for a server that ignores the filter."""
        hits: set[str] = set()
        async for order in self.client.orders.iter_all(page_size=200):
            if order.external_id in wanted:
                hits.add(order.external_id)
        return hits
