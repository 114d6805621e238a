"""The typed async client of the Nymble Commerce API (httpx + pydantic; no Textual, nothing sandbox-specific)."""

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

__all__ = [
    "ApiError", "BadRequest", "Conflict", "Credentials", "Filter", "Forbidden", "LineMismatch", "NotFound",
    "NymbleClient", "OutcomeUnknown", "RateLimited", "RetryPolicy", "ServerError", "Token", "TokenClaims",
    "Unauthorized", "Unreachable",
]
