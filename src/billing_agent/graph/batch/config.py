"""Batch limits: item cap, concurrency (worker lanes), rate limit, chunk size."""

from __future__ import annotations

import math
from dataclasses import dataclass

from billing_agent.settings import Settings

MAX_CHUNK = 25
CHUNKS_PER_LANE = 4
TYPICAL_CALL_SECONDS = 0.1


@dataclass(frozen=True)
class BatchConfig:
    """How big and how fast a batch may be.

    Attributes:
        max_items: most targets one batch may touch (`BILLING_AGENT_BATCH_MAX_ITEMS`).
        concurrency: chunks that run at once, as lanes inside the workers (`BILLING_AGENT_BATCH_CONCURRENCY`).
        rate: requests per second to Lago, shared by every worker of the process (`BILLING_AGENT_BATCH_RATE`).
        chunk_size: items per `Send`; None picks one from the item count and the concurrency.
    """

    max_items: int = 1000
    concurrency: int = 8
    rate: float = 40.0
    chunk_size: int | None = None

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> BatchConfig:
        """The limits configured in the environment."""
        settings = settings or Settings()
        return cls(settings.batch_max_items, settings.batch_concurrency, settings.batch_rate)

    def chunk_for(self, count: int) -> int:
        """Items per worker task: about `CHUNKS_PER_LANE` tasks per lane (few checkpoint writes, an even tail)."""
        if self.chunk_size is not None:
            return max(1, self.chunk_size)
        return max(1, min(MAX_CHUNK, math.ceil(count / (self.concurrency * CHUNKS_PER_LANE))))

    def estimate_seconds(self, count: int) -> float:
        """A rough duration: the rate limit, or the concurrency at a typical call time, whichever is slower."""
        return max(count / self.rate, count * TYPICAL_CALL_SECONDS / self.concurrency)
