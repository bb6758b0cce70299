"""Billable metrics."""

from __future__ import annotations

from datetime import datetime

from billing_agent.lago.models.base import LagoModel


class BillableMetric(LagoModel):
    """What usage events are aggregated into, addressed by `code`."""

    lago_id: str
    code: str
    name: str | None = None
    description: str | None = None
    aggregation_type: str | None = None
    field_name: str | None = None
    recurring: bool | None = None
    created_at: datetime | None = None
