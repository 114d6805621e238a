"""Fault injection at the network edge and fake time, for the API client tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx


class FakeTime:
    """A clock that moves only when the client sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Step:
    """What to do with one matching request.

    kind: "pass"; "refuse" (ConnectError, nothing sent); "timeout" (ReadTimeout, nothing reached the
    server); "lose-reply" (the server acts, the client times out); "act-then" (the server acts, the
    client gets `status`); "status" (answer `status` without sending).
    """

    kind: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)


def step(spec: str | int | tuple[int, str] | Step) -> Step:
    if isinstance(spec, Step):
        return spec
    if isinstance(spec, int):
        return Step("status", spec)
    if isinstance(spec, tuple):
        return Step("status", spec[0], {"Retry-After": spec[1]})
    if spec.startswith("act-then-"):
        return Step("act-then", int(spec.removeprefix("act-then-")))
    return Step(spec)


class Faults(httpx.AsyncBaseTransport):
    """Fault injection in front of a real transport, per (method, path suffix) rule."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.rules: list[tuple[str, str, list[Step]]] = []
        self.seen: list[tuple[str, str]] = []     # every request the client made
        self.reached: list[tuple[str, str]] = []  # the requests the server handled

    def plan(self, method: str, path_suffix: str, *steps: str | int | tuple[int, str] | Step) -> None:
        """The next matching requests meet these steps, in order; then they pass."""
        self.rules.append((method.upper(), path_suffix, [step(s) for s in steps]))

    def always(self, method: str, path_suffix: str, spec: str | int | tuple[int, str]) -> None:
        self.plan(method, path_suffix, *([spec] * 1000))

    def count(self, method: str, path_suffix: str, *, reached: bool = True) -> int:
        log = self.reached if reached else self.seen
        return sum(1 for m, p in log if m == method.upper() and p.endswith(path_suffix))

    def _next(self, request: httpx.Request) -> Step:
        for method, suffix, steps in self.rules:
            if steps and request.method == method and request.url.path.endswith(suffix):
                return steps.pop(0)
        return Step("pass")

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        self.reached.append((request.method, request.url.path))
        response = await self.inner.handle_async_request(request)
        await response.aread()
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path))
        s = self._next(request)
        if s.kind == "refuse":
            raise httpx.ConnectError("injected: connection refused", request=request)
        if s.kind == "timeout":
            raise httpx.ReadTimeout("injected: timed out before the server saw it", request=request)
        if s.kind == "status":
            return httpx.Response(s.status, headers=s.headers, json={"title": f"injected {s.status}",
                                                                    "status": s.status})
        response = await self._forward(request)
        if s.kind == "lose-reply":
            raise httpx.ReadTimeout("injected: reply lost", request=request)
        if s.kind == "act-then":
            return httpx.Response(s.status, json={"title": f"injected {s.status} after acting"})
        return response
