"""Real sockets: the sandbox on a loopback port, a closed port, and a server that never answers."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from api_faults import FakeTime

from nymble_desk.api import NymbleClient, OutcomeUnknown, RetryPolicy, Unreachable
from nymble_desk.api.auth import Credentials

REP = Credentials("DEMO", "demo-rep", "demo-rep-secret")


@pytest.fixture
def served(sandbox_dir: Path) -> Any:
    from nymble_desk.sandbox.server import start_in_thread

    running = start_in_thread(sandbox_dir, customers=50, products=100)
    yield running
    running.stop()


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """Accepts connections, reads, never answers."""
    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.read(65536)
            await asyncio.sleep(30)
        finally:
            writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.close()


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


async def test_over_a_real_port_then_the_server_goes_away(served: Any, policy: RetryPolicy,
                                                          fake_time: FakeTime) -> None:
    async with NymbleClient(served.base_url, REP, retry=policy) as client:
        await client.login()
        assert (await client.customers.get("CUST-1042")).company_name == "Brightfield Supply Co."
        served.stop()
        with pytest.raises(Unreachable):
            await client.customers.get("CUST-1042")
        assert len(fake_time.sleeps) == 3  # retried, on fake time
        with pytest.raises(Unreachable):  # a refused POST never reached the server: not "unknown"
            await client.orders.email_confirmation("x", ["a@example.com"])


async def test_refused_connection_at_sign_in(policy: RetryPolicy) -> None:
    async with NymbleClient(closed_port(), REP, retry=policy) as client:
        with pytest.raises(Unreachable) as caught:
            await client.login()
    assert caught.value.status is None and "ConnectError" in caught.value.detail


async def test_real_read_timeouts(silent_server: str, fake_time: FakeTime) -> None:
    policy = RetryPolicy(max_attempts=2, sleep=fake_time.sleep, clock=fake_time.clock)
    async with NymbleClient(silent_server, token="t", timeout=0.2, retry=policy) as client:
        with pytest.raises(Unreachable) as caught:  # a safe GET: retried, then given up
            await client.customers.get("CUST-1042")
        assert "ReadTimeout" in caught.value.detail and len(fake_time.sleeps) == 1
        with pytest.raises(OutcomeUnknown):  # an unsafe POST that was sent: never repeated blindly
            await client.orders.email_confirmation("x", ["a@example.com"])
        assert len(fake_time.sleeps) == 1


async def test_a_base_url_without_a_scheme_fails_at_once(policy: RetryPolicy, fake_time: FakeTime) -> None:
    async with NymbleClient("sandbox.test", REP, retry=policy) as client:
        with pytest.raises(Unreachable):
            await client.login()
    async with NymbleClient("ftp://sandbox.test", token="t", retry=policy) as client:
        with pytest.raises(Unreachable):
            await client.customers.get("CUST-1042")
    assert fake_time.sleeps == []
