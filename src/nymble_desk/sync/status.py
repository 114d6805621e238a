"""What the sync layer tells the rep: online or not, what is queued, the last problem, how fresh prices are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    queued: int
    last_error: str | None
    prices_as_of: datetime | None

    @property
    def summary(self) -> str:
        """One line for a status bar, in plain words (no colour needed to read it)."""
        parts = ["online" if self.online else "OFFLINE"]
        if self.queued:
            parts.append(f"{self.queued} change{'s' if self.queued != 1 else ''} queued")
        if self.last_error:
            parts.append(f"! {self.last_error}")
        return " | ".join(parts)


@dataclass
class SyncReport:
    """What one :meth:`SyncEngine.run_once` did."""

    ops_done: int = 0
    calls: int = 0
    placed: dict[str, str] = field(default_factory=dict)           # draft id -> order number
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # draft id -> plain-words conflicts
    failed: dict[str, str] = field(default_factory=dict)           # draft id -> why the server refused
    errors: list[str] = field(default_factory=list)                # transient problems (will retry)
    remaining: int = 0                                              # ops still queued afterwards

    @property
    def clean(self) -> bool:
        return not (self.conflicts or self.failed or self.errors) and self.remaining == 0
