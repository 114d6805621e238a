"""The Desk's local search index: opened at sign-in, refreshed in the background, asked first.

``DeskIndex`` wraps a :class:`~nymble_desk.index.SearchIndex` (kept in the drafts file)
and the :class:`~nymble_desk.index.refresh.Refresher` that fills it.  Every call into
SQLite runs in a thread (``asyncio.to_thread``) so the event loop never waits on the
disk.  A search answers from the index only once a full fill of that kind finished;
until then (and for anything the index does not hold) the Desk asks the API.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from collections.abc import Callable

from nymble_desk.index import Freshness, SearchIndex
from nymble_desk.index.search_index import OverBudget

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

#: How long a search may hold the caller's thread in :meth:`DeskIndex.search_now` (typical: 0.1-5 ms).
NOW_BUDGET_S = 0.015


def index_scope(identity: Any, base_url: str) -> str:
    """Whose data the index holds, e.g. ``"DEMO/REP-007@http://127.0.0.1:8765"`` (``base_url``: the server's
    identity; the demo passes its sandbox's, which stays the same across its random ports)."""
    who = (getattr(identity, "rep_number", None) or getattr(identity, "user_id", None)
           or getattr(identity, "customer_number", None) or "")
    return f"{getattr(identity, 'org_code', None) or ''}/{who}@{base_url}"


class DeskIndex:
    def __init__(self, db_path: Path | str, scope: str, *, fill_in_child: bool = False) -> None:
        """``fill_in_child``: customers and products are fetched, converted and written by a child process
        (``index.fill``) over the API's JSON, so the UI's process spends nothing on a fill; PO numbers (one
        page of orders) are read here.  Needs a client on a real network address with a token."""
        self.scope = scope
        self.db_path = Path(db_path)
        self.fill_in_child = fill_in_child
        self.index = SearchIndex(db_path, scope=scope)
        self._refresher: Any = None
        self._refreshing: asyncio.Lock | None = None

    # --- reads (None: ask the API) -------------------------------------------------------
    async def search_customers(self, text: str, limit: int) -> list[Any] | None:
        return await asyncio.to_thread(self._search, "customers", text, limit)

    async def search_products(self, text: str, limit: int) -> list[Any] | None:
        return await asyncio.to_thread(self._search, "products", text, limit)

    def search_now(self, kind: str, text: str, limit: int, budget_s: float = NOW_BUDGET_S) -> list[Any] | None:
        """Hits from the index in the caller's thread when it answers within ``budget_s``.

        The UI asks this first, so a keystroke's results are drawn in the same frame as the
        character; ``None`` (no index yet, nothing typed, or over budget) means: await
        :meth:`search_customers` / :meth:`search_products` instead.
        """
        try:
            with self.index.within(budget_s):
                return self._search(kind, text, limit)
        except OverBudget:
            log.debug("%s search for %r over %.0f ms: left to a thread", kind, text, budget_s * 1000)
            return None

    def _search(self, kind: str, text: str, limit: int) -> list[Any] | None:
        if not text.strip() or not self.index.is_ready(kind):
            return None
        if kind == "customers":
            return list(self.index.search_customers(text, limit))
        return list(self.index.search_products(text, limit))

    async def get_product(self, code: str) -> Any | None:
        """The product by SKU or UPC when the index has it (a partly filled index may still know it)."""
        return await asyncio.to_thread(self.index.get_product, code)

    async def po_used_before(self, customer_number: str, po: str) -> bool:
        return await asyncio.to_thread(self.index.po_used_before, customer_number, po)

    def freshness(self) -> Freshness:
        return self.index.freshness()

    # --- refresh ----------------------------------------------------------------------
    async def refresh(self, client: Any, on_progress: Progress | None = None) -> Any:
        """One refresh (a full fill the first time, then only what changed); one at a time."""
        from nymble_desk.index.refresh import Refresher

        if self._refreshing is None:
            self._refreshing = asyncio.Lock()
        async with self._refreshing:
            self._refresher = Refresher(self.index, client, on_progress=on_progress)
            try:
                token = getattr(client, "token", None)
                if self.fill_in_child and token is not None:
                    return await self._refresh_in_child(client, token.access_token, on_progress)
                return await self._refresher.run()
            finally:
                self._refresher = None

    async def _refresh_in_child(self, client: Any, token: str, on_progress: Progress | None) -> Any:
        from nymble_desk.index.fill import ChildFillFailed, fill_in_child
        from nymble_desk.index.search_index import KINDS
        from nymble_desk.index.refresh import RefreshReport

        try:
            kinds = await fill_in_child(base_url=str(client.base_url), token=token, db_path=str(self.db_path),
                                        scope=self.scope, kinds=KINDS, on_progress=on_progress)
        except ChildFillFailed as exc:  # e.g. the token expired: the in-process refresh signs in again
            log.warning("the index fill in a child process failed (%s); refreshing in process", exc)
            return await self._refresher.run()
        report = RefreshReport(kinds=kinds)
        if not self._refresher.cancelled and hasattr(client, "orders"):
            report.po_numbers = await self._refresher.refresh_po_numbers(pages=1)
        report.cancelled = self._refresher.cancelled
        return report

    def cancel(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()

    def close(self) -> None:
        self.cancel()
        self.index.close()
