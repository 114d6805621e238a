"""Send parsed orders to the API in batches through ``NymbleClient.orders.bulk``.

* Orders that failed validation are reported as rejected and never sent.
* Batches a previous run got acknowledged (see :mod:`.batches`) are skipped and
  reported from the checkpoint.
* Before the first batch is sent, the externalIds still to send are looked up so the
  report can say *created* or *updated* (the bulk endpoint's answer does not say): with a
  few ``externalId:startswith`` searches (:mod:`.existing`), or with ``lookup="per-order"``
  one ``externalId:equals`` search per order, the way it was first done.
* When the API refuses a batch (400/404/409), the orders its errors point at
  (``orders[3].items[0].sku``) are rejected with the API's words and the rest resent; when
  the errors cannot be pinned on orders, or the answer cannot be matched to the orders
  (fewer results, a per-order error entry the client cannot read), the batch's unsettled
  orders are sent one by one with ``orders.create``: each refusal is then that order's own.
* A lost connection, a server error or an expired sign-in stops the run; the checkpoint
  keeps what was acknowledged, and a rerun resends the rest.  Resending is safe: every
  order carries its externalId, which the API treats as "update, don't duplicate".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Literal

from pydantic import ValidationError

from nymble_desk.api.errors import ApiError, BadRequest, Conflict, NotFound, Unauthorized
from nymble_desk.api.models import OrderCreate
from nymble_desk.importer.batches import DEFAULT_BATCH_SIZE, Batch, Checkpoint, split
from nymble_desk.importer.existing import ExistingIds
from nymble_desk.importer.parse import ParseResult
from nymble_desk.importer.report import ImportReport, Outcome
from nymble_desk.importer.rows import ImportRow

if TYPE_CHECKING:
    from nymble_desk.api.client import NymbleClient

_REFUSED = (BadRequest, Conflict, NotFound)
_ORDER_KEY = re.compile(r"^(?:orders)?\[(\d+)\]\.?(.*)$|^orders\.(\d+)\.?(.*)$", re.IGNORECASE)
_ITEM_KEY = re.compile(r"^items\[(\d+)\]", re.IGNORECASE)
MAX_ROUNDS = 5
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


async def _send_batch(
    client: NymbleClient, batch: Batch, user: dict[str, str], existing: ExistingIds
) -> dict[str, _Sent]:
    sent: dict[str, _Sent] = {}
    pending: list[tuple[ImportRow, OrderCreate]] = []
    for row in batch.rows:
        payload = row.payload if "user" in row.payload else {**row.payload, "user": user}
        try:
            pending.append((row, OrderCreate.model_validate(payload)))
        except ValidationError as err:
            first = err.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            sent[row.external_id] = _Sent("rejected", reasons=(_reason(row, field, first["msg"]),))

    def accepted(row: ImportRow, order_number: str | None) -> None:
        status = "updated" if row.external_id in existing else "created"
        sent[row.external_id] = _Sent(status, order_number)

    for _ in range(MAX_ROUNDS):
        if not pending:
            return sent
        try:
            refs = await client.orders.bulk([model for _, model in pending])
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
        if len(refs) != len(pending):
            break  # cannot tell which answer is whose: settle them one by one
        unsettled = []
        for (row, model), ref in zip(pending, refs):
            if ref is None or not getattr(ref, "order_number", None):
                unsettled.append((row, model))
            else:
                accepted(row, ref.order_number)
        pending = unsettled
        break
    for row, model in pending:  # one by one: each refusal is that order's own
        try:
            ref = await client.orders.create(model)
        except _REFUSED as err:
            reasons = [_reason(row, f, " ".join(m)) for f, m in err.errors.items()] or [_reason(row, "", err.message)]
            sent[row.external_id] = _Sent("rejected", reasons=tuple(reasons))
        else:
            accepted(row, ref.order_number)
    return sent


async def run_import(
    client: NymbleClient,
    parsed: ParseResult,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[Progress], Any] | None = None,
    checkpoint_dir: Path | None = None,
    fresh: bool = False,
    concurrency: int = 8,
    lookup: Lookup = "search",
) -> RunResult:
    """Import ``parsed`` with a signed-in ``client``; never raises for a refused order or
    a lost connection: both end up in the result.  ``lookup`` says how to find out which
    orders the API already holds: ``"search"`` (a few searches for the whole import) or
    ``"per-order"`` (one search per order; kept for comparison and odd servers)."""
    if lookup not in ("search", "per-order"):
        raise ValueError(f"lookup is 'search' or 'per-order', not {lookup!r}")
    report = ImportReport(parsed.source, warnings=list(parsed.warnings))
    report.reject_invalid(parsed.rows)
    valid = list(parsed.valid)
    batches = split(valid, batch_size)
    checkpoint = Checkpoint.for_rows(valid, parsed.source, directory=checkpoint_dir)
    if fresh:
        checkpoint.clear()
    user = _user_from(client)
    existing = ExistingIds(client, concurrency=concurrency)
    pending = [r.external_id for b in batches if not checkpoint.is_done(b) for r in b.rows]
    load = existing.load if lookup == "search" else existing.load_one_by_one

    async def look_up() -> None:
        await load(pending)

    try:
        return await _run_batches(client, batches, checkpoint, report, user, progress, len(valid),
                                  existing, look_up)
    finally:
        report.outcomes.sort(key=lambda o: o.lines[0] if o.lines else 0)  # file order


async def _run_batches(
    client: NymbleClient, batches: list[Batch], checkpoint: Checkpoint, report: ImportReport, user: dict[str, str],
    progress: Callable[[Progress], Any] | None, total: int, existing: ExistingIds,
    look_up: Callable[[], Awaitable[None]],
) -> RunResult:
    done = 0
    looked_up = False
    for batch in batches:
        skipped = checkpoint.is_done(batch)
        if skipped:
            results = checkpoint.acknowledged[batch.key].results
            for row in batch.rows:
                status, number = results[row.external_id]
                report.add(Outcome(row.external_id, status, number, lines=row.lines, previous_run=True))  # type: ignore[arg-type]
        else:
            try:
                if not looked_up:  # once, before the first batch is sent
                    await look_up()
                    looked_up = True
                sent = await _send_batch(client, batch, user, existing)
            except Unauthorized as err:
                return RunResult(report, False, f"signed out by the API ({err.message}); sign in and rerun",
                                 checkpoint.path)
            except ApiError as err:
                return RunResult(report, False, f"stopped at batch {batch.index + 1} of {len(batches)}: "
                                 f"{err.message}. Rerun to continue; acknowledged batches are skipped",
                                 checkpoint.path)
            for row in batch.rows:
                s = sent[row.external_id]
                report.add(Outcome(row.external_id, s.status, s.order_number, s.reasons, row.lines))  # type: ignore[arg-type]
            accepted = {k: (v.status, v.order_number) for k, v in sent.items() if v.status != "rejected"}
            existing.note(accepted)  # sent again later in the file: an update
            checkpoint.acknowledge(batch, accepted)
        done += len(batch.rows)
        if progress is not None:
            progress(Progress(batch.index + 1, len(batches), done, total, skipped))
    return RunResult(report, True, None, checkpoint.path)
