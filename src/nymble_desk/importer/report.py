"""What an import did: created / updated / rejected counts and the reason for each
rejected order, as plain text for the terminal or JSON for scripts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from nymble_desk.importer.rows import ImportRow

Status = Literal["created", "updated", "rejected"]
STATUSES: tuple[Status, ...] = ("created", "updated", "rejected")


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


@dataclass
class ImportReport:
    source: str
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def reject(self, row: ImportRow, reasons: list[str] | tuple[str, ...]) -> None:
        self.add(Outcome(row.external_id, "rejected", None, tuple(reasons), row.lines))

    def reject_invalid(self, rows: tuple[ImportRow, ...] | list[ImportRow]) -> None:
        """Record the rows that failed validation (never sent), with every problem found."""
        for row in rows:
            if not row.ok:
                self.reject(row, tuple(str(e) for e in row.errors))

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in STATUSES}

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "rejected"]

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        c = self.counts
        total = len(self.outcomes)
        noun = "order" if total == 1 else "orders"
        text = f"{self.source}: {total} {noun}: {c['created']} created, {c['updated']} updated, {c['rejected']} rejected"
        skipped = sum(1 for o in self.outcomes if o.previous_run)
        return text + (f" ({skipped} already imported by an earlier run)" if skipped else "")

    def to_text(self) -> str:
        out = [self.summary()]
        if self.rejected:
            out.append("Rejected:")
            for o in self.rejected:
                where = f"line {o.lines[0]}" if o.lines else "order"
                out.append(f"  {where} ({o.external_id}):")
                out.extend(f"    {reason}" for reason in o.reasons)
        if self.warnings:
            out.append("Warnings:")
            out.extend(f"  {w}" for w in self.warnings)
        return "\n".join(out)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "counts": self.counts,
            "orders": [
                {
                    "externalId": o.external_id,
                    "status": o.status,
                    "orderNumber": o.order_number,
                    "lines": list(o.lines),
                    "reasons": list(o.reasons),
                    "previousRun": o.previous_run,
                }
                for o in self.outcomes
            ],
            "warnings": list(self.warnings),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), indent=indent, ensure_ascii=False)
