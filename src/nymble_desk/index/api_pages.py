"""Pages of the API's customers and products as raw JSON, over one blocking keep-alive connection.

The index fill's child (:mod:`nymble_desk.index.fill`) reads ~180 MB of JSON for 100,000 customers and
200,000 products.  ``http.client`` in the child's one thread, which also writes the pages, costs less CPU
than an async client on an event loop handing each page to a writer thread (the two threads took turns at
the GIL for every chunk read), and imports nothing beyond the standard library.  The server still prepares
the next page while this one is written: :meth:`PageReader.send` asks for it first, and
:meth:`PageReader.receive` reads the answer afterwards (one request in flight on one connection).
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from nymble_desk.api.errors import error_from_answer, parse_retry_after  # httpx only for type checking
from nymble_desk.errors import ApiError, Unreachable

log = logging.getLogger(__name__)

PATHS = {"customers": "/api/customers", "products": "/api/products"}
#: The order pages are read in (the API's unique key of each kind, so no row is skipped between pages).
SORT_ON = {"customers": "customerNumber", "products": "sku"}
#: Tries of one page when the server answers 429 or 503 (it says how long to wait).
BUSY_TRIES = 4
#: Tries of one page when the connection fails (a keep-alive connection the server closed meanwhile).
TRANSPORT_TRIES = 2


@dataclass
class WirePage:
    """One page of a listing as the API sent it (``{data, totalRecords, currentPage, totalPages}``)."""

    items: list[dict[str, Any]]
    total: int
    page_number: int
    total_pages: int


def parse_page(body: bytes, asked: int) -> WirePage:
    """The page in ``body`` (both paging shapes the API has: ``data``/``totalRecords`` and ``items``)."""
    page = json.loads(body)
    items = page.get("data") if "data" in page else page.get("items", [])
    return WirePage(
        items=list(items or []),
        total=int(page.get("totalRecords", page.get("totalCount", 0)) or 0),
        page_number=int(page.get("currentPage", page.get("pageNumber", asked)) or asked),
        total_pages=int(page.get("totalPages", 1) or 1),
    )


def page_target(kind: str, page_number: int, page_size: int, updated_after: str | None = None) -> str:
    """The path and query of one page of ``kind``, oldest key first; only rows changed after
    ``updated_after`` when it is given."""
    params = [("pageNumber", str(page_number)), ("pageSize", str(page_size)), ("sortOn", SORT_ON[kind]),
              ("sortDirection", "asc")]
    if updated_after is not None:
        from nymble_desk.api.paging import Filter, encode_filters  # the filters' one encoder (a refresh only)

        params += encode_filters([Filter("updatedAt", "gt", updated_after)])
    return f"{PATHS[kind]}?{urllib.parse.urlencode(params)}"


def api_error(status: int, reason: str, body: bytes, retry_after: str | None) -> ApiError:
    """The error for a non-2xx answer, worded from its problem-details body when it has one (the API
    client's reading of an answer, :func:`~nymble_desk.api.errors.error_from_answer`)."""
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = None
    return error_from_answer(status, reason, parsed, body.decode("utf-8", "replace"), retry_after)


class PageReader:
    """GETs on one keep-alive connection to the API, one request in flight: ``send`` then ``receive``."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 30.0) -> None:
        split = urllib.parse.urlsplit(base_url)
        if split.scheme not in ("http", "https") or not split.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self._https = split.scheme == "https"
        self._host = split.hostname
        self._port = split.port
        self._prefix = split.path.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self._sent: str | None = None
        self._send_failed: BaseException | None = None

    def send(self, target: str) -> None:
        """Ask for ``target`` (path and query); its answer is what the next :meth:`receive` returns."""
        if self._sent is not None:
            raise RuntimeError("an answer is still to be received on this connection")
        self._sent = target
        self._send_failed = None
        try:
            self._request(target)
        except (OSError, http.client.HTTPException) as exc:  # told by receive(), which tries again
            self._send_failed = exc
            self._drop()

    def receive(self) -> bytes:
        """The body of the answer to what was sent; 429/503 and a dropped connection are tried again."""
        target = self._sent
        if target is None:
            raise RuntimeError("nothing was sent")
        busy = transport = 0
        try:
            while True:
                try:
                    if self._send_failed is not None:
                        raise self._send_failed
                    assert self._conn is not None
                    response = self._conn.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    self._drop()
                    transport += 1
                    if transport >= TRANSPORT_TRIES:
                        raise Unreachable(f"{type(exc).__name__}: {exc}", cause=exc) from exc
                    log.info("the connection to the API failed (%s); asking again", exc)
                    self._resend(target)
                    continue
                status = response.status
                if status in (429, 503) and busy + 1 < BUSY_TRIES:
                    busy += 1
                    time.sleep(min(5.0, parse_retry_after(response.getheader("Retry-After")) or float(busy)))
                    self._resend(target)
                    continue
                if not 200 <= status < 300:
                    raise api_error(status, response.reason, body, response.getheader("Retry-After"))
                return body
        finally:
            self._sent = None

    def discard(self) -> None:
        """Forget a request whose answer is not wanted (its connection is closed; the next opens another)."""
        if self._sent is not None:
            self._sent = None
            self._drop()

    def close(self) -> None:
        self._sent = None
        self._drop()

    def _request(self, target: str) -> None:
        if self._conn is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = kind(self._host, self._port, timeout=self._timeout)
        self._conn.request("GET", self._prefix + target, headers=self._headers)

    def _resend(self, target: str) -> None:
        self._send_failed = None
        try:
            self._request(target)
        except (OSError, http.client.HTTPException) as exc:
            self._send_failed = exc
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
