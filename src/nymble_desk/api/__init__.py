"""The typed async client of the Nymble Commerce API (httpx + pydantic; no Textual, nothing sandbox-specific).

Names load on first use, so `nymble_desk.api.models` or `.errors` can be imported
without paying for httpx.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOME = {
    "Credentials": "auth", "Token": "auth", "TokenClaims": "auth",
    "NymbleClient": "client",
    "ApiError": "errors", "BadRequest": "errors", "Conflict": "errors", "Forbidden": "errors",
    "LineMismatch": "errors", "NotFound": "errors", "OutcomeUnknown": "errors", "RateLimited": "errors",
    "ServerError": "errors", "Unauthorized": "errors", "Unreachable": "errors",
    "Filter": "paging",
    "RetryPolicy": "retry",
}

# Spelled out (not sorted(_HOME)) so that type checkers see these as the package's exports.
__all__ = [
    "ApiError", "BadRequest", "Conflict", "Credentials", "Filter", "Forbidden", "LineMismatch", "NotFound",
    "NymbleClient", "OutcomeUnknown", "RateLimited", "RetryPolicy", "ServerError", "Token", "TokenClaims",
    "Unauthorized", "Unreachable",
]

if TYPE_CHECKING:
    from .auth import Credentials, Token, TokenClaims
    from .client import NymbleClient
    from .errors import (
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
    from .paging import Filter
    from .retry import RetryPolicy


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
