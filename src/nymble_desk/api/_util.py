"""Small helpers shared by the resource modules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from .errors import ApiError, OutcomeUnknown, ServerError, Unreachable
from .retry import Deadline

T = TypeVar("T")
L = TypeVar("L")


def seg(value: str) -> str:
    """One URL path segment, escaped (customer numbers and SKUs may hold `/` or spaces)."""
    return quote(str(value), safe="")


def unwrap(data: Any) -> Any:
    """Some answers wrap the object in `{data: ...}`."""
    if isinstance(data, dict) and isinstance(data.get("data"), dict) and set(data) <= {"data", "links", "meta"}:
        return data["data"]
    return data


async def find_out(check: Awaitable[T], lost: OutcomeUnknown, what: str) -> T:
    """Run a reconciling read after an ambiguous unsafe call; if it fails too, the outcome stays unknown."""
    try:
        return await check
    except OutcomeUnknown:
        raise
    except ApiError as exc:
        raise OutcomeUnknown(
            f"{what}: {lost.detail}; checking the result failed too ({exc.message})",
            status=lost.status, cause=exc,
        ) from exc


def not_landed(lost: OutcomeUnknown, what: str) -> ApiError:
    """The error to raise when reconciling proved an unsafe call did nothing and the budget is spent."""
    if isinstance(lost.cause, ApiError) and lost.status is not None:
        return ServerError(lost.status, lost.cause.title, f"{what} was not done: {lost.cause.detail or ''}".strip(),
                           lost.cause.errors)
    return Unreachable(f"{what} was not done: {lost.detail}", cause=lost.cause)


async def send_once(
    what: str,
    send: Callable[[Deadline], Awaitable[T]],
    landed: Callable[[OutcomeUnknown, Deadline], Awaitable[L | None]],
    deadline: Deadline,
    max_attempts: int,
) -> T | L:
    """An unsafe call that must happen at most once: send; after a lost reply ask ``landed`` what the server
    holds (what the call made: it landed; None: it did not, send again within the budget; or it raises,
    say a conflict the reply would have carried). The one lost-reply loop of the client."""
    sends = 0
    while True:
        sends += 1
        try:
            return await send(deadline)
        except OutcomeUnknown as lost:
            found = await landed(lost, deadline)
            if found is not None:
                return found
            if sends >= max_attempts or not await deadline.pause(sends, lost.retry_after):
                raise not_landed(lost, what) from lost
