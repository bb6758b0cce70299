"""Subscriptions."""

from __future__ import annotations

from datetime import datetime

from billing_agent.lago.models.base import LagoModel


class Subscription(LagoModel):
    """A customer's subscription to a plan, addressed by `external_id`."""

    lago_id: str
    external_id: str
    external_customer_id: str | None = None
    lago_customer_id: str | None = None
    plan_code: str | None = None
    name: str | None = None
    status: str | None = None
    billing_time: str | None = None
    subscription_at: datetime | None = None
    started_at: datetime | None = None
    ending_at: datetime | None = None
    terminated_at: datetime | None = None
    canceled_at: datetime | None = None
    created_at: datetime | None = None
