"""Exceptions raised by the API client.

Every failure the client reports is an :class:`ApiError`, so a caller can catch
one type.  Problem-details answers (RFC 9110) become the status-specific
subclasses; :class:`Unreachable` means nothing reached the server (or it is safe
to say so); :class:`OutcomeUnknown` means an unsafe call may or may not have
taken effect and reconciling could not tell which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx


class ApiError(Exception):
    """A failed API call: `status` (None when no HTTP answer), `title`, `detail`, field `errors`."""

    def __init__(
        self,
        status: int | None,
        title: str,
        detail: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.errors: dict[str, list[str]] = dict(errors or {})
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The error in plain words, with the fields at fault."""
        parts = [self.title]
        if self.detail and self.detail != self.title:
            parts.append(self.detail)
        text = ": ".join(parts)
        if self.errors and not all(m in text for msgs in self.errors.values() for m in msgs):
            fields = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items())
            text = f"{text} ({fields})"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, title={self.title!r}, detail={self.detail!r})"


class BadRequest(ApiError):
    """400 or 422: the request was refused as invalid; see `errors` for the fields."""


class Unauthorized(ApiError):
    """401: missing, expired or refused credentials (after one re-login, when credentials are known)."""


class Forbidden(ApiError):
    """403: the token's role may not do this."""


class NotFound(ApiError):
    """404: unknown, or belongs to another organisation."""


class Conflict(ApiError):
    """409: for example a second active cart, or a change to a completed cart."""


class RateLimited(ApiError):
    """429 that outlasted the retry budget; `retry_after` is the server's wait in seconds."""

    def __init__(self, status: int | None, title: str, detail: str | None = None,
                 errors: dict[str, list[str]] | None = None, *, retry_after: float | None = None) -> None:
        super().__init__(status, title, detail, errors)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx on a safe call that outlasted the retry budget."""


class Unreachable(ApiError):
    """The server could not be reached: nothing was sent, or the call was safe to give up on."""

    def __init__(self, detail: str, *, cause: BaseException | None = None) -> None:
        super().__init__(None, "Server unreachable", detail)
        self.cause = cause


class OutcomeUnknown(ApiError):
    """An unsafe call was sent but its result is unknown and could not be found out.

    `retry_after` carries a server-advised wait when the ambiguous answer had one.
    """

    def __init__(self, detail: str, *, status: int | None = None, cause: BaseException | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(status, "Outcome unknown", detail)
        self.cause = cause
        self.retry_after = retry_after


class LineMismatch(Conflict, OutcomeUnknown):
    """After a lost reply to an add, the cart line holds neither the old nor the expected quantity.

    Someone else changed the line meanwhile; the client will not guess.  Both a
    :class:`Conflict` and an :class:`OutcomeUnknown`.
    """

    def __init__(self, sku: str, *, known: int, expected: int, found: int) -> None:
        ApiError.__init__(
            self, 409, "Cart line changed elsewhere",
            f"{sku}: expected quantity {known} (before) or {expected} (after the add), found {found}",
        )
        self.cause = None
        self.retry_after = None
        self.sku = sku
        self.known = known
        self.expected = expected
        self.found = found


#: Failures after which the same call may succeed later (network down, lost reply, 5xx, 429):
#: queued work stays queued. Anything else is an answer the caller must act on.
TRANSIENT = (Unreachable, OutcomeUnknown, ServerError, RateLimited)


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
    status = response.status_code
    body: Any = None
    try:
        body = response.json()
    except ValueError:
        body = None
    title = response.reason_phrase or f"HTTP {status}"
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
    elif response.text:
        detail = response.text[:200]
    if status == 429:
        return RateLimited(status, title, detail, errors,
                           retry_after=parse_retry_after(response.headers.get("Retry-After")))
    if status >= 500:
        return ServerError(status, title, detail, errors)
    return _BY_STATUS.get(status, ApiError)(status, title, detail, errors)
