"""Usage events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from billing_agent.lago.models.base import LagoModel


class Event(LagoModel):
    """A usage event, addressed by `transaction_id`."""

    transaction_id: str
    lago_id: str | None = None
    code: str | None = None
    external_subscription_id: str | None = None
    lago_subscription_id: str | None = None
    lago_customer_id: str | None = None
    timestamp: datetime | None = None
    properties: dict[str, Any] | None = None
    precise_total_amount_cents: str | None = None
    created_at: datetime | None = None
