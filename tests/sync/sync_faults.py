"""The network edge for the sync tests: an httpx transport in front of the real sandbox that misbehaves."""

from __future__ import annotations

import random
from collections import Counter

import httpx


class Faults(httpx.AsyncBaseTransport):
    """Fault injection at the network edge, in front of the real sandbox.

    ``plan`` (a list of steps, consumed per request) or ``rate`` with a seeded
    ``rng`` chooses per call: pass, refuse (nothing sent), lose (sent, reply
    lost), timeout (sent or not, then a read timeout), 500, 429.  ``down`` makes
    every call refused (the API unreachable).  Sign-in is never faulted.
    """

    KINDS = ("refuse", "lose", "timeout", "500", "429")

    def __init__(self, inner: httpx.AsyncBaseTransport, *, rate: float = 0.0, rng: random.Random | None = None,
                 plan: list[str] | None = None) -> None:
        self.inner, self.rate, self.rng, self.plan = inner, rate, rng or random.Random(0), list(plan or [])
        self.down = False
        self.targeted: list[tuple[str, str, str, int]] = []  # (method, path suffix, step, blackout after)
        self.blackout = 0  # calls still to refuse: a lost reply often means the link went down for a while
        self.counts: Counter[str] = Counter()
        self.log: list[tuple[str, str, str]] = []
        self.bodies: list[bytes] = []

    def when(self, method: str, suffix: str, step: str, *, then_refuse: int = 0) -> None:
        """Fault the next ``method`` call whose path ends with ``suffix``; then refuse the next calls."""
        self.targeted.append((method, suffix, step, then_refuse))

    def _step(self, request: httpx.Request) -> str:
        if request.url.path.endswith("/auth/login"):
            return "pass"
        if self.down:
            return "refuse"
        if self.blackout:
            self.blackout -= 1
            return "refuse"
        for i, (method, suffix, step, after) in enumerate(self.targeted):
            if request.method == method and request.url.path.endswith(suffix):
                del self.targeted[i]
                self.blackout = after
                return step
        if self.plan:
            return self.plan.pop(0)
        if self.rate and self.rng.random() < self.rate:
            kind = self.rng.choice(self.KINDS)
            if kind in ("lose", "timeout") and self.rng.random() < 0.5:
                self.blackout = self.rng.randint(1, 10)
            return kind
        return "pass"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        step = self._step(request)
        self.log.append((step, request.method, request.url.path))
        if step != "pass":
            self.counts[step] += 1
        if step == "refuse":
            raise httpx.ConnectError("injected: connection refused", request=request)
        if step == "lose":
            await self._send(request)
            raise httpx.ReadError("injected: connection reset after the server acted", request=request)
        if step == "timeout":
            if self.rng.random() < 0.5:
                await self._send(request)
            raise httpx.ReadTimeout("injected: read timeout", request=request)
        if step == "500":
            return httpx.Response(500, json={"title": "Internal Server Error", "status": 500}, request=request)
        if step == "429":
            return httpx.Response(429, headers={"Retry-After": "0"},
                                  json={"title": "Too Many Requests", "status": 429}, request=request)
        return await self._send(request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        return response
