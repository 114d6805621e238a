"""Sign-in, tokens, roles and tenant scoping.

``POST /api/auth/login`` trades ``{OrgCode, ClientId, ClientSecret}`` for a JWT
(HS256, secret kept in the data dir's database so a copied or restarted sandbox
accepts its own tokens).  Requests carry it as ``Authorization: Bearer`` or
``x-api-key``.  The tenant always comes from the token.  A SalesRep sees only
the customers assigned to it, a Customer only itself; anything outside answers
404 as if it did not exist.  More than 10 logins a minute for one organisation
+ client id, or more than 30 failed logins a minute from one address, answer
429 with ``Retry-After`` (``LoginThrottle``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from nymble_desk.sandbox.bodies import LoginIn
from nymble_desk.sandbox.db import Database
from nymble_desk.sandbox.errors import Problem

TOKEN_SECONDS = 86400
LOGINS_PER_MINUTE = 10  # per organisation + client id
FAILED_LOGINS_PER_ADDRESS = 30  # per source address, failed logins only
MAX_TRACKED_KEYS = 10_000
ISSUER = "nymble-sandbox"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    org_id: str
    org_code: str
    role: str
    user_id: str
    client_id: str
    rep_number: str | None = None
    customer_number: str | None = None
    price_tier: str | None = None
    currency: str = "USD"

    @property
    def is_admin(self) -> bool:
        return self.role == "Admin"

    def customer_scope(self, alias: str = "") -> tuple[str, list[Any]]:
        """SQL restricting ``{alias}customer_number`` to what this principal may see."""
        col = f"{alias}customer_number"
        if self.role == "Customer":
            return f" AND {col} = ?", [self.customer_number]
        if self.role == "SalesRep":
            return (
                f" AND {col} IN (SELECT customer_number FROM customers WHERE org_id = ? AND rep_number = ?)",
                [self.org_id, self.rep_number],
            )
        return "", []

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Problem(403, "This operation needs an Admin token.")

    def require_staff(self) -> None:
        if self.role not in ("Admin", "SalesRep"):
            raise Problem(403, "This operation needs an Admin or SalesRep token.")


class LoginOut(BaseModel):
    AccessToken: str
    TokenType: str
    ExpiresIn: int
    accessToken: str
    tokenType: str
    expiresIn: int


class LoginLimiter:
    """A sliding one-minute window of attempts per key (``what`` names the key in the 429's detail)."""

    def __init__(
        self, per_minute: int = LOGINS_PER_MINUTE, clock: Any = time.monotonic, what: str = "this client"
    ) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.what = what
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _window(self, key: str, now: float) -> deque[float]:
        window = self._seen.setdefault(key, deque())
        while window and now - window[0] >= 60:
            window.popleft()
        return window

    def _refuse(self, window: deque[float], now: float) -> None:
        if len(window) >= self.per_minute:
            wait = max(1, int(60 - (now - window[0]) + 0.999))
            raise Problem(
                429,
                f"More than {self.per_minute} logins a minute for {self.what}; retry in {wait} s.",
                headers={"Retry-After": str(wait)},
            )

    def check(self, key: str) -> None:
        """Count an attempt for ``key``; 429 when the last minute already holds ``per_minute``."""
        now = self.clock()
        with self._lock:
            window = self._window(key, now)
            self._refuse(window, now)
            window.append(now)
            self._prune(now)

    def refuse_if_full(self, key: str) -> None:
        """429 when ``key``'s last minute is full, without counting this attempt."""
        now = self.clock()
        with self._lock:
            self._refuse(self._window(key, now), now)

    def count(self, key: str) -> None:
        now = self.clock()
        with self._lock:
            self._window(key, now).append(now)
            self._prune(now)

    def _prune(self, now: float) -> None:
        # made-up org codes and client ids must not grow the table without bound
        if len(self._seen) > MAX_TRACKED_KEYS:
            for key in [k for k, w in self._seen.items() if not w or now - w[-1] >= 60]:
                del self._seen[key]


class LoginThrottle:
    """Logins are limited per organisation + client id, and failed logins per source address.

    Every call counts against its own ``(OrgCode, ClientId)``, so failures against one organisation
    never lock out a client of the same name in another.  Failed logins (401) also count against the
    caller's address, more loosely, to slow guessing across many client ids; successful ones do not,
    so reps behind one trade-show NAT are not limited by each other.
    """

    def __init__(self, clock: Any = time.monotonic) -> None:
        self.per_client = LoginLimiter(LOGINS_PER_MINUTE, clock, "this organisation and client")
        self.per_address = LoginLimiter(FAILED_LOGINS_PER_ADDRESS, clock, "failed logins from this address")

    @staticmethod
    def client_key(body: LoginIn) -> str:
        return f"{body.OrgCode.strip().upper()}\x1f{body.ClientId.strip().lower()}"

    def attempt(self, body: LoginIn, address: str) -> None:
        self.per_address.refuse_if_full(address)
        self.per_client.check(self.client_key(body))

    def failed(self, address: str) -> None:
        self.per_address.count(address)


def token_secret(db: Database) -> str:
    secret = db.meta("jwt_secret")
    if secret is None:
        with db.write() as con:
            con.execute("INSERT OR IGNORE INTO meta VALUES ('jwt_secret', ?)", (secrets.token_hex(32),))
        secret = db.meta("jwt_secret")
    assert secret is not None
    return secret


def _login(db: Database, secret: str, body: LoginIn) -> dict[str, Any]:
    with db.connection() as con:
        row = con.execute(
            "SELECT c.*, o.code AS org_code, o.currency AS org_currency FROM clients c JOIN orgs o ON o.id = c.org_id"
            " WHERE upper(o.code) = upper(?) AND c.client_id = ?",
            (body.OrgCode.strip(), body.ClientId.strip()),
        ).fetchone()
        if row is None or not hmac.compare_digest(row["secret_hash"], hash_secret(body.ClientSecret)):
            raise Problem(401, "Unknown organisation, client id or secret.", {"ClientSecret": ["Invalid credentials."]})
        tier, currency = None, row["org_currency"]
        if row["customer_number"]:
            cust = con.execute(
                "SELECT pricing, currency FROM customers WHERE org_id = ? AND customer_number = ?",
                (row["org_id"], row["customer_number"]),
            ).fetchone()
            if cust is not None:
                tier, currency = cust["pricing"], cust["currency"]
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": f"{row['org_code']}:{row['client_id']}",
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "OrganizationId": row["org_id"],
        "OrgCode": row["org_code"],
        "role": row["role"],
        "UserId": row["user_id"],
        "ClientId": row["client_id"],
        "CurrencyCode": currency,
    }
    if row["rep_number"]:
        claims["RepNumber"] = row["rep_number"]
    if row["customer_number"]:
        claims["CustomerNumber"] = row["customer_number"]
    if tier:
        claims["PriceTier"] = tier
    token = jwt.encode(claims, secret, algorithm="HS256")
    return {
        "AccessToken": token, "TokenType": "Bearer", "ExpiresIn": TOKEN_SECONDS,
        "accessToken": token, "tokenType": "Bearer", "expiresIn": TOKEN_SECONDS,
    }


bearer = HTTPBearer(auto_error=False, description="JWT from POST /api/auth/login")
api_key = APIKeyHeader(name="x-api-key", auto_error=False, description="the same JWT, as a header")


def _unauthorized(detail: str) -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="nymble-sandbox"'})


def principal(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    key: Annotated[str | None, Depends(api_key)],
) -> Principal:
    """FastAPI dependency: who is calling, from the Bearer token or x-api-key."""
    token = creds.credentials if creds is not None else key
    if not token:
        raise _unauthorized("A bearer token is required (POST /api/auth/login).")
    secret: str = request.app.state.jwt_secret
    try:
        claims = jwt.decode(
            token.strip(), secret, algorithms=["HS256"], issuer=ISSUER, options={"require": ["exp", "sub"]}
        )
    except jwt.ExpiredSignatureError:
        raise _unauthorized("The token has expired; sign in again.") from None
    except jwt.PyJWTError:
        raise _unauthorized("The token is not valid.") from None
    try:
        return Principal(
            org_id=str(claims["OrganizationId"]),
            org_code=str(claims["OrgCode"]),
            role=str(claims["role"]),
            user_id=str(claims["UserId"]),
            client_id=str(claims.get("ClientId", "")),
            rep_number=claims.get("RepNumber"),
            customer_number=claims.get("CustomerNumber"),
            price_tier=claims.get("PriceTier"),
            currency=str(claims.get("CurrencyCode", "USD")),
        )
    except KeyError:
        raise _unauthorized("The token lacks required claims.") from None


Caller = Annotated[Principal, Depends(principal)]


def build_router(db: Database) -> APIRouter:
    router = APIRouter(tags=["auth"])
    throttle = LoginThrottle()

    @router.post("/api/auth/login", response_model=LoginOut)
    def login(body: LoginIn, request: Request) -> dict[str, Any]:
        address = request.client.host if request.client else "?"
        throttle.attempt(body, address)
        try:
            return _login(db, request.app.state.jwt_secret, body)
        except Problem as problem:
            if problem.status == 401:
                throttle.failed(address)
            raise

    return router
