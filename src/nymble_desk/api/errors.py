"""Exceptions raised by the API client, and reading them from an HTTP answer.

The classes live in :mod:`nymble_desk.errors` (stdlib only, shared with the domain's refusals);
they are re-exported here so ``from nymble_desk.api.errors import Unreachable`` keeps working.

Every failure the client reports is an :class:`ApiError`, so a caller can catch
one type.  Problem-details answers (RFC 9110) become the status-specific
subclasses; :class:`Unreachable` means nothing reached the server (or it is safe
to say so); :class:`OutcomeUnknown` means an unsafe call may or may not have
taken effect and reconciling could not tell which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nymble_desk.errors import (
    TRANSIENT,
    ApiError,
    BadRequest,
    Conflict,
    Forbidden,
    LineMismatch,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "TRANSIENT", "ApiError", "BadRequest", "Conflict", "Forbidden", "LineMismatch", "NotFound", "OutcomeUnknown",
    "RateLimited", "ServerError", "Unauthorized", "Unreachable", "error_from_answer", "error_from_response",
    "parse_retry_after",
]


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict, 422: BadRequest,
}


def _case_get(body: dict[str, Any], key: str) -> Any:
    for k, v in body.items():
        if k.lower() == key:
            return v
    return None


def _field_errors(raw: Any) -> dict[str, list[str]]:
    """`errors` as `{field: [msg, ...]}`; FastAPI's `[{loc, msg}]` list is accepted too."""
    out: dict[str, list[str]] = {}
    if isinstance(raw, dict):
        for field, msgs in raw.items():
            if isinstance(msgs, list):
                out[str(field)] = [str(m) for m in msgs]
            else:
                out[str(field)] = [str(msgs)]
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path")]
                field = ".".join(loc) or "request"
                out.setdefault(field, []).append(str(item.get("msg", item)))
    return out


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from datetime import UTC, datetime
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def error_from_response(response: httpx.Response) -> ApiError:
    """The exception for a non-2xx answer, from its problem-details body when it has one."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    return error_from_answer(response.status_code, response.reason_phrase, body, response.text,
                             response.headers.get("Retry-After"))


def error_from_answer(status: int, reason: str, body: Any, text: str, retry_after: str | None) -> ApiError:
    """The exception for a non-2xx answer from its parts: the reason phrase, the body parsed as JSON (None
    when it is not), its text, the Retry-After header.  For clients other than httpx (the index fill's child
    reads pages with http.client) as for :func:`error_from_response`."""
    title = reason or f"HTTP {status}"
    detail: str | None = None
    errors: dict[str, list[str]] = {}
    if isinstance(body, dict):
        title = str(_case_get(body, "title") or title)
        raw_detail = _case_get(body, "detail")
        if isinstance(raw_detail, list):  # FastAPI's default validation shape
            errors = _field_errors(raw_detail)
        elif raw_detail is not None:
            detail = str(raw_detail)
        errors.update(_field_errors(_case_get(body, "errors")))
    elif text:
        detail = text[:200]
    if status == 429:
        return RateLimited(status, title, detail, errors, retry_after=parse_retry_after(retry_after))
    if status >= 500:
        return ServerError(status, title, detail, errors)
    return _BY_STATUS.get(status, ApiError)(status, title, detail, errors)
