"""The CSV format's columns, and one order made from its lines (the second pass of :mod:`.parse`).

An order's lines each give its order columns (blank after the first line, or the same value
again: a different one is an error naming both lines) and one item (``sku``, ``productName``,
``quantity``, ``price``); a line that repeats another line's item exactly is an error, or with
``merge_duplicates`` kept once.  The column positions are worked out once per file, not per line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from nymble_desk.importer.normalise import normalise_columns
from nymble_desk.importer.rows import Problems
from nymble_desk.importer.spool import Record

CSV_COLUMNS = (
    "externalId", "orderNumber", "orderDate", "customerNumber", "companyName", "poNumber", "orderType",
    "priceTier", "currencyCode", "repNumber", "terms", "channel", "notes", "sku", "productName", "quantity", "price",
)
ORDER_COLUMNS = CSV_COLUMNS[: CSV_COLUMNS.index("sku")]
ITEM_COLUMNS = CSV_COLUMNS[CSV_COLUMNS.index("sku"):]
REQUIRED_COLUMNS = ("customerNumber", "poNumber", "priceTier", "currencyCode", "repNumber", "sku", "quantity", "price")
_ABSENT = sys.maxsize  # the position of a column the file lacks: past the end of every line


class CsvOrders:
    """Makes the payload of each order of one file from its records (as the spool groups them)."""

    def __init__(self, columns: list[str | None], source: str, default_order_type: str, merge_duplicates: bool,
                 warn: Callable[[str], None]) -> None:
        self.source, self.default_order_type = source, default_order_type
        self.merge_duplicates, self.warn = merge_duplicates, warn
        # the file's order columns, in the order their problems are listed
        self.order_columns = [(c, columns.index(c)) for c in ORDER_COLUMNS if c in columns]
        self.items_at = tuple(columns.index(c) if c in columns else _ABSENT for c in ITEM_COLUMNS)

    def order(self, group: list[Record]) -> tuple[dict[str, Any], Problems, tuple[int, ...]]:
        """The payload of the order whose records are ``group`` (in file order), its problems and lines."""
        fields: dict[str, str] = {}
        field_lines: dict[str, int] = {}
        items: list[dict[str, Any]] = []
        lines: list[int] = []
        problems = Problems(self.source)
        seen_items: dict[tuple[str, str, str, str], int] = {}
        sku_at, name_at, quantity_at, price_at = self.items_at
        for line, cells, problem in group:
            width = len(cells)
            if problem:
                name, _, message = problem.partition("|")
                problems.add(name, message, line)
            for name, i in self.order_columns:
                if i >= width or not (value := cells[i].strip()):
                    continue
                if (first := fields.get(name)) is None:
                    fields[name], field_lines[name] = value, line
                elif first != value:
                    problems.add(name, f"{value!r} differs from {first!r} on line {field_lines[name]} "
                                       f"of the same order", line)
            same = (sku := cells[sku_at].strip() if sku_at < width else "",
                    name := cells[name_at].strip() if name_at < width else "",
                    quantity := cells[quantity_at].strip() if quantity_at < width else "",
                    price := cells[price_at].strip() if price_at < width else "")
            item: dict[str, Any] = {}  # the line's non-empty item cells, in ITEM_COLUMNS' order
            if sku:
                item["sku"] = sku
            if name:
                item["productName"] = name
            if quantity:
                item["quantity"] = quantity
            if price:
                item["price"] = price
            if item and same in seen_items:
                first_line = seen_items[same]
                if self.merge_duplicates:
                    self.warn(f"{self.source} line {line}: repeats line {first_line} of the same order: merged "
                              f"(kept once)")
                    continue
                problems.add("sku", f"line {line} repeats line {first_line} of the same order (same sku, quantity "
                                    f"and price): remove it, or pass --merge-duplicates to keep it once", line)
            elif item:
                seen_items[same] = line
            items.append(item)
            lines.append(line)
        payload = normalise_columns(fields, field_lines, items, lines, problems,
                                    default_order_type=self.default_order_type)
        return payload, problems, tuple(lines)
