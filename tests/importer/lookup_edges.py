"""Transports at the network edge for the lookup tests: count requests in front of the real
sandbox, and make it behave like a server that ignores filters, refuses one, or pages badly."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx

from importer_files import HEADER, order_lines


def is_lookup(request: httpx.Request) -> bool:
    return request.method == "GET" and request.url.path == "/api/orders"


class Counting(httpx.AsyncBaseTransport):
    """Counts order searches (by operator used on externalId) and bulk calls."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lookups = 0
        self.bulk = 0
        self.operators: Counter[str] = Counter()
        self.probed: list[str] = []  # values of externalId:equals searches

    def reset(self) -> None:
        self.lookups = self.bulk = 0
        self.operators.clear()
        self.probed.clear()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if is_lookup(request):
            self.lookups += 1
            filters = request.url.params.get_list("filters")
            self.operators.update(f.split(":")[1] for f in filters if f.startswith("externalId:"))
            self.probed += [f.split(":", 2)[2] for f in filters if f.startswith("externalId:equals:")]
            if not filters:
                self.operators["unfiltered"] += 1
        elif request.method == "POST" and request.url.path == "/api/orders/bulk":
            self.bulk += 1
        return await self.inner.handle_async_request(request)


class Rewriting(Counting):
    """Changes order searches the way a different server might answer them."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, ignore_filters: bool = False,
                 refuse_startswith: bool = False, drop_first_of_page: int | None = None,
                 no_total: bool = False, cap_page_size: int | None = None) -> None:
        super().__init__(inner)
        self.ignore_filters, self.refuse_startswith = ignore_filters, refuse_startswith
        self.drop_first_of_page, self.no_total = drop_first_of_page, no_total
        self.cap_page_size = cap_page_size

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not is_lookup(request):
            return await super().handle_async_request(request)
        filters = request.url.params.get_list("filters")
        prefix_search = any(f.startswith("externalId:startswith:") for f in filters)
        if self.refuse_startswith and prefix_search:
            self.lookups += 1
            problem = {"title": "Bad Request", "status": 400, "detail": "Operator 'startswith' is not supported.",
                       "errors": {"Filters": ["Operator 'startswith' is not supported."]}}
            return httpx.Response(400, json=problem, headers={"content-type": "application/problem+json"})
        if self.ignore_filters:
            request.url = request.url.copy_remove_param("filters")
        if self.cap_page_size and int(request.url.params.get("pageSize", "25")) > self.cap_page_size:
            request.url = request.url.copy_set_param("pageSize", str(self.cap_page_size))
        response = await super().handle_async_request(request)
        if not (prefix_search and (self.drop_first_of_page or self.no_total)):
            return response
        body: dict[str, Any] = json.loads(await response.aread())
        if self.drop_first_of_page and request.url.params.get("pageNumber") == str(self.drop_first_of_page):
            body["items"] = body["items"][1:]  # as if an order moved to an earlier page meanwhile
        if self.no_total:
            body.pop("totalCount", None)
            body.pop("totalPages", None)
        return httpx.Response(response.status_code, json=body)


def orders_csv(external_ids: list[str], *, start: int = 0) -> str:
    """One order per id ("" = a derived IMP- id), each with its own PO so derived ids differ."""
    lines = [HEADER]
    for n, ext in enumerate(external_ids, start):
        lines += order_lines(ext, customer=("CUST-1042", "CUST-0082")[n % 2], po=f"PO-L{n:05d}",
                             items=(("WDG-BLU-L", str(10 + n % 7), "12.50"),))
    return "\n".join(lines) + "\n"
