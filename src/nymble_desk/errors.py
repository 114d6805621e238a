"""Every error the desk raises for an API answer or a refused rule, and the one way to say it.

Why here, at the top of the package rather than in api/ or domain/: both layers raise these and
every layer above catches them, so the module belongs to none of them; it imports the standard
library only (nothing at all at run time), so a screen, the importer or a CLI can catch an API
error without paying for httpx or pydantic, and the domain can raise its own without reaching
"up" into api/.  Catch these by TYPE (``except Unreachable``), never by class name.

:func:`in_plain_words` is the only function that turns an error, of any type, into the rep's
words; screens, the sync layer and the CLIs call it rather than reading attributes themselves.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nymble_desk.domain.pricing import QuantityCheck

# --- the API client's errors ---------------------------------------------------------------------

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



# --- refusals by the desk's own rules (nothing was sent) -----------------------------------------


class QuantityError(ValueError):
    """A typed quantity that cannot be used; ``field`` names the field, ``message`` says why.

    ``reason`` is the message without the field's name (``must be at least 1, not 0``), for callers
    that name the field their own way (the importer's ``orders.csv line 3: quantity: ...``)."""

    def __init__(self, message: str, field: str = "quantity", reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reason = reason or message


class EntryError(ValueError):
    """The entry could not be read; ``message`` says why in plain words."""

    def __init__(self, message: str, field: str = "entry") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class QuantityRejected(ValueError):
    """A cart quantity the product's rule (minimum, increment) refuses; ``check`` says why."""

    def __init__(self, check: QuantityCheck, sku: str | None = None, quantity: int | None = None) -> None:
        self.check, self.sku, self.quantity = check, sku, quantity
        super().__init__(check.reason or "quantity refused")


class CustomerInactive(Exception):
    def __init__(self, customer_number: str) -> None:
        self.customer_number = customer_number
        super().__init__(f"{customer_number} is inactive and cannot place orders")


class Refused(ValueError):
    """The lifecycle rules refuse this action; nothing was sent."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        self.reason, self.field = reason, field
        super().__init__(reason)


class DraftNotFound(LookupError):
    pass


class DraftClosed(RuntimeError):
    """The draft was submitted, discarded or is being submitted: it cannot change any more."""


# --- the rep's words -------------------------------------------------------------------------------

OFFLINE = "the API is unreachable (offline)"


def _loaded_type(module: str, name: str) -> type[BaseException] | None:
    """A third-party exception class, only if its module is already imported.

    An error cannot be an instance of a class whose module was never loaded, so checking the
    type this way is exact and keeps this module free of httpx and pydantic."""
    loaded = sys.modules.get(module)
    found = getattr(loaded, name, None) if loaded is not None else None
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def is_offline(error: BaseException) -> bool:
    """True when nothing reached the API: :class:`Unreachable`, a refused or timed-out connection."""
    if isinstance(error, (Unreachable, ConnectionError, TimeoutError)):
        return True
    transport = _loaded_type("httpx", "TransportError")
    return transport is not None and isinstance(error, transport)


def _validation_words(error: BaseException) -> str | None:
    invalid = _loaded_type("pydantic_core", "ValidationError")
    if invalid is None or not isinstance(error, invalid):
        return None
    problems = []
    for item in error.errors():  # type: ignore[attr-defined]  # pydantic_core.ValidationError.errors()
        where = ".".join(str(part) for part in item.get("loc", ()))
        problems.append(f"{where}: {item.get('msg', '')}" if where else str(item.get("msg", "")))
    return "not valid: " + "; ".join(problems)


def in_plain_words(error: BaseException | None) -> str:
    """Any error as the rep should read it: the field first when one is at fault, never a traceback.

    - nothing reached the API (Unreachable, a refused connection, a timeout): ``OFFLINE``;
    - the API named fields (a 400/422): ``field: message; field: message``;
    - any other API answer: its title and detail (``ApiError.message``);
    - a rule of the desk (quantity, entry, lifecycle): its own sentence;
    - a settings or reply model that does not validate: ``not valid: field: message``;
    - anything else: its text, or the kind of error when it has none.
    """
    if error is None:
        return "unknown error"
    if is_offline(error):
        return OFFLINE
    if isinstance(error, ApiError):
        if error.errors:
            return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.errors.items())
        return error.message
    if isinstance(error, (QuantityError, EntryError)):
        return error.message
    if isinstance(error, Refused):
        return error.reason
    validation = _validation_words(error)
    if validation is not None:
        return validation
    return str(error) or f"unexpected error ({type(error).__name__}); see the log"
