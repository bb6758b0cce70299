"""Counters of what the client sent and retried, for tests, benchmarks and logs."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

_KEPT_EVENTS = 500


@dataclass(frozen=True)
class RetryEvent:
    """One retry decision.

    Attributes:
        method: HTTP method.
        path: request path relative to the API root.
        reason: `rate_limited`, `server_error` or `connection_error`.
        status: HTTP status that caused it (0 for a connection error).
        retry: 1 for the first retry of this request, 2 for the second, …
        delay: seconds slept before retrying.
        asked: seconds the server asked for (`X-RateLimit-Reset` / `Retry-After`), when it did.
    """

    method: str
    path: str
    reason: str
    status: int
    retry: int
    delay: float
    asked: float | None = None


@dataclass
class ClientStats:
    """Running totals of one `LagoClient`.

    Attributes:
        requests: HTTP attempts sent (first tries and retries).
        retries: attempts that were retries.
        rate_limited: 429 responses received.
        server_errors: 5xx responses received.
        connection_errors: attempts that got no response.
        retry_wait: seconds spent sleeping before retries.
        events: the most recent retry decisions (oldest dropped first).
    """

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    server_errors: int = 0
    connection_errors: int = 0
    retry_wait: float = 0.0
    events: deque[RetryEvent] = field(default_factory=lambda: deque(maxlen=_KEPT_EVENTS))

    def record_retry(self, event: RetryEvent) -> None:
        """Count a retry about to happen."""
        self.retries += 1
        self.retry_wait += event.delay
        self.events.append(event)

    def reset(self) -> None:
        """Zero every counter."""
        self.requests = self.retries = self.rate_limited = self.server_errors = self.connection_errors = 0
        self.retry_wait = 0.0
        self.events.clear()
