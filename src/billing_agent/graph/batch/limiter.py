"""A token-bucket rate limiter shared by every batch worker of the process (Lago allows 50 req/s per org)."""

from __future__ import annotations

import asyncio
import threading
import time


class RateLimiter:
    """Token bucket: `rate` tokens per second, at most `burst` saved up; `acquire` waits for a token.

    Implemented as virtual scheduling (each caller reserves the next free slot), so it needs no lock bound
    to an event loop and works for every loop of the process.
    """

    def __init__(self, rate: float, burst: float | None = None) -> None:
        """Create a limiter of `rate` requests per second (burst defaults to one second's worth, at least 1)."""
        if rate <= 0:
            raise ValueError("rate must be > 0 requests per second")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else min(rate, 10.0))
        self._interval = 1.0 / rate
        self._next = 0.0
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Reserve the next token; returns how many seconds to wait before using it."""
        with self._lock:
            now = time.monotonic()
            earliest = now - (self.burst - 1.0) * self._interval
            slot = max(self._next, earliest)
            self._next = slot + self._interval
            return max(0.0, slot - now)

    async def acquire(self) -> None:
        """Wait until a request may be sent."""
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)


_SHARED: dict[float, RateLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(rate: float) -> RateLimiter:
    """The process-wide limiter for `rate` requests per second (the same object for every worker)."""
    with _SHARED_LOCK:
        limiter = _SHARED.get(rate)
        if limiter is None:
            limiter = _SHARED[rate] = RateLimiter(rate)
        return limiter
