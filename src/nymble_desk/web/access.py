"""Who may reach `nymble-desk web`: the access token, the session cookie and the checks on every request.

On loopback (the default) no token is asked for, unless one is given. On any other address a token is
required on every request, loopback ones included. The browser brings it once, in the address printed at
start (``/?token=...``); the server answers with a session cookie (HttpOnly, SameSite=Strict; an HMAC of the
token, not the token) and a redirect to the same page without the token, so neither the page, the address
bar's history nor the server's log holds it. Comparisons are constant-time (hmac.compare_digest).

Two more checks close the holes a loopback server has without a token: the Host header must name the
address the desk listens on or a loopback name (a DNS-rebinding page names its own host), and the
terminal's websocket must come from the desk's own page (Origin equal to the host).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

COOKIE = "nymble_desk_web"
TOKEN_PARAM = "token"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
REFUSED = ("403 Forbidden: this desk needs its access token. Open the address that `nymble-desk web` printed "
           "when it started (it ends in ?token=...).\n")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """Whether ``host`` (as given to --host) only listens on this machine."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def session_value(token: str) -> str:
    """The cookie's value: proves the token was shown once, without being the token."""
    return hmac.new(token.encode(), b"nymble-desk web session", "sha256").hexdigest()


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True)
class AccessPolicy:
    bind_host: str
    token: str | None  # None: no token asked (loopback only)

    @classmethod
    def for_host(cls, host: str, token: str | None) -> AccessPolicy:
        """The policy for ``--host``: a token is generated when none is given and the host is not loopback."""
        if token is None and not is_loopback(host):
            token = new_token()
        return cls(host, token or None)

    def host_allowed(self, request_host: str) -> bool:
        if self.token is not None:  # the token guards it, whatever name the browser used (the cookie is per host)
            return True
        name = urlsplit(f"//{request_host}").hostname or ""
        return name in LOOPBACK_NAMES or name == self.bind_host.strip("[]").lower()

    def has_session(self, request: web.Request) -> bool:
        return self.token is not None and _same(request.cookies.get(COOKIE), session_value(self.token))

    def middleware(self) -> Middleware:
        @web.middleware
        async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self.host_allowed(request.host):
                return web.Response(status=403, text="403 Forbidden: unknown host name.\n")
            if request.path == "/ws":
                origin = request.headers.get("Origin")
                if origin is not None and urlsplit(origin).netloc != request.host:
                    return web.Response(status=403, text="403 Forbidden: not from this desk's page.\n")
            if self.token is None or self.has_session(request):
                return await handler(request)
            if request.method == "GET" and request.path == "/" and _same(request.query.get(TOKEN_PARAM), self.token):
                rest = request.rel_url.with_query({k: v for k, v in request.query.items() if k != TOKEN_PARAM})
                response = web.HTTPSeeOther(location=str(rest))
                response.set_cookie(COOKIE, session_value(self.token), httponly=True, samesite="Strict", path="/")
                response.headers["Referrer-Policy"] = "no-referrer"
                response.headers["Cache-Control"] = "no-store"
                return response
            return web.Response(status=403, text=REFUSED)

        return guard
