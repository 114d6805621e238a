"""Read an orders file (CSV or JSON) into :class:`ImportRow` s, one per order.

CSV: one row per order line, with the columns in :data:`CSV_COLUMNS` (header names
matched without regard to case, spaces or underscores; unknown columns are ignored
with a warning).  Rows with the same ``externalId`` form one order, wherever they are
in the file.  Rows without an ``externalId`` are grouped by ``orderNumber`` when given,
else by customer, PO and order date; a row with none of these (only line columns)
continues the order of the row above.  Order-level columns may be left blank after the
first row of an order; a different value in a later row is an error.

JSON: ``{"orders": [...]}`` or a bare list, each element in the Orders API's create
shape.  Numbers are read as Decimal, never float.  Both are streamed: a CSV through the
spool, a JSON file one order at a time (:mod:`~nymble_desk.importer.json_stream`).

An order without an ``externalId`` gets one derived from its content
(:func:`~nymble_desk.importer.rows.derive_external_id`), so a rerun of the same file
maps to the same orders.  Two orders of one file with the same externalId are an error
on the later one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import nymble_desk.importer.json_stream as json_stream
from nymble_desk.importer.csv_orders import CSV_COLUMNS, REQUIRED_COLUMNS, CsvOrders
from nymble_desk.importer.normalise import DEFAULT_ORDER_TYPE, normalise_order
from nymble_desk.importer.rows import EXTERNAL_ID_PREFIX, ImportFileError, ImportRow, Problems, derive_external_id
from nymble_desk.importer.spool import Record, Spool

_COLUMN_BY_KEY = {c.lower(): c for c in CSV_COLUMNS}
MAX_WARNINGS = 50  # more than this are counted, not listed
_CHUNK = 1000  # runs of CSV records (an order's lines, usually) written to the spool at a time


class ParseResult:
    """The orders of one file, held in a :class:`Spool` (not in memory): iterate
    :meth:`iter_rows` to read them in file order; ``rows``/``valid``/``invalid`` build tuples
    (for small files and tests)."""

    def __init__(self, source: str, spool: Spool, warnings: _Warnings, digest: str, *, order_count: int,
                 pending: Iterator[ImportRow] | None = None, id_prefix: str = "") -> None:
        self.source = source
        self.id_prefix = id_prefix  # the longest prefix every externalId of the file starts with
        self.spool = spool
        self._warnings = warnings
        self.digest = digest  # sha256 of the file's bytes
        self.order_count = order_count  # orders in the file (known before they are all checked)
        self._pending = pending  # orders still to be checked (a CSV's second pass), in file order

    @property
    def warnings(self) -> tuple[str, ...]:
        self._finish()
        return self._warnings.result()

    def _finish(self) -> None:
        if self._pending is not None:
            for _ in self.stream():
                pass

    def stream(self, *, keep: bool = True) -> Iterator[ImportRow]:
        """Every order in file order, checked as it is read: an import sends the first batches
        while later orders are still being checked.  Later calls read the spool, unless
        ``keep`` was false (a run reads its orders once: they are counted, not stored)."""
        if self._pending is None:
            if not self.spool.keep:
                raise RuntimeError(f"the orders of {self.source} were read once and not kept: parse it again")
            yield from self.spool.rows()
            return
        self.spool.keep = keep
        pending, self._pending = self._pending, None
        try:
            yield from pending
        except BaseException:
            self._pending = None
            raise

    @property
    def count(self) -> int:
        self._finish()
        return self.spool.count

    @property
    def valid_count(self) -> int:
        self._finish()
        return self.spool.valid_count

    def iter_rows(self, *, ok: bool | None = None) -> Iterator[ImportRow]:
        self._finish()
        if not self.spool.keep:
            raise RuntimeError(f"the orders of {self.source} were read once and not kept: parse it again")
        return self.spool.rows(ok=ok)

    @property
    def rows(self) -> tuple[ImportRow, ...]:
        return tuple(self.iter_rows())

    @property
    def valid(self) -> tuple[ImportRow, ...]:
        return tuple(self.iter_rows(ok=True))

    @property
    def invalid(self) -> tuple[ImportRow, ...]:
        return tuple(self.iter_rows(ok=False))

    def close(self) -> None:
        self.spool.close()


class _Warnings:
    def __init__(self) -> None:
        self.kept: list[str] = []
        self.more = 0

    def __call__(self, text: str) -> None:
        if len(self.kept) < MAX_WARNINGS:
            self.kept.append(text)
        else:
            self.more += 1

    def result(self) -> tuple[str, ...]:
        extra = [f"... and {self.more:,} more warnings"] if self.more else []
        return tuple(self.kept + extra)


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def parse_file(path: Path, *, default_order_type: str = DEFAULT_ORDER_TYPE,
               merge_duplicates: bool = False) -> ParseResult:
    """Read ``path``: ``.json`` as JSON, anything else as CSV (a file starting with ``{`` or ``[``
    is read as JSON whatever its name).  A CSV file is streamed: memory stays flat in its size."""
    path = Path(path)
    try:
        digest = _file_digest(path)
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as err:
        raise ImportFileError(f"cannot read {path}: {err.strerror or err}") from None
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if path.name.lower().endswith(".json") or start in (b"{", b"["):
        try:
            with path.open("r", encoding="utf-8-sig", newline="") as f:
                return _parse_json_stream(f, path.name, digest, default_order_type, merge_duplicates)
        except OSError as err:
            raise ImportFileError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as f:
            return _parse_csv_stream(f, path.name, digest, default_order_type, merge_duplicates)
    except UnicodeDecodeError as err:
        raise ImportFileError(f"{path.name} is not UTF-8 text (byte {err.start} of a block)") from None
    except OSError as err:
        raise ImportFileError(f"cannot read {path}: {err.strerror or err}") from None


def parse_bytes(data: bytes, source: str, *, default_order_type: str = DEFAULT_ORDER_TYPE,
                merge_duplicates: bool = False) -> ParseResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportFileError(f"{source} is not UTF-8 text (byte {err.start})") from None
    digest = hashlib.sha256(data).hexdigest()
    if source.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
        return parse_json(text, source, digest=digest, default_order_type=default_order_type,
                          merge_duplicates=merge_duplicates)
    return parse_csv(text, source, digest=digest, default_order_type=default_order_type,
                     merge_duplicates=merge_duplicates)


def _finish_row(spool: Spool, source: str, payload: dict[str, Any], problems: Problems, lines: tuple[int, ...],
                merge_duplicates: bool, warn: _Warnings, *, grouped_by_id: bool = False) -> ImportRow | None:
    """The order's row, its externalId checked against the file's earlier orders.  ``grouped_by_id``:
    the file's orders were grouped by the externalId their rows give (a CSV), so a given id cannot
    repeat another given one, only a derived one (``IMP-...``): only those are looked up."""
    derived = "externalId" not in payload
    external_id = derive_external_id(payload) if derived else payload["externalId"]
    if derived or next(iter(payload)) != "externalId":  # the id first (a CSV order has it first already)
        payload = {"externalId": external_id, **{k: v for k, v in payload.items() if k != "externalId"}}
    if derived or not grouped_by_id or external_id.startswith(EXTERNAL_ID_PREFIX):
        first = spool.first_line_of(external_id, lines[0])
    else:
        first = None
    if first is not None:
        what = "the same order content" if derived else "the same externalId"
        if derived and merge_duplicates and not problems.errors:
            warn(f"{source} line {lines[0]}: repeats the order on line {first}: merged (imported once)")
            return None
        problems.add("externalId", f"{external_id} has {what} as the order on line {first}", lines[0])
    row = ImportRow(external_id, payload, source, lines, tuple(problems.errors), derived)
    spool.add_row(row)
    return row


# -- CSV ------------------------------------------------------------------------------------


def _column(name: str) -> str | None:
    key = name.strip().lower().replace(" ", "").replace("_", "").replace("-", "")
    return _COLUMN_BY_KEY.get(key)


def _records(f: TextIO, source: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) for every record, blank ones skipped."""
    first_line = f.readline()
    f.seek(0)
    if first_line.startswith("\ufeff"):  # a BOM the decoder did not take (a str source)
        f.read(1)
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(f, delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if "".join(cells).strip():  # a cell with more than whitespace (one C call, not one per cell)
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as err:
        raise ImportFileError(f"{source} line {reader.line_num}: not valid CSV ({err})") from None


def _extra_cells(columns: list[str | None], cells: list[str]) -> str | None:
    """Why a record with more cells than the header cannot be trusted, or None."""
    extra = cells[len(columns):]
    if not any(c.strip() for c in extra):
        return None
    for i, name in sorted(enumerate(columns), reverse=True):  # the last number column first: cells shift right
        if name in ("quantity", "price") and i + 1 < len(cells):
            here, after = cells[i].strip(), cells[i + 1].strip()
            if here.isdigit() and after.isdigit() and 1 <= len(after) <= 3:
                return (f"{name}|{here},{after} is ambiguous: {len(cells)} cells where the header has "
                        f"{len(columns)}, so an unquoted decimal comma is likely (write {here}.{after}, or quote "
                        f"\"{here},{after}\" if it is one number)")
    return (f"row|{len(cells)} cells where the header has {len(columns)}: a value with an unquoted "
            f"delimiter? Quote it, or remove the extra cells")


def parse_csv(
    text: str, source: str = "orders.csv", *, digest: str | None = None, default_order_type: str = DEFAULT_ORDER_TYPE,
    merge_duplicates: bool = False,
) -> ParseResult:
    return _parse_csv_stream(io.StringIO(text, newline=""), source,
                             digest or hashlib.sha256(text.encode()).hexdigest(), default_order_type, merge_duplicates)


def _parse_csv_stream(f: TextIO, source: str, digest: str, default_order_type: str,
                      merge_duplicates: bool) -> ParseResult:
    records = _records(f, source)
    header = next(records, None)
    if header is None:
        raise ImportFileError(f"{source} is empty: expected a header row with {', '.join(REQUIRED_COLUMNS)}")
    header_line, names = header
    columns: list[str | None] = [_column(n) for n in names]
    warn = _Warnings()
    for n, c in zip(names, columns, strict=False):
        if c is None:
            warn(f"{source} line {header_line}: unknown column {n.strip()!r} ignored")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(f"{source} line {header_line}: missing column(s) {', '.join(missing)}")
    if len(set(c for c in columns if c)) != len([c for c in columns if c]):
        raise ImportFileError(f"{source} line {header_line}: a column appears twice")

    spool = Spool()
    try:
        orders, id_prefix = _spool_records(spool, records, columns)
    except BaseException:
        spool.close()
        raise

    make = CsvOrders(columns, source, default_order_type, merge_duplicates, warn)

    def second_pass() -> Iterator[ImportRow]:
        for group in spool.grouped_records():
            payload, problems, lines = make.order(group)
            row = _finish_row(spool, source, payload, problems, lines, merge_duplicates, warn, grouped_by_id=True)
            if row is not None:
                yield row
        spool.drop_records()

    return ParseResult(source, spool, warn, digest, order_count=orders, pending=second_pass(), id_prefix=id_prefix)


def _spool_records(spool: Spool, records: Iterator[tuple[int, list[str]]],
                   columns: list[str | None]) -> tuple[int, str]:
    """Write every record with the key of the order it belongs to (phase one of two), a run of
    consecutive records of one order at a time; the number of orders and the prefix all their
    externalIds share (derived ones: ``IMP-``)."""
    index = {c: i for i, c in enumerate(columns) if c}
    width = len(columns)
    ext_at = index.get("externalId", sys.maxsize)  # a column the file lacks: past the end of every line

    def cell(cells: list[str], name: str) -> str:
        i = index.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    runs: list[tuple[str, list[Record]]] = []
    run: list[Record] = []
    last_key = ""
    prefix: str | None = None
    for line, cells in records:
        problem = _extra_cells(columns, cells) if len(cells) > width else None
        ext = cells[ext_at].strip() if ext_at < len(cells) else ""
        if prefix != "":
            name = ext or EXTERNAL_ID_PREFIX
            if prefix is None or not name.startswith(prefix):
                prefix = name if prefix is None else os.path.commonprefix([prefix, name])
        if ext:
            key = "id\x1f" + ext
        elif number := cell(cells, "orderNumber"):
            key = "number\x1f" + number
        elif any(cell(cells, c) for c in ("customerNumber", "poNumber", "orderDate")) or not last_key:
            key = "\x1f".join(("content", cell(cells, "customerNumber"), cell(cells, "poNumber"),
                                cell(cells, "orderDate")))
        else:
            key = last_key  # no order columns at all: another line of the order above
        if key != last_key or not runs:
            if len(runs) >= _CHUNK:
                spool.add_runs(runs)
                runs = []
            run = []
            runs.append((key, run))
            last_key = key
        run.append((line, cells, problem))
    if runs:
        spool.add_runs(runs)
    return spool.order_keys(), prefix or ""


# -- JSON -----------------------------------------------------------------------------------


def parse_json(
    text: str, source: str = "orders.json", *, digest: str | None = None, default_order_type: str = DEFAULT_ORDER_TYPE,
    merge_duplicates: bool = False,
) -> ParseResult:
    return _parse_json_stream(io.StringIO(text, newline=""), source,
                              digest or hashlib.sha256(text.encode()).hexdigest(), default_order_type, merge_duplicates)


def _parse_json_stream(f: TextIO, source: str, digest: str, default_order_type: str,
                       merge_duplicates: bool) -> ParseResult:
    """Every order of the file into the spool, one decoded order in memory at a time."""
    warn = _Warnings()
    spool = Spool()
    try:
        for line, value in json_stream.orders(f, source):
            problems = Problems(source)
            if not isinstance(value, dict):
                problems.add("order", "must be an object in the create-order shape", line)
                _finish_row(spool, source, {}, problems, (line,), False, warn)
                continue
            payload = normalise_order(value, problems, line=line, default_order_type=default_order_type, warn=warn,
                                      merge_duplicates=merge_duplicates)
            _finish_row(spool, source, payload, problems, (line,), merge_duplicates, warn)
    except BaseException:
        spool.close()
        raise
    return ParseResult(source, spool, warn, digest, order_count=spool.count, id_prefix=spool.id_prefix or "")
