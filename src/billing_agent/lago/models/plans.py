"""Plans."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from billing_agent.lago.models.base import LagoModel


class Plan(LagoModel):
    """A Lago plan, addressed by `code`."""

    lago_id: str
    code: str
    name: str | None = None
    interval: str | None = None
    amount_cents: int | None = None
    amount_currency: str | None = None
    pay_in_advance: bool | None = None
    description: str | None = None
    charges: list[dict[str, Any]] | None = None
    created_at: datetime | None = None
