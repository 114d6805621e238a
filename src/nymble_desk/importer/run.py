"""Send parsed orders to the API in batches through ``NymbleClient.orders.bulk``.

* Orders stream from the parsed file (checked as they are read); those that failed
  validation are reported as rejected and never sent.
* Batches a previous run got acknowledged (see :mod:`.batches`) are skipped and
  reported as such ("already imported by an earlier run"), not as created or updated.
* Which orders already exist is found out per batch, ahead of sending it, so the report
  can say *created* or *updated* (the bulk endpoint's answer does not say): the checkpoint
  knows what earlier runs sent; one count under the file's externalId prefix before the
  first send settles a clean namespace; else a count under the batch's prefix, then paged
  ``externalId:startswith`` reads or probes (:mod:`.existing`), with their own timeout.
  ``lookup="per-order"`` makes one ``externalId:equals`` search per order instead.
* Up to ``in_flight`` bulk calls are on the wire at once, leaving in file order; answers
  are settled (reported, checkpointed) in file order.
* When the API refuses a batch (400/404/409), the orders its errors point at
  (``orders[3].items[0].sku``) are rejected with the API's words and the rest resent; when
  the errors cannot be pinned on orders, or the answer cannot be matched to the orders
  (fewer results, a per-order error entry the client cannot read), the batch's unsettled
  orders are sent one by one with ``orders.create``: each refusal is then that order's own.
* A lost connection, a server error or an expired sign-in stops the run; a server that
  does not answer in time is reported as slow, naming the timeout and the flag to raise
  it.  The checkpoint keeps what was acknowledged, and a rerun resends the rest.
  Resending is safe: every order carries its externalId, which the API treats as
  "update, don't duplicate".
"""

from __future__ import annotations

import asyncio
import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from collections.abc import Awaitable, Callable

import httpx
from pydantic import ValidationError

from nymble_desk.api.models import OrderCreate
from nymble_desk.api.wire import encode
from nymble_desk.errors import ApiError, BadRequest, Conflict, NotFound, Unauthorized, Unreachable
from nymble_desk.importer.batches import DEFAULT_BATCH_SIZE, Batch, Checkpoint, batches
from nymble_desk.importer.existing import CONCURRENCY, LOOKUP_TIMEOUT, ExistingIds
from nymble_desk.importer.parse import ParseResult
from nymble_desk.importer.report import ImportReport, Outcome
from nymble_desk.importer.rows import ImportRow
from nymble_desk.importer.wire_order import OrderJson

if TYPE_CHECKING:
    from nymble_desk.api.client import NymbleClient

_REFUSED = (BadRequest, Conflict, NotFound)
_ORDER_KEY = re.compile(r"^(?:orders)?\[(\d+)\]\.?(.*)$|^orders\.(\d+)\.?(.*)$", re.IGNORECASE)
_ITEM_KEY = re.compile(r"^items\[(\d+)\]", re.IGNORECASE)
MAX_ROUNDS = 5
IN_FLIGHT = 2  # bulk calls on the wire at once: the next is built and sent while one is answered
#: Loop turns a bulk call takes from its start to the socket write: httpx and httpcore pass through lock
#: checkpoints on the way, each a turn (4-6 counted on a keep-alive connection to the sandbox).
SEND_TURNS = 8
Lookup = Literal["search", "per-order"]


@dataclass(frozen=True)
class Progress:
    batch: int  # 1-based number of the batch just finished
    batches: int
    done: int  # orders handled so far (sent or skipped), of `total`
    total: int
    skipped: bool  # the batch was acknowledged by an earlier run


@dataclass
class RunResult:
    report: ImportReport
    complete: bool
    stopped_by: str | None = None
    checkpoint: Path | None = None


@dataclass
class _Sent:
    status: str
    order_number: str | None = None
    reasons: tuple[str, ...] = ()


def _user_from(client: NymbleClient) -> dict[str, str]:
    claims = client.claims
    user = {"userId": claims.user_id, "userType": claims.role} if claims else {}
    return {k: v for k, v in user.items() if v} or {"userType": "Admin"}


def _reason(row: ImportRow, field: str, message: str) -> str:
    line = row.line
    m = _ITEM_KEY.match(field)
    if m and len(row.lines) > int(m[1]):  # a CSV order: one line per item
        line = row.lines[int(m[1])]
    where = f"{row.source} line {line}" if line else row.source
    return f"{where}: {field}: {message}" if field else f"{where}: {message}"


def _pin_errors(err: ApiError, count: int) -> dict[int, list[tuple[str, str]]]:
    """Errors keyed like ``orders[3].items[0].sku``, by order index."""
    pinned: dict[int, list[tuple[str, str]]] = {}
    for key, messages in err.errors.items():
        m = _ORDER_KEY.match(key.strip())
        if not m:
            continue
        index = int(m[1] if m[1] is not None else m[3])
        if index < count:
            pinned.setdefault(index, []).append((m[2] if m[1] is not None else m[4] or "", " ".join(messages)))
    return pinned


def _payload(row: ImportRow, user: dict[str, str]) -> dict[str, Any]:
    return row.payload if "user" in row.payload else {**row.payload, "user": user}


def _invalid(row: ImportRow, err: ValidationError) -> _Sent:
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"])
    return _Sent("rejected", reasons=(_reason(row, field, first["msg"]),))


async def _send_batch(
    client: NymbleClient, batch: Batch, user: dict[str, str], existing: ExistingIds
) -> dict[str, _Sent]:
    sent: dict[str, _Sent] = {}
    pending: list[tuple[ImportRow, str]] = []  # each order with its JSON (wire_order; the model's when not plain)
    write = OrderJson(user)
    for row in batch.rows:
        text = write(row.payload)
        if text is None:
            try:
                model = OrderCreate.model_validate(_payload(row, user))
            except ValidationError as err:
                sent[row.external_id] = _invalid(row, err)
                continue
            text = encode(model.to_wire()).decode("utf-8")
        pending.append((row, text))

    def accepted(row: ImportRow, order_number: str | None) -> None:
        status = "updated" if row.external_id in existing else "created"
        sent[row.external_id] = _Sent(status, order_number)

    for _ in range(MAX_ROUNDS):
        if not pending:
            return sent
        try:
            numbers = await client.orders.bulk_encoded([text for _, text in pending])
        except ValidationError:
            break  # an answer the client could not read (e.g. a per-order error entry): one by one
        except _REFUSED as err:
            pinned = _pin_errors(err, len(pending))
            if not pinned:
                break
            for index, problems in pinned.items():
                row = pending[index][0]
                sent[row.external_id] = _Sent("rejected", reasons=tuple(_reason(row, f, m) for f, m in problems))
            pending = [p for i, p in enumerate(pending) if i not in pinned]
            continue
        if len(numbers) != len(pending):
            break  # cannot tell which answer is whose: settle them one by one
        unsettled = []
        for (row, text), number in zip(pending, numbers, strict=True):
            if number:
                accepted(row, number)
            else:
                unsettled.append((row, text))
        pending = unsettled
        break
    for row, _text in pending:  # one by one: each refusal is that order's own
        try:
            model = OrderCreate.model_validate(_payload(row, user))
        except ValidationError as err:  # not when its JSON was written from a plain payload
            sent[row.external_id] = _invalid(row, err)
            continue
        try:
            ref = await client.orders.create(model)
        except _REFUSED as err:
            reasons = [_reason(row, f, " ".join(m)) for f, m in err.errors.items()] or [_reason(row, "", err.message)]
            sent[row.external_id] = _Sent("rejected", reasons=tuple(reasons))
        else:
            accepted(row, ref.order_number)
    return sent


async def _let_sends_leave() -> None:
    """Give the bulk calls just started the loop turns they need to reach the socket before the next
    batch is read from the file (reading and checking a batch of 200 holds the loop ~15 ms): the server
    works on a call while the next batch is read.  With one turn the first call left only after the
    look-ahead's four batches were read; each idle turn costs microseconds."""
    for _ in range(SEND_TURNS):
        await asyncio.sleep(0)


class _LookupFailed(Exception):
    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.error = error


def _slow(err: ApiError) -> bool:
    """The server was reached but did not answer in time (not: could not be reached)."""
    cause = getattr(err, "cause", None)
    return isinstance(err, Unreachable) and isinstance(cause, httpx.TimeoutException) \
        and not isinstance(cause, (httpx.ConnectTimeout, httpx.PoolTimeout))


def _stop_reason(err: ApiError, where: str, *, lookup: bool, lookup_timeout: float, send_timeout: float) -> str:
    again = "Rerun to continue; acknowledged batches are skipped"
    if isinstance(err, Unauthorized):
        return f"signed out by the API ({err.message}); sign in and rerun"
    if _slow(err) and lookup:
        return (f"{where}: the server is slow, not unreachable: looking up which orders already exist "
                f"(GET /api/orders) took longer than the {lookup_timeout:g} s look-up timeout. {again}, with "
                f"--lookup-timeout {lookup_timeout * 4:g} to wait longer")
    if _slow(err):
        return (f"{where}: the server is slow, not unreachable: a bulk call (POST /api/orders/bulk) did not "
                f"answer within the {send_timeout:g} s request timeout. {again}, with --timeout "
                f"{send_timeout * 4:g} (or [api] timeout in config.toml, NYMBLE_DESK_API__TIMEOUT) or a smaller "
                f"--batch-size")
    return f"{where}: {err.message}. {again}"


async def run_import(
    client: NymbleClient,
    parsed: ParseResult,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[Progress], Any] | None = None,
    checkpoint_dir: Path | None = None,
    fresh: bool = False,
    concurrency: int = CONCURRENCY,
    lookup: Lookup = "search",
    lookup_timeout: float = LOOKUP_TIMEOUT,
    in_flight: int = IN_FLIGHT,
) -> RunResult:
    """Import ``parsed`` with a signed-in ``client``; never raises for a refused order or
    a lost connection: both end up in the result.  ``lookup`` says how to find out which
    orders the API already holds: ``"search"`` (a few searches a batch) or ``"per-order"``
    (one search per order; kept for comparison and odd servers).  Batches stream from the
    parsed file; the look-up of the next batches and up to ``in_flight`` bulk calls run
    while a batch is being answered, and each batch is acknowledged in file order."""
    if lookup not in ("search", "per-order"):
        raise ValueError(f"lookup is 'search' or 'per-order', not {lookup!r}")
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {batch_size}")
    report = ImportReport(parsed.source)
    checkpoint = Checkpoint.for_digest(parsed.digest, parsed.source, directory=checkpoint_dir)
    if fresh:
        checkpoint.forget_batches()  # resend all; still know which orders exist
    existing = ExistingIds(client, concurrency=concurrency, timeout=lookup_timeout)
    load = existing.load if lookup == "search" else existing.load_one_by_one
    total = parsed.order_count
    run = _Run(client, checkpoint, report, _user_from(client), progress, total, -(-total // batch_size),
               existing, load, lookup_timeout, max(1, in_flight), lookup)

    def valid_rows() -> Iterator[ImportRow]:
        """The file's orders as they are checked (so the first batches go out while later
        orders are still being read); the invalid ones go straight to the report."""
        for row in parsed.stream(keep=False):
            if row.ok:
                yield row
            else:
                report.reject(row, tuple(str(e) for e in row.errors))
                run.done += 1

    try:
        if lookup == "search" and parsed.id_prefix:
            # One count before anything is sent: when every order the server holds under the
            # file's externalId prefix is one the checkpoint knows, nothing else needs looking up
            # (a first import into a clean namespace, a --fresh rerun): our own sends add only
            # orders we know of.
            try:
                held = await existing.count_under(parsed.id_prefix)
            except ApiError as err:
                return RunResult(report, False, _stop_reason(err, "stopped before batch 1", lookup=True,
                                                             lookup_timeout=lookup_timeout,
                                                             send_timeout=client.http.timeout), checkpoint.path)
            run.clean = held is not None and held == checkpoint.count_under(parsed.id_prefix)
        return await run.all(batches(valid_rows(), batch_size))
    finally:
        report.warnings = list(parsed.warnings)
        checkpoint.close()


@dataclass
class _Prepared:
    batch: Batch
    earlier: dict[str, tuple[str, str | None]] | None  # acknowledged by an earlier run: skipped


class _Run:
    def __init__(self, client: NymbleClient, checkpoint: Checkpoint, report: ImportReport, user: dict[str, str],
                 progress: Callable[[Progress], Any] | None, total: int, n_batches: int, existing: ExistingIds,
                 load: Callable[[list[str]], Awaitable[set[str]]], lookup_timeout: float, in_flight: int,
                 lookup: Lookup = "search") -> None:
        self.client, self.checkpoint, self.report, self.user = client, checkpoint, report, user
        self.progress, self.total, self.n_batches = progress, total, n_batches
        self.existing, self.load, self.lookup_timeout, self.in_flight = existing, load, lookup_timeout, in_flight
        self.lookup = lookup
        self.clean = False  # before the first send, the server held no order of the file we did not know of
        self.done = 0

    async def prepare(self, batch: Batch) -> _Prepared:
        """Skip a batch an earlier run got acknowledged; else find out which of its orders exist.

        First cheaply: when the server holds exactly as many orders under the batch's common
        externalId prefix as the checkpoint knows were acknowledged there, none of the
        others exists (one ``pageSize=1`` count; a first import on a clean server, or a
        --fresh rerun, never reads an order).  Otherwise the orders under the prefix are
        read or probed (:class:`ExistingIds`)."""
        if self.checkpoint.is_done(batch):
            return _Prepared(batch, self.checkpoint.results(batch))
        known = self.checkpoint.known(batch.external_ids)  # acknowledged once: they exist
        self.existing.note(ext for ext, (status, _) in known.items() if status != "rejected")
        unknown = [e for e in batch.external_ids if e not in self.existing]
        if not unknown or self.clean:
            return _Prepared(batch, None)
        try:
            prefix = os.path.commonprefix(sorted(unknown)) if self.lookup == "search" else ""
            if prefix and await self.existing.count_under(prefix) == self.checkpoint.count_under(prefix):
                return _Prepared(batch, None)
            await self.load(unknown)
        except ApiError as err:
            raise _LookupFailed(err) from None
        return _Prepared(batch, None)

    async def send(self, prepared: Awaitable[_Prepared], after: asyncio.Event | None,
                   started: asyncio.Event) -> tuple[_Prepared, dict[str, _Sent] | None]:
        """Send one batch, never before the batch ahead of it went out (bulk calls leave in file order)."""
        try:
            ready = await prepared
            if after is not None:
                await after.wait()
        finally:
            started.set()
        if ready.earlier is not None:
            return ready, None
        return ready, await _send_batch(self.client, ready.batch, self.user, self.existing)

    def settle(self, ready: _Prepared, sent: dict[str, _Sent] | None) -> None:
        batch = ready.batch
        if sent is None:
            earlier = ready.earlier or {}
            outcomes = []
            for row in batch.rows:
                status, number = earlier[row.external_id]
                outcomes.append(Outcome(row.external_id, status, number, lines=row.lines, previous_run=True))  # type: ignore[arg-type]
            self.report.add_all(outcomes)
        else:
            outcomes = []
            for row in batch.rows:
                s = sent[row.external_id]
                outcomes.append(Outcome(row.external_id, s.status, s.order_number, s.reasons, row.lines))  # type: ignore[arg-type]
            self.report.add_all(outcomes)
            accepted = {k: (v.status, v.order_number) for k, v in sent.items() if v.status != "rejected"}
            self.checkpoint.acknowledge(batch, accepted)
        self.existing.forget(batch.external_ids)  # each id comes once a file: memory stays flat
        self.done += len(batch.rows)
        if self.progress is not None:
            self.progress(Progress(batch.index + 1, self.n_batches, self.done, self.total, sent is None))

    async def all(self, stream: Iterator[Batch]) -> RunResult:
        """Look-ups run ahead (two batches), bulk calls ``in_flight`` at a time; results are
        settled in file order.  The first failure stops the run; what was acknowledged stays."""
        lookups: deque[tuple[Batch, asyncio.Task[_Prepared]]] = deque()
        sends: deque[tuple[Batch, asyncio.Task[tuple[_Prepared, dict[str, _Sent] | None]]]] = deque()
        ahead = self.in_flight + 2

        last_started: list[asyncio.Event | None] = [None]

        def start_sends() -> None:
            while lookups and len(sends) < self.in_flight:
                b, task = lookups.popleft()
                started = asyncio.Event()
                sends.append((b, asyncio.ensure_future(self.send(task, last_started[0], started))))
                last_started[0] = started

        try:
            for batch in stream:
                lookups.append((batch, asyncio.ensure_future(self.prepare(batch))))
                start_sends()
                await _let_sends_leave()
                while len(lookups) + len(sends) >= ahead:
                    await self._settle_first(sends)
                    start_sends()
            while sends:
                await self._settle_first(sends)
                start_sends()
        except _Stopped as stopped:
            return RunResult(self.report, False, stopped.reason, self.checkpoint.path)
        finally:
            pending = [t for _, t in [*lookups, *sends]]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        return RunResult(self.report, True, None, self.checkpoint.path)

    async def _settle_first(
        self, sends: deque[tuple[Batch, asyncio.Task[tuple[_Prepared, dict[str, _Sent] | None]]]]
    ) -> None:
        batch, task = sends.popleft()
        try:
            ready, sent = await task
        except _LookupFailed as failed:
            raise _Stopped(self._reason(failed.error, batch, lookup=True)) from None
        except ApiError as err:
            raise _Stopped(self._reason(err, batch, lookup=False)) from None
        self.settle(ready, sent)

    def _reason(self, err: ApiError, batch: Batch, *, lookup: bool) -> str:
        return _stop_reason(err, f"stopped at batch {batch.index + 1} of {self.n_batches}", lookup=lookup,
                            lookup_timeout=self.lookup_timeout, send_timeout=self.client.http.timeout)


class _Stopped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
