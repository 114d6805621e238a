"""Read an orders file (CSV or JSON) into :class:`ImportRow` s, one per order.

CSV: one row per order line, with the columns in :data:`CSV_COLUMNS` (header names
matched without regard to case, spaces or underscores; unknown columns are ignored
with a warning).  Rows with the same ``externalId`` form one order, wherever they are
in the file.  Rows without an ``externalId`` are grouped by ``orderNumber`` when given,
else by customer, PO and order date; a row with none of these (only line columns)
continues the order of the row above.  Order-level columns may be left blank after the
first row of an order; a different value in a later row is an error.

JSON: ``{"orders": [...]}`` or a bare list, each element in the Orders API's create
shape.  Numbers are read as Decimal, never float.

An order without an ``externalId`` gets one derived from its content
(:func:`~nymble_desk.importer.rows.derive_external_id`), so a rerun of the same file
maps to the same orders.  Two orders of one file with the same externalId are an error
on the later one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from nymble_desk.importer.normalise import DEFAULT_ORDER_TYPE, normalise_order
from nymble_desk.importer.rows import ImportFileError, ImportRow, Problems, derive_external_id

CSV_COLUMNS = (
    "externalId", "orderNumber", "orderDate", "customerNumber", "companyName", "poNumber", "orderType",
    "priceTier", "currencyCode", "repNumber", "terms", "channel", "notes", "sku", "productName", "quantity", "price",
)
ORDER_COLUMNS = CSV_COLUMNS[: CSV_COLUMNS.index("sku")]
REQUIRED_COLUMNS = ("customerNumber", "poNumber", "priceTier", "currencyCode", "repNumber", "sku", "quantity", "price")
_COLUMN_BY_KEY = {c.lower(): c for c in CSV_COLUMNS}


@dataclass(frozen=True)
class ParseResult:
    source: str
    rows: tuple[ImportRow, ...]
    warnings: tuple[str, ...]
    digest: str  # sha256 of the file's bytes

    @property
    def valid(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.ok)

    @property
    def invalid(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if not r.ok)


def parse_file(path: Path, *, default_order_type: str = DEFAULT_ORDER_TYPE) -> ParseResult:
    """Read ``path``: ``.json`` as JSON, anything else as CSV (a file starting with ``{`` or ``[``
    is read as JSON whatever its name)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportFileError(f"cannot read {path}: {err.strerror or err}") from None
    return parse_bytes(data, path.name, default_order_type=default_order_type)


def parse_bytes(data: bytes, source: str, *, default_order_type: str = DEFAULT_ORDER_TYPE) -> ParseResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportFileError(f"{source} is not UTF-8 text (byte {err.start})") from None
    digest = hashlib.sha256(data).hexdigest()
    if source.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
        return parse_json(text, source, digest=digest, default_order_type=default_order_type)
    return parse_csv(text, source, digest=digest, default_order_type=default_order_type)


def _finish(
    source: str, built: list[tuple[dict[str, Any], Problems, tuple[int, ...]]], warnings: list[str], digest: str
) -> ParseResult:
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    for payload, problems, lines in built:
        derived = "externalId" not in payload
        external_id = derive_external_id(payload) if derived else payload["externalId"]
        payload = {"externalId": external_id, **{k: v for k, v in payload.items() if k != "externalId"}}
        if external_id in seen:
            what = "the same order content" if derived else "the same externalId"
            problems.add("externalId", f"{external_id} has {what} as the order on line {seen[external_id]}", lines[0])
        else:
            seen[external_id] = lines[0]
        rows.append(ImportRow(external_id, payload, source, lines, tuple(problems.errors), derived))
    return ParseResult(source, tuple(rows), tuple(warnings), digest)


# -- CSV ------------------------------------------------------------------------------------


def _column(name: str) -> str | None:
    key = name.strip().lower().replace(" ", "").replace("_", "").replace("-", "")
    return _COLUMN_BY_KEY.get(key)


def _records(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) for every record, blank ones skipped."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as err:
        raise ImportFileError(f"{source} line {reader.line_num}: not valid CSV ({err})") from None


def parse_csv(
    text: str, source: str = "orders.csv", *, digest: str | None = None, default_order_type: str = DEFAULT_ORDER_TYPE
) -> ParseResult:
    records = _records(text, source)
    header = next(records, None)
    if header is None:
        raise ImportFileError(f"{source} is empty: expected a header row with {', '.join(REQUIRED_COLUMNS)}")
    header_line, names = header
    columns: list[str | None] = [_column(n) for n in names]
    warnings = [
        f"{source} line {header_line}: unknown column {n.strip()!r} ignored" for n, c in zip(names, columns) if c is None
    ]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(f"{source} line {header_line}: missing column(s) {', '.join(missing)}")
    if len(set(c for c in columns if c)) != len([c for c in columns if c]):
        raise ImportFileError(f"{source} line {header_line}: a column appears twice")

    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    last_key: tuple[str, ...] = ()
    for line, cells in records:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            warnings.append(f"{source} line {line}: {len(cells) - len(columns)} cell(s) beyond the header ignored")
        row = {c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(columns) if c}
        if row.get("externalId"):
            key: tuple[str, ...] = ("id", row["externalId"])
        elif row.get("orderNumber"):
            key = ("number", row["orderNumber"])
        elif any(row.get(c) for c in ("customerNumber", "poNumber", "orderDate")) or not groups:
            key = ("content", row.get("customerNumber", ""), row.get("poNumber", ""), row.get("orderDate", ""))
        else:
            key = last_key  # no order columns at all: another line of the order above
        last_key = key
        group = groups.setdefault(key, {"fields": {}, "field_lines": {}, "items": [], "lines": [], "conflicts": []})
        for name in ORDER_COLUMNS:
            value = row.get(name, "")
            if not value:
                continue
            if name not in group["fields"]:
                group["fields"][name], group["field_lines"][name] = value, line
            elif group["fields"][name] != value:
                first = group["field_lines"][name]
                group["conflicts"].append(
                    (name, f"{value!r} differs from {group['fields'][name]!r} on line {first} of the same order", line)
                )
        item = {k: row[k] for k in ("sku", "productName", "quantity", "price") if row.get(k)}
        group["items"].append(item)
        group["lines"].append(line)

    built = []
    for group in groups.values():
        fields = group["fields"]
        raw: dict[str, Any] = {k: v for k, v in fields.items() if k not in ("customerNumber", "companyName", "repNumber")}
        customer = {k: fields[k] for k in ("customerNumber", "companyName") if k in fields}
        if customer:
            raw["customer"] = customer
        if "repNumber" in fields:
            raw["primarySalesRep"] = {"repNumber": fields["repNumber"]}
        raw["items"] = group["items"]
        problems = Problems(source)
        for name, message, line in group["conflicts"]:
            problems.add(name, message, line)
        payload = normalise_order(
            raw, problems, line=group["lines"][0], item_lines=group["lines"],
            field_lines=group["field_lines"], default_order_type=default_order_type,
        )
        built.append((payload, problems, tuple(group["lines"])))
    return _finish(source, built, warnings, digest or hashlib.sha256(text.encode()).hexdigest())


# -- JSON -----------------------------------------------------------------------------------

_DECODER = json.JSONDecoder(parse_float=Decimal)
_WS = " \t\r\n"


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _orders_array_start(text: str, source: str) -> int:
    """Where the orders array begins: the top-level list, or the value of ``orders``."""
    pos = _skip(text, 0)
    if text.startswith("[", pos):
        return pos
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)  # past ':'
        if isinstance(key, str) and key.lower() == "orders":
            if not text.startswith("[", pos):
                break
            return pos
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
    raise ImportFileError(f'{source}: expected {{"orders": [...]}} or a list of orders')


def _elements(text: str, start: int) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value) for each element of the array at ``start``."""
    pos = _skip(text, start + 1)
    while pos < len(text) and text[pos] != "]":
        value, end = _DECODER.raw_decode(text, pos)
        yield text.count("\n", 0, pos) + 1, value
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)


def parse_json(
    text: str, source: str = "orders.json", *, digest: str | None = None, default_order_type: str = DEFAULT_ORDER_TYPE
) -> ParseResult:
    try:
        _DECODER.decode(text)  # one pass for a plain-worded syntax error
    except json.JSONDecodeError as err:
        raise ImportFileError(f"{source} line {err.lineno}: not valid JSON ({err.msg})") from None
    built = []
    warnings: list[str] = []
    for line, value in _elements(text, _orders_array_start(text, source)):
        problems = Problems(source)
        if not isinstance(value, dict):
            problems.add("order", "must be an object in the create-order shape", line)
            built.append(({}, problems, (line,)))
            continue
        payload = normalise_order(value, problems, line=line, default_order_type=default_order_type, warn=warnings.append)
        built.append((payload, problems, (line,)))
    return _finish(source, built, warnings, digest or hashlib.sha256(text.encode()).hexdigest())
