"""How hard the client tries: attempts, exponential backoff with jitter, Retry-After cap, a total deadline.

`sleep`, `clock` and `jitter` are injectable so tests neither wait nor depend on chance.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4          # sends of one request, the first included
    base_delay: float = 0.25       # seconds before the first retry; doubles each time
    max_delay: float = 5.0         # ceiling of one backoff sleep
    deadline: float = 30.0         # total seconds one call may take, retries and reconciling included
    max_retry_after: float = 30.0  # a server's Retry-After is honoured up to this many seconds
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def backoff(self, attempt: int) -> float:
        """Sleep before retry number `attempt` (1-based): half fixed, half random ("equal jitter")."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 1)))
        return float(ceiling / 2 + ceiling / 2 * self.jitter())

    def start(self) -> Deadline:
        return Deadline(self)


class Deadline:
    """The time budget of one call."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.ends_at = policy.clock() + policy.deadline

    def remaining(self) -> float:
        return self.ends_at - self.policy.clock()

    def timeout(self, per_request: float) -> float:
        """The timeout for the next send: the per-request one, shortened to what is left.

        Never below a second (or the per-request timeout, if shorter): a reconciling
        read late in the budget still gets a fair chance to answer.
        """
        return max(min(per_request, 1.0), min(per_request, self.remaining()))

    async def pause(self, attempt: int, retry_after: float | None = None) -> bool:
        """Sleep before the next try; False (without sleeping) when that would pass the deadline."""
        if retry_after is not None:
            delay = min(max(retry_after, 0.0), self.policy.max_retry_after)
        else:
            delay = self.policy.backoff(attempt)
        if delay > self.remaining():
            return False
        await self.policy.sleep(delay)
        return True
