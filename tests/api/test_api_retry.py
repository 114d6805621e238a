"""The request loop against the real sandbox: retries, backoff, Retry-After, deadline, 401 re-login."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from api_faults import FakeTime, Faults

from nymble_desk.api import (
    BadRequest,
    Conflict,
    NotFound,
    NymbleClient,
    OutcomeUnknown,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
    Unreachable,
)
from nymble_desk.api.models import Address, CheckoutRequest, CreditCard

Make = Callable[..., NymbleClient]


async def test_get_retried_after_refused_connections_with_exponential_backoff(
    rep: NymbleClient, faults: Faults, fake_time: FakeTime,
) -> None:
    faults.plan("GET", "/api/customers/CUST-1042", "refuse", "refuse", "timeout")
    customer = await rep.customers.get("CUST-1042")
    assert customer.company_name == "Brightfield Supply Co."
    # jitter fixed at 0.5: half fixed + half random of 0.25, 0.5, 1.0
    assert fake_time.sleeps == [0.1875, 0.375, 0.75]
    assert faults.count("GET", "/api/customers/CUST-1042") == 1


async def test_5xx_on_get_is_retried_then_gives_up_as_server_error(
    rep: NymbleClient, faults: Faults, fake_time: FakeTime,
) -> None:
    faults.always("GET", "/api/products/WDG-BLU-L", 500)
    with pytest.raises(ServerError) as caught:
        await rep.products.get("WDG-BLU-L")
    assert caught.value.status == 500
    assert faults.count("GET", "/api/products/WDG-BLU-L", reached=False) == 4  # max_attempts
    assert len(fake_time.sleeps) == 3


async def test_503_and_429_honour_retry_after_capped(
    make_client: Make, faults: Faults, fake_time: FakeTime,
) -> None:
    rep = make_client("rep", retry=RetryPolicy(deadline=60.0, sleep=fake_time.sleep, clock=fake_time.clock))
    faults.plan("GET", "/api/salesreps/REP-007", (503, "2"), (429, "120"))
    rep_ = await rep.salesreps.get("REP-007")
    assert rep_.rep_number == "REP-007"
    assert fake_time.sleeps == [2.0, 30.0]  # 120 s capped at max_retry_after


async def test_deadline_bounds_the_total_time(make_client: Make, faults: Faults, fake_time: FakeTime) -> None:
    policy = RetryPolicy(max_attempts=50, deadline=3.0, sleep=fake_time.sleep, clock=fake_time.clock,
                         jitter=lambda: 1.0)
    client = make_client("rep", retry=policy)
    await client.login()
    faults.always("GET", "/api/customers/CUST-1042", "refuse")
    start = fake_time.now
    with pytest.raises(Unreachable) as caught:
        await client.customers.get("CUST-1042")
    assert fake_time.now - start <= 3.0
    assert fake_time.sleeps == [0.25, 0.5, 1.0]  # the next (2.0) would pass the deadline
    assert "ConnectError" in caught.value.detail


async def test_retry_after_beyond_the_deadline_is_not_slept(
    make_client: Make, faults: Faults, fake_time: FakeTime,
) -> None:
    policy = RetryPolicy(deadline=5.0, max_retry_after=60.0, sleep=fake_time.sleep, clock=fake_time.clock)
    client = make_client("rep", retry=policy)
    await client.login()
    faults.plan("GET", "/api/customers/CUST-1042", (429, "10"))
    with pytest.raises(RateLimited) as caught:
        await client.customers.get("CUST-1042")
    assert caught.value.retry_after == 10.0 and fake_time.sleeps == []


async def test_unsafe_post_is_retried_only_when_nothing_was_sent(
    rep: NymbleClient, faults: Faults, fake_time: FakeTime,
) -> None:
    order = await _an_order(rep)
    faults.plan("POST", "/email", "refuse", (429, "1"))
    await rep.orders.email_confirmation(order, ["buyer@example.com"])
    assert faults.count("POST", "/email") == 1 and fake_time.sleeps == [0.1875, 1.0]

    faults.plan("POST", "/email", "lose-reply")
    with pytest.raises(OutcomeUnknown):
        await rep.orders.email_confirmation(order, ["buyer@example.com"])
    assert faults.count("POST", "/email") == 2  # sent once more, never repeated blindly

    faults.plan("POST", "/email", "act-then-502")
    with pytest.raises(OutcomeUnknown) as caught:
        await rep.orders.email_confirmation(order, ["buyer@example.com"])
    assert caught.value.status == 502 and faults.count("POST", "/email") == 3


async def test_401_signs_in_again_once_with_stored_credentials(make_client: Make, faults: Faults) -> None:
    client = make_client("rep", token="expired.or.forged")
    customer = await client.customers.get("CUST-1042")  # 401, re-login, same request again
    assert customer.customer_number == "CUST-1042"
    assert faults.count("POST", "/api/auth/login") == 1
    assert faults.count("GET", "/api/customers/CUST-1042") == 2
    assert client.claims is not None and client.claims.org_code == "DEMO"

    faults.plan("GET", "/api/customers/CUST-1042", 401, 401)
    with pytest.raises(Unauthorized):
        await client.customers.get("CUST-1042")
    assert faults.count("POST", "/api/auth/login") == 2  # one re-login, not a loop


async def test_401_without_credentials_is_raised(make_client: Make) -> None:
    client = make_client(None, token="not-a-token")
    with pytest.raises(Unauthorized) as caught:
        await client.customers.get("CUST-1042")
    assert caught.value.status == 401
    with pytest.raises(Unauthorized):
        await make_client(None).customers.get("CUST-1042")


async def test_login_retried_on_connection_errors_only(make_client: Make, faults: Faults) -> None:
    client = make_client("rep")
    faults.plan("POST", "/api/auth/login", "refuse")
    token = await client.login()
    assert token.claims.role == "SalesRep" and faults.count("POST", "/api/auth/login") == 1

    faults.plan("POST", "/api/auth/login", (429, "1"))
    with pytest.raises(RateLimited):
        await client.login()
    faults.plan("POST", "/api/auth/login", "lose-reply")
    with pytest.raises(Unreachable):
        await client.login()
    with pytest.raises(Unauthorized):
        await make_client(None).login()


async def test_wrong_secret_is_unauthorized(make_client: Make) -> None:
    from nymble_desk.api import Credentials

    client = make_client(Credentials("DEMO", "demo-rep", "wrong"))
    with pytest.raises(Unauthorized) as caught:
        await client.login()
    assert caught.value.status == 401


async def test_problem_details_from_the_sandbox(rep: NymbleClient) -> None:
    with pytest.raises(NotFound):
        await rep.products.get("NO-SUCH-SKU")
    assert await rep.products.find("NO-SUCH-SKU") is None
    cart = await _fresh_cart(rep, "CUST-0082")
    with pytest.raises(Conflict):
        await rep.carts.create("CUST-0082", "WDG-RED-M", 1)
    with pytest.raises(BadRequest) as caught:  # no shipping address yet
        await rep.carts.checkout("CUST-0082", cart.id, CheckoutRequest(channel="Phone"))
    assert caught.value.status == 400 and caught.value.errors


async def test_bodies_and_cards_never_reach_the_log(
    rep: NymbleClient, faults: Faults, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    cart = await _fresh_cart(rep, "CUST-0082")
    await rep.carts.set_shipping("CUST-0082", cart.id, Address(address1="1 Main St", city="Austin",
                                                                state_province="TX", postal_code="78701",
                                                                country="US"))
    card = CreditCard(card_number="4111111111111111", cardholder_name="John Doe", expiry_month="12",
                      expiry_year=2030, cvv="987")
    faults.plan("POST", "/checkout", "lose-reply")  # the Orders page's path, the default
    result = await rep.carts.checkout("CUST-0082", cart.id, CheckoutRequest(channel="Phone", credit_card=card))
    assert result.order_number
    assert caplog.records  # the loop did log
    assert "4111111111111111" not in caplog.text and "987" not in caplog.text
    assert "demo-rep-secret" not in caplog.text


async def _fresh_cart(client: NymbleClient, customer: str):
    active = await client.carts.active_for_customer(customer)
    if active is not None:
        return active
    return await client.carts.create(customer, "WDG-RED-M", 1)


async def _an_order(client: NymbleClient) -> str:
    page = await client.orders.search(page_size=1)
    assert page.items, "the sandbox has past orders"
    return page.items[0].id
