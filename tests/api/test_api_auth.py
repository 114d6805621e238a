"""Sign-in: concurrent 401s sign in once, an expiring token is renewed first, the login rate limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from api_faults import FakeTime, Faults

from nymble_desk.api import NymbleClient, RateLimited
from nymble_desk.api.auth import decode_claims, parse_login

Make = Callable[..., NymbleClient]


async def test_claims_of_each_role(make_client: Make) -> None:
    seen = {}
    for user in ("rep", "admin", "customer"):
        client = make_client(user)
        await client.login()
        assert client.claims is not None
        seen[user] = (client.claims.role, client.claims.rep_number, client.claims.customer_number)
    assert seen == {"rep": ("SalesRep", "REP-007", None), "admin": ("Admin", None, None),
                    "customer": ("Customer", None, "CUST-1042")}


async def test_concurrent_401s_sign_in_once(make_client: Make, faults: Faults) -> None:
    client = make_client("rep", token="stale")
    numbers = ["CUST-1042", "CUST-0082", "CUST-0042", "CUST-0013", "CUST-0021"]
    found = await asyncio.gather(*(client.customers.get(n) for n in numbers))
    assert [c.customer_number for c in found] == numbers
    assert faults.count("POST", "/api/auth/login") == 1


async def test_an_expiring_token_is_renewed_before_the_call(
    make_client: Make, faults: Faults, fake_time: FakeTime,
) -> None:
    client = make_client("rep")
    token = await client.login()
    assert token.expires_in and token.expires_in > 60
    fake_time.now += token.expires_in - 30  # within the renewal margin
    await client.customers.get("CUST-1042")
    assert faults.count("POST", "/api/auth/login") == 2
    assert faults.count("GET", "/api/customers/CUST-1042") == 1  # no 401 round trip


async def test_the_server_login_rate_limit_is_not_retried(make_client: Make, faults: Faults) -> None:
    client = make_client("customer")
    with pytest.raises(RateLimited) as caught:
        for _ in range(12):  # more than 10 a minute from one client
            await client.login()
    assert caught.value.status == 429 and caught.value.retry_after == 60.0
    assert faults.count("POST", "/api/auth/login") == 11


def test_claims_and_login_answer_parsing() -> None:
    token = parse_login({"AccessToken": "a.eyJzdWIiOiJ4IiwiT3JnQ29kZSI6IkRFTU8iLCJyb2xlIjoiQWRtaW4ifQ.c",
                         "TokenType": "Bearer", "ExpiresIn": 86400}, obtained_at=5.0)
    assert token.expires_in == 86400 and not token.expired(5.0) and token.expired(5.0 + 86400 - 59)
    claims = token.claims
    assert (claims.subject, claims.org_code, claims.role) == ("x", "DEMO", "Admin")
    assert decode_claims("opaque").raw == {}
    assert parse_login({"accessToken": "t"}, 0.0).token_type == "Bearer"
    with pytest.raises(ValueError):
        parse_login({"TokenType": "Bearer"}, 0.0)
    assert "a.eyJ" not in repr(token)
