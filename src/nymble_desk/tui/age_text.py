"""How long ago something was read, in whole minutes: the one clock sum behind every age on screen
(the drafts' "5m", the status line's "prices 2m old", the stock's "as of 2 min"); each keeps its words."""

from __future__ import annotations

from datetime import datetime, UTC


def minutes_since(moment: datetime, now: datetime | None = None) -> int:
    """Whole minutes from ``moment`` (naive means UTC) to ``now``; 0 for a moment in the future."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0, int(((now or datetime.now(UTC)) - moment).total_seconds() // 60))
