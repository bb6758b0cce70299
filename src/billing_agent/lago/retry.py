"""When and how long to wait before sending a request again.

Rules (see `LagoClient.request`):
- 429 is always retried: Lago refused the request before doing anything. The wait comes from the response:
  `X-RateLimit-Reset` (seconds until the window reopens; Lago's hosted API sends it) when present, else
  `Retry-After` (seconds or an HTTP date), else exponential backoff. A small positive jitter is added so that
  concurrent workers do not all return at the same instant; the wait is never shorter than the header's.
- 5xx and lost connections are retried only when repeating the request cannot apply it twice
  (reads, PUT/DELETE, and POSTs marked idempotent), with jittered exponential backoff.
- A connection that could not be opened is retried for every request: nothing was sent.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

# A reset value this large is an absolute Unix time, not a number of seconds.
_EPOCH_SECONDS_THRESHOLD = 1_000_000_000
_EPOCH_MILLIS_THRESHOLD = 1_000_000_000_000
_MIN_RATE_LIMIT_WAIT = 0.01


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds and pacing of retries.

    Attributes:
        max_retries: retries after a 5xx or a lost connection (0 disables them).
        base_delay: first backoff delay in seconds; doubles with each retry.
        max_delay: cap of one backoff delay in seconds.
        jitter: share (0..1) of each backoff delay that is randomised (0 = deterministic).
        rate_limit_retries: retries after a 429 (0 = raise `LagoRateLimitError` at once).
        max_rate_limit_wait: longest wait a 429 may ask for; a longer one raises instead of sleeping.
    """

    max_retries: int = 4
    base_delay: float = 0.25
    max_delay: float = 8.0
    jitter: float = 0.5
    rate_limit_retries: int = 10
    max_rate_limit_wait: float = 60.0

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.rate_limit_retries < 0:
            raise ValueError("max_retries and rate_limit_retries must be >= 0")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_rate_limit_wait < 0:
            raise ValueError("base_delay, max_delay and max_rate_limit_wait must be >= 0 seconds")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter must be between 0 and 1")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Delay before retry number `retry` (0-based) after a 5xx or a connection error."""
        delay = min(self.max_delay, self.base_delay * (2.0**retry))
        return delay * (1.0 - self.jitter) + rng.uniform(0.0, delay * self.jitter)

    def rate_limit_wait(self, headers: Mapping[str, str], retry: int, rng: random.Random) -> tuple[float, float | None]:
        """(seconds to sleep, seconds the server asked for or None) before retrying a 429."""
        asked = rate_limit_hint(headers)
        if asked is None:
            return self.backoff(retry, rng), None
        spread = min(0.1 * asked, 0.25)
        return max(asked, _MIN_RATE_LIMIT_WAIT) + rng.uniform(0.0, spread + _MIN_RATE_LIMIT_WAIT), asked


def rate_limit_hint(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait according to `X-RateLimit-Reset`, else `Retry-After`; None when neither parses."""
    reset = parse_reset(headers.get("x-ratelimit-reset"), now)
    if reset is not None:
        return reset
    return parse_retry_after(headers.get("retry-after"), now)


def parse_reset(value: str | None, now: float | None = None) -> float | None:
    """`X-RateLimit-Reset`: seconds until reset, or an absolute Unix time (seconds or milliseconds)."""
    number = _number(value)
    if number is None:
        return None
    if number >= _EPOCH_SECONDS_THRESHOLD:
        absolute = number / 1000 if number >= _EPOCH_MILLIS_THRESHOLD else number
        return max(absolute - (time.time() if now is None else now), 0.0)
    return max(number, 0.0)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After`: delay in seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    number = _number(value)
    if number is not None:
        return max(number, 0.0)
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None
