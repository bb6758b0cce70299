"""Latency, error-rate and rate-limit injection for tests and benchmarks."""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

INJECTED_STATUSES = (500, 502, 503)


@dataclass
class FaultConfig:
    """What to inject into `/api/v1` requests.

    Attributes:
        latency_ms: added delay before each request is answered.
        error_rate: share of requests (0..1) answered with a 5xx before they reach the handler.
        rate_limit: requests per second allowed per organization (0 = unlimited); over it: 429.
        seed: seed of the random generator that picks failing requests (deterministic runs).
    """

    latency_ms: float = 0.0
    error_rate: float = 0.0
    rate_limit: float = 0.0
    seed: int | None = None

    def validate(self) -> None:
        """Reject settings that make no sense."""
        if self.latency_ms < 0:
            raise ValueError("latency_ms must be >= 0")
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate must be between 0 and 1")
        if self.rate_limit < 0:
            raise ValueError("rate_limit must be >= 0 (0 = unlimited)")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Window:
    started: float
    count: int = 0


@dataclass
class FaultInjector:
    """Decides, per request, whether to delay, fail or rate-limit it."""

    config: FaultConfig = field(default_factory=FaultConfig)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(self.config.seed)
        self._windows: dict[str, _Window] = {}

    def configure(self, config: FaultConfig) -> None:
        """Replace the configuration (resets rate windows and the random generator)."""
        config.validate()
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
            self._windows.clear()

    def injected_error(self) -> int | None:
        """The 5xx status this request should get instead of an answer, or None.

        Drawn from the seeded generator, like the choice to fail, so a seeded run fails the same way each time.
        """
        if self.config.error_rate <= 0:
            return None
        with self._lock:
            if self._rng.random() >= self.config.error_rate:
                return None
            return self._rng.choice(INJECTED_STATUSES)

    def rate_limited(self, org_id: str) -> tuple[bool, dict[str, str]]:
        """Count the request against the org's one-second window; (limited?, rate-limit headers)."""
        limit = self.config.rate_limit
        if limit <= 0:
            return False, {}
        now = time.monotonic()
        with self._lock:
            window = self._windows.get(org_id)
            if window is None or now - window.started >= 1.0:
                window = _Window(started=now)
                self._windows[org_id] = window
            window.count += 1
            allowed = math.floor(limit)
            remaining = max(allowed - window.count, 0)
            reset = max(1.0 - (now - window.started), 0.0)
            limited = window.count > allowed
        headers = {
            "X-RateLimit-Limit": str(allowed),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{reset:.3f}",
        }
        if limited:
            headers["Retry-After"] = str(max(1, math.ceil(reset)))
        return limited, headers
