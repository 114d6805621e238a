"""What an import did: created / updated / rejected counts (this run), the orders an earlier
run had already imported (skipped, not sent again), and the reason for each rejected order,
as plain text for the terminal or JSON for scripts.

Outcomes go to a private temporary SQLite file (a row of columns each, a batch at one write),
not a list: a report of a million orders costs a few counters in memory, and
:meth:`ImportReport.write_text` / :meth:`write_json` stream it out in file order.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from nymble_desk.importer.rows import ImportRow

Status = Literal["created", "updated", "rejected", "ready"]
STATUSES: tuple[Status, ...] = ("created", "updated", "rejected", "ready")  # ready: a dry run's "would send"
COUNTS = ("created", "updated", "rejected", "skipped")
DRY_COUNTS = ("ready", "rejected")


@dataclass(frozen=True)
class Outcome:
    external_id: str
    status: Status
    order_number: str | None = None
    reasons: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()
    previous_run: bool = False  # acknowledged by an earlier run and skipped this time

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
        if self.status == "rejected" and not self.reasons:
            raise ValueError("a rejected order needs a reason")

    @property
    def counted_as(self) -> str:
        """``skipped`` for an order an earlier run imported: this run neither created nor updated it."""
        return "skipped" if self.previous_run and self.status != "rejected" else self.status


class ImportReport:
    def __init__(self, source: str, outcomes: list[Outcome] | None = None, warnings: list[str] | None = None,
                 *, dry_run: bool = False, note: str = "") -> None:
        self.source = source
        self.dry_run = dry_run
        self.note = note  # what the dry run checked, in a few words
        self.warnings: list[str] = list(warnings or [])
        self._db = sqlite3.connect("", check_same_thread=False)
        self._db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048;"
                               "CREATE TABLE o (seq INTEGER PRIMARY KEY, line INTEGER, rejected INTEGER, ext TEXT, "
                               "status TEXT, number TEXT, reasons TEXT, lines TEXT, previous INTEGER);")
        self._counts = dict.fromkeys(DRY_COUNTS if dry_run else COUNTS, 0)
        for outcome in outcomes or []:
            self.add(outcome)

    def add(self, outcome: Outcome) -> None:
        self.add_all((outcome,))

    def add_all(self, outcomes: Iterable[Outcome]) -> None:
        """Record ``outcomes`` (a batch's, in file order) with one write."""
        counts = self._counts
        counted: list[str] = []
        rows = []
        for o in outcomes:
            if (as_ := o.counted_as) not in counts:
                raise ValueError(f"a {'dry run' if self.dry_run else 'run'} has no {as_!r} orders")
            counted.append(as_)
            rows.append((o.lines[0] if o.lines else 0, int(o.status == "rejected"), o.external_id, o.status,
                         o.order_number, json.dumps(o.reasons) if o.reasons else None,
                         ",".join(map(str, o.lines)), int(o.previous_run)))
        self._db.executemany("INSERT INTO o (line, rejected, ext, status, number, reasons, lines, previous) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        for as_ in counted:
            counts[as_] += 1

    def reject(self, row: ImportRow, reasons: list[str] | tuple[str, ...]) -> None:
        self.add(Outcome(row.external_id, "rejected", None, tuple(reasons), row.lines))

    def reject_invalid(self, rows: Iterable[ImportRow]) -> None:
        """Record the rows that failed validation (never sent), with every problem found."""
        for row in rows:
            if not row.ok:
                self.reject(row, tuple(str(e) for e in row.errors))

    def _iter(self, *, rejected_only: bool = False) -> Iterator[Outcome]:
        where = " WHERE rejected = 1" if rejected_only else ""
        last = (-1, -1)
        while True:  # keyset pages, so a million outcomes never sit in memory at once
            got = self._db.execute(f"SELECT line, seq, ext, status, number, reasons, lines, previous FROM o{where}"
                                   f"{' AND' if where else ' WHERE'} (line, seq) > (?, ?) ORDER BY line, seq "
                                   "LIMIT 1000", last).fetchall()
            if not got:
                return
            for line, seq, ext, status, number, reasons, lines, previous in got:
                last = (line, seq)
                yield Outcome(ext, status, number, tuple(json.loads(reasons)) if reasons else (),
                              tuple(int(n) for n in lines.split(",")) if lines else (), bool(previous))

    @property
    def outcomes(self) -> list[Outcome]:
        """Every outcome in file order (small reports and tests; the writers stream)."""
        return list(self._iter())

    @property
    def rejected(self) -> list[Outcome]:
        return list(self._iter(rejected_only=True))

    def count(self, status: str) -> int:
        return self._counts[status]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    @property
    def total(self) -> int:
        return sum(self._counts.values())

    @property
    def ok(self) -> bool:
        return not self._counts["rejected"]

    def summary(self) -> str:
        c = self._counts
        total = self.total
        noun = "order" if total == 1 else "orders"
        if self.dry_run:
            return (f"{self.source}: dry run, nothing sent: {total} {noun}: {c['ready']} ready to send, "
                    f"{c['rejected']} rejected" + (f" ({self.note})" if self.note else ""))
        text = (
            f"{self.source}: {total} {noun}: {c['created']} created, {c['updated']} updated, {c['rejected']} rejected"
        )
        return text + (f", {c['skipped']} already imported by an earlier run (not sent again)" if c["skipped"] else "")

    def write_text(self, out: TextIO) -> None:
        out.write(self.summary())
        if self._counts["rejected"]:
            out.write("\nRejected:")
            for o in self._iter(rejected_only=True):
                where = f"line {o.lines[0]}" if o.lines else "order"
                out.write(f"\n  {where} ({o.external_id}):")
                for reason in o.reasons:
                    out.write(f"\n    {reason}")
        if self.warnings:
            out.write("\nWarnings:")
            for w in self.warnings:
                out.write(f"\n  {w}")

    def to_text(self) -> str:
        buf = io.StringIO()
        self.write_text(buf)
        return buf.getvalue()

    @staticmethod
    def _order(o: Outcome) -> dict[str, Any]:
        return {"externalId": o.external_id, "status": o.status, "orderNumber": o.order_number,
                "lines": list(o.lines), "reasons": list(o.reasons), "previousRun": o.previous_run}

    def as_dict(self) -> dict[str, Any]:
        return {**self.as_head(), "orders": [self._order(o) for o in self._iter()], "warnings": list(self.warnings)}

    def as_head(self) -> dict[str, Any]:
        return {"source": self.source, **({"dryRun": True, "checked": self.note} if self.dry_run else {}),
                "counts": self.counts}

    def write_json(self, out: TextIO) -> None:
        """The JSON document of :meth:`as_dict`, one order a line, streamed."""
        head = json.dumps({k: v for k, v in self.as_head().items()}, ensure_ascii=False)
        out.write(head[:-1] + ', "orders": [')
        for n, o in enumerate(self._iter()):
            out.write(("," if n else "") + "\n  " + json.dumps(self._order(o), ensure_ascii=False))
        out.write(f'\n], "warnings": {json.dumps(self.warnings, ensure_ascii=False)}}}')

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), indent=indent, ensure_ascii=False)

    def close(self) -> None:
        self._db.close()
