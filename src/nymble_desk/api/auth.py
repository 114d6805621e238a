"""Sign-in: credentials, the token, and what the token says about who we are."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any


def _reveal(secret: Any) -> str:
    return secret.get_secret_value() if hasattr(secret, "get_secret_value") else str(secret)


@dataclass(frozen=True)
class Credentials:
    """An API client's sign-in: org code, client id and secret (the secret never shows in a repr)."""

    org_code: str
    client_id: str
    client_secret: Any = field(repr=False)  # str or pydantic SecretStr

    def login_body(self) -> dict[str, str]:
        return {"OrgCode": self.org_code, "ClientId": self.client_id,
                "ClientSecret": _reveal(self.client_secret)}


@dataclass(frozen=True)
class TokenClaims:
    """The JWT claims the client uses (read, not verified: the server verifies)."""

    subject: str | None
    org_code: str | None
    organization_id: str | None
    role: str | None
    user_id: str | None
    customer_number: str | None
    rep_number: str | None
    price_tier: str | None
    currency_code: str | None
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


def _claim(raw: dict[str, Any], *names: str) -> str | None:
    lowered = {k.lower(): v for k, v in raw.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value is not None:
            return str(value)
    return None


def decode_claims(token: str) -> TokenClaims:
    """Read a JWT's payload; a token that is not a JWT gives empty claims."""
    raw: dict[str, Any] = {}
    parts = token.split(".")
    if len(parts) == 3:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        try:
            decoded = json.loads(base64.urlsafe_b64decode(payload))
            if isinstance(decoded, dict):
                raw = decoded
        except (ValueError, UnicodeDecodeError):
            raw = {}
    return TokenClaims(
        subject=_claim(raw, "sub"),
        org_code=_claim(raw, "OrgCode"),
        organization_id=_claim(raw, "OrganizationId", "orgId"),
        role=_claim(raw, "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"),
        user_id=_claim(raw, "UserId"),
        customer_number=_claim(raw, "CustomerNumber"),
        rep_number=_claim(raw, "RepNumber"),
        price_tier=_claim(raw, "PriceTier"),
        currency_code=_claim(raw, "CurrencyCode"),
        raw=raw,
    )


@dataclass(frozen=True)
class Token:
    access_token: str = field(repr=False)
    token_type: str = "Bearer"
    expires_in: float | None = None
    obtained_at: float = 0.0  # the policy clock's reading when it was issued

    @property
    def claims(self) -> TokenClaims:
        return decode_claims(self.access_token)

    def expired(self, now: float, margin: float = 60.0) -> bool:
        if self.expires_in is None:
            return False
        return now >= self.obtained_at + self.expires_in - margin


def parse_login(body: Any, obtained_at: float) -> Token:
    """The login answer `{AccessToken, TokenType, ExpiresIn}` (any key case)."""
    if not isinstance(body, dict):
        raise ValueError("login answer is not an object")
    lowered = {str(k).lower(): v for k, v in body.items()}
    access = lowered.get("accesstoken") or lowered.get("access_token")
    if not access:
        raise ValueError("login answer has no AccessToken")
    expires = lowered.get("expiresin") or lowered.get("expires_in")
    return Token(
        access_token=str(access),
        token_type=str(lowered.get("tokentype") or lowered.get("token_type") or "Bearer"),
        expires_in=float(expires) if expires is not None else None,
        obtained_at=obtained_at,
    )
