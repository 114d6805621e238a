"""Sign-in, token forms, roles, rep scoping, tenant isolation and the login rate limit."""

from __future__ import annotations

import time

import httpx
import jwt

from .conftest import CREDS, assert_problem, token_for


async def test_login_returns_a_bearer_jwt_with_the_documented_claims(http: httpx.AsyncClient, app) -> None:
    r = await http.post(
        "/api/auth/login", json={"OrgCode": "DEMO", "ClientId": "demo-rep", "ClientSecret": "demo-rep-secret"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["TokenType"] == "Bearer" and body["ExpiresIn"] == 86400
    claims = jwt.decode(body["AccessToken"], app.state.jwt_secret, algorithms=["HS256"], options={"verify_iss": False})
    assert claims["role"] == "SalesRep" and claims["OrgCode"] == "DEMO" and claims["RepNumber"] == "REP-007"
    assert claims["OrganizationId"].startswith("org_") and claims["sub"] and claims["UserId"]
    assert claims["exp"] - claims["iat"] == 86400
    token = await token_for(http, "customer")
    claims = jwt.decode(token, app.state.jwt_secret, algorithms=["HS256"], options={"verify_iss": False})
    assert (claims["CustomerNumber"], claims["PriceTier"], claims["CurrencyCode"]) == ("CUST-1042", "Wholesale", "USD")


async def test_login_property_names_are_case_insensitive(http: httpx.AsyncClient) -> None:
    r = await http.post(
        "/api/auth/login", json={"orgCode": "demo", "clientId": "demo-admin", "clientSecret": "demo-admin-secret"}
    )
    assert r.status_code == 200


async def test_bad_credentials_and_tokens_are_401(http: httpx.AsyncClient, app) -> None:
    r = await http.post("/api/auth/login", json={"OrgCode": "DEMO", "ClientId": "demo-admin", "ClientSecret": "wrong"})
    assert_problem(r, 401)
    assert_problem(await http.post("/api/auth/login", json={"OrgCode": "DEMO"}), 400, "ClientId")
    assert_problem(await http.get("/api/customers"), 401)
    r = await http.get("/api/customers", headers={"Authorization": "Bearer not-a-jwt"})
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    forged = jwt.encode(
        {
            "sub": "x",
            "exp": int(time.time()) + 60,
            "OrganizationId": "org_x",
            "OrgCode": "DEMO",
            "role": "Admin",
            "UserId": "u",
            "iss": "nymble-sandbox",
        },
        "not-the-secret-" * 4,
        algorithm="HS256",
    )
    assert_problem(await http.get("/api/customers", headers={"Authorization": f"Bearer {forged}"}), 401)
    expired = jwt.encode(
        {
            "sub": "x",
            "exp": int(time.time()) - 5,
            "OrganizationId": "org_x",
            "OrgCode": "DEMO",
            "role": "Admin",
            "UserId": "u",
            "iss": "nymble-sandbox",
        },
        app.state.jwt_secret,
        algorithm="HS256",
    )
    body = assert_problem(await http.get("/api/customers", headers={"Authorization": f"Bearer {expired}"}), 401)
    assert "expired" in body["detail"]


async def test_x_api_key_header_is_accepted(http: httpx.AsyncClient) -> None:
    token = await token_for(http, "admin")
    r = await http.get("/api/customers/CUST-1042", headers={"x-api-key": token})
    assert r.status_code == 200 and r.json()["companyName"] == "Brightfield Supply Co."


async def test_rep_sees_only_its_customers(http: httpx.AsyncClient, headers: dict) -> None:
    r = await http.get("/api/customers", headers=headers["rep"], params={"pageSize": 1000})
    reps = {c["repNumber"] for c in r.json()["data"]}
    assert reps == {"REP-007"} and r.json()["totalRecords"] == len(r.json()["data"])
    assert_problem(await http.get("/api/customers/CUST-0055", headers=headers["rep"]), 404)  # REP-003's
    assert (await http.get("/api/customers/CUST-0055", headers=headers["admin"])).status_code == 200
    r = await http.post("/api/carts/CUST-0055", headers=headers["rep"], json={"sku": "WIDGET-BLU-L", "quantity": 1})
    assert_problem(r, 404)
    everyone = (await http.get("/api/customers", headers=headers["admin"], params={"pageSize": 1})).json()[
        "totalRecords"
    ]
    assert everyone > r.json().get("totalRecords", 0)


async def test_customer_token_sees_only_itself(http: httpx.AsyncClient, headers: dict) -> None:
    r = await http.get("/api/customers", headers=headers["customer"])
    assert [c["customerNumber"] for c in r.json()["data"]] == ["CUST-1042"]
    assert_problem(await http.get("/api/customers/CUST-0082", headers=headers["customer"]), 404)


async def test_admin_only_cart_list(http: httpx.AsyncClient, headers: dict) -> None:
    assert_problem(await http.get("/api/carts", headers=headers["rep"]), 403)
    assert (await http.get("/api/carts", headers=headers["admin"])).status_code == 200


async def test_other_tenant_sees_its_own_look_alike_data(http: httpx.AsyncClient, headers: dict) -> None:
    demo = (await http.get("/api/customers/CUST-1042", headers=headers["admin"])).json()
    other = (await http.get("/api/customers/CUST-1042", headers=headers["other"])).json()
    assert demo["customerNumber"] == other["customerNumber"] == "CUST-1042"
    cart = (await http.post("/api/carts/CUST-1042", headers=headers["other"], json={"sku": "WDG-BLU-L"})).json()
    assert cart["organizationId"] != (await http.post("/api/carts/CUST-1042", headers=headers["admin"],
                                                      json={"sku": "WDG-BLU-L"})).json()["organizationId"]
    assert_problem(await http.get(f"/api/carts/{cart['shoppingCartId']}", headers=headers["admin"]), 404)


async def test_login_rate_limit(http: httpx.AsyncClient) -> None:
    org, client_id, secret = CREDS["rep"]
    body = {"OrgCode": org, "ClientId": client_id, "ClientSecret": secret}
    for _ in range(10):
        assert (await http.post("/api/auth/login", json=body)).status_code == 200
    r = await http.post("/api/auth/login", json=body)
    assert_problem(r, 429)
    assert 1 <= int(r.headers["retry-after"]) <= 60
    # another client is not affected
    other = {"OrgCode": "DEMO", "ClientId": "demo-admin", "ClientSecret": "demo-admin-secret"}
    assert (await http.post("/api/auth/login", json=other)).status_code == 200


def test_limiter_window_slides() -> None:
    from nymble_desk.sandbox.auth import LoginLimiter
    from nymble_desk.sandbox.errors import Problem

    now = [1000.0]
    limiter = LoginLimiter(per_minute=2, clock=lambda: now[0])
    limiter.check("a")
    limiter.check("a")
    try:
        limiter.check("a")
        raise AssertionError("third login in a minute was allowed")
    except Problem as p:
        assert p.status == 429 and p.headers["Retry-After"] == "60"
    now[0] += 60
    limiter.check("a")


def _from(app, address: str) -> httpx.AsyncClient:
    """A client whose requests come from ``address`` (what the sandbox sees as request.client)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://sandbox")


def _login_body(org: str, client_id: str, secret: str) -> dict[str, str]:
    return {"OrgCode": org, "ClientId": client_id, "ClientSecret": secret}


async def test_failures_against_another_org_do_not_lock_out_a_client(app) -> None:
    """Issue 12: ten wrong logins as NOSUCH/demo-rep locked DEMO/demo-rep out for 60 s."""
    async with _from(app, "10.0.0.1") as attacker, _from(app, "10.0.0.2") as rep:
        for _ in range(10):
            assert_problem(await attacker.post("/api/auth/login", json=_login_body("NOSUCH", "demo-rep", "guess")), 401)
        assert_problem(await attacker.post("/api/auth/login", json=_login_body("NOSUCH", "demo-rep", "guess")), 429)
        assert (await rep.post("/api/auth/login", json=_login_body(*CREDS["rep"]))).status_code == 200
        # the same from the attacker's own address: the org + client key is what is limited
        assert (await attacker.post("/api/auth/login", json=_login_body(*CREDS["rep"]))).status_code == 200
        for _ in range(10):
            await attacker.post("/api/auth/login", json=_login_body("DEMO", "other-admin", "guess"))
        assert (await rep.post("/api/auth/login", json=_login_body(*CREDS["other"]))).status_code == 200


async def test_failed_logins_are_limited_per_source_address(app) -> None:
    async with _from(app, "10.0.0.1") as guesser, _from(app, "10.0.0.2") as bystander:
        for n in range(30):  # three guesses each at ten client ids: no one client id reaches its limit
            r = await guesser.post("/api/auth/login", json=_login_body("DEMO", f"guess-{n % 10}", "x"))
            assert_problem(r, 401)
        r = await guesser.post("/api/auth/login", json=_login_body(*CREDS["admin"]))
        body = assert_problem(r, 429)
        assert "address" in body["detail"] and 1 <= int(r.headers["retry-after"]) <= 60
        assert (await bystander.post("/api/auth/login", json=_login_body(*CREDS["admin"]))).status_code == 200


async def test_successful_logins_from_one_address_are_not_limited_by_the_address(app) -> None:
    """Many reps behind one trade-show NAT: 40 good logins (10 per client) from one address all pass."""
    async with _from(app, "10.0.0.3") as booth:
        for who in ("admin", "rep", "customer", "other"):
            for _ in range(10):
                assert (await booth.post("/api/auth/login", json=_login_body(*CREDS[who]))).status_code == 200
