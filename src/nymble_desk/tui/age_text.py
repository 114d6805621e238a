"""How long ago something was read: the one clock sum and the one coarse scale behind every age on screen
(the drafts' "5m", the status line's "prices 2m old", the stock's "as of 2 min"); each keeps its words."""

from __future__ import annotations

from datetime import datetime, UTC


def minutes_since(moment: datetime, now: datetime | None = None) -> int:
    """Whole minutes from ``moment`` (naive means UTC) to ``now``; 0 for a moment in the future."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0, int(((now or datetime.now(UTC)) - moment).total_seconds() // 60))


def coarse_age(moment: datetime, now: datetime | None = None, *, hours_below: int = 48) -> tuple[int, str] | None:
    """``moment``'s age on a coarse scale: ``(n, "m")`` under an hour, ``(n, "h")`` under ``hours_below``
    hours, else ``(n, "d")``; None under a minute (an age that ticks every second is noise)."""
    minutes = minutes_since(moment, now)
    if minutes < 1:
        return None
    if minutes < 60:
        return minutes, "m"
    if minutes < hours_below * 60:
        return minutes // 60, "h"
    return minutes // 1440, "d"
