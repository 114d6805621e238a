"""The request loop: bearer token, one re-login on 401, retries within a deadline.

Safe calls (GET, PUT, DELETE, and any call marked idempotent) are retried on
connection errors, timeouts, 429 and 5xx with exponential backoff plus jitter,
honouring Retry-After up to a cap.  An unsafe call is retried only when nothing
reached the server (connection refused, connect timeout) or the server said it
did nothing (429, 401 before a re-login); any other failure after sending raises
:class:`OutcomeUnknown`, for the resource module to reconcile.  Request bodies are
never logged: a checkout body holds a card number.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

import httpx

from .. import __version__
from .wire import decode, encode
from .auth import Credentials, Token, parse_login
from .errors import (
    OutcomeUnknown,
    Unauthorized,
    Unreachable,
    error_from_response,
    parse_retry_after,
)
from .retry import Deadline, RetryPolicy

log = logging.getLogger("nymble_desk.api")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: Failures that prove the request never left: a repeat cannot double anything.
NOTHING_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
#: Failures a retry cannot cure (a base URL without http:// or https://).
HOPELESS = (httpx.UnsupportedProtocol,)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class HttpCore:
    """One httpx.AsyncClient, the token, and the retry loop every resource call goes through."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials | None = None,
        *,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._token: Token | None = Token(token) if token else None
        self._login_lock = asyncio.Lock()
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={"Accept": "application/json", "User-Agent": f"nymble-desk/{__version__}"},
        )

    @property
    def token(self) -> Token | None:
        return self._token

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- sign-in -------------------------------------------------------------------------------

    async def login(self) -> Token:
        """Sign in with the stored credentials.  Retried only when the connection failed."""
        if self.credentials is None:
            raise Unauthorized(None, "Not signed in", "no credentials to sign in with")
        content = encode(self.credentials.login_body())
        deadline = self.retry.start()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._client.post(
                    "/api/auth/login", content=content, headers={"Content-Type": "application/json"},
                    timeout=deadline.timeout(self.timeout),
                )
            except NOTHING_SENT as exc:
                log.info("login: %s (attempt %d)", _describe(exc), attempt)
                if not isinstance(exc, HOPELESS) and attempt < self.retry.max_attempts \
                        and await deadline.pause(attempt):
                    continue
                raise Unreachable(f"sign-in: {_describe(exc)}", cause=exc) from exc
            except httpx.TransportError as exc:
                raise Unreachable(f"sign-in: {_describe(exc)}", cause=exc) from exc
            log.info("login -> %d", response.status_code)
            if not response.is_success:
                raise error_from_response(response)
            try:
                self._token = parse_login(decode(response.content), self.retry.clock())
            except ValueError as exc:
                raise Unauthorized(response.status_code, "Sign-in answer not understood", str(exc)) from exc
            return self._token

    async def _current_token(self) -> str:
        token = self._token
        if token is not None and not token.expired(self.retry.clock()):
            return token.access_token
        if self.credentials is None:
            if token is not None:  # a token given by the caller: let the server judge it
                return token.access_token
            raise Unauthorized(None, "Not signed in", "no token and no credentials")
        async with self._login_lock:
            if self._token is token:  # nobody signed in while we waited
                await self.login()
        assert self._token is not None
        return self._token.access_token

    async def _relogin(self, used: str) -> None:
        async with self._login_lock:
            if self._token is None or self._token.access_token == used:
                await self.login()

    # -- the loop ------------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        content: bytes | None = None,
        params: list[tuple[str, str]] | None = None,
        idempotent: bool | None = None,
        deadline: Deadline | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Send one API call and return its decoded JSON body (None when empty).

        `content` is a JSON body already encoded (instead of `body`);
        `idempotent` overrides the method's default (GET/PUT/DELETE safe, POST not);
        `timeout` replaces the client's per-request timeout for this call.
        Raises an :class:`~nymble_desk.api.errors.ApiError` subclass on failure.
        """
        method = method.upper()
        safe = (method in SAFE_METHODS) if idempotent is None else idempotent
        if body is not None:
            content = encode(body)
        per_request = self.timeout if timeout is None else timeout
        if deadline is None:  # a call with its own timeout gets a budget of that many tries of it
            deadline = self.retry.start() if timeout is None else Deadline(
                replace(self.retry, deadline=max(self.retry.deadline, timeout * self.retry.max_attempts)))
        attempt = 0
        relogged = False
        while True:
            attempt += 1
            used = await self._current_token()
            headers = {"Authorization": f"Bearer {used}"}
            if content is not None:
                headers["Content-Type"] = "application/json"
            started = self.retry.clock()
            try:
                response = await self._client.request(
                    method, path, content=content, params=None if params is None else tuple(params), headers=headers,
                    timeout=deadline.timeout(per_request),
                )
            except httpx.TransportError as exc:
                sent = not isinstance(exc, NOTHING_SENT)
                log.info("%s %s: %s (attempt %d)", method, path, _describe(exc), attempt)
                if sent and not safe:
                    raise OutcomeUnknown(f"{method} {path}: {_describe(exc)}", cause=exc) from exc
                if isinstance(exc, HOPELESS):
                    raise Unreachable(f"{self.base_url}: {_describe(exc)}", cause=exc) from exc
                if attempt < self.retry.max_attempts and await deadline.pause(attempt):
                    continue
                raise Unreachable(f"{method} {path}: {_describe(exc)}", cause=exc) from exc

            status = response.status_code
            log.debug("%s %s -> %d (attempt %d, %.0f ms)", method, path, status, attempt,
                      (self.retry.clock() - started) * 1000)
            if status == 401 and self.credentials is not None and not relogged:
                relogged = True
                attempt -= 1  # a re-login is not a retry
                await self._relogin(used)
                continue
            if response.is_success:
                return decode(response.content)

            error = error_from_response(response)
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if status == 429 or (status >= 500 and safe):
                log.info("%s %s -> %d (attempt %d, retry-after %s)", method, path, status, attempt, retry_after)
                if attempt < self.retry.max_attempts and await deadline.pause(attempt, retry_after):
                    continue
                raise error
            if status >= 500:
                raise OutcomeUnknown(f"{method} {path}: {error.message}", status=status, cause=error,
                                     retry_after=retry_after)
            raise error
