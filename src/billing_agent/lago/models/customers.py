"""Customers and their current usage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from billing_agent.lago.models.base import LagoModel


class Customer(LagoModel):
    """A Lago customer, addressed by `external_id`."""

    lago_id: str
    external_id: str
    sequential_id: int | None = None
    name: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    country: str | None = None
    state: str | None = None
    city: str | None = None
    currency: str | None = None
    customer_type: str | None = None
    timezone: str | None = None
    applicable_timezone: str | None = None
    net_payment_term: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CustomerUsage(LagoModel):
    """A customer's usage in the current billing period of one subscription (not yet invoiced)."""

    from_datetime: datetime | None = None
    to_datetime: datetime | None = None
    issuing_date: str | None = None
    lago_invoice_id: str | None = None
    currency: str | None = None
    amount_cents: int | None = None
    taxes_amount_cents: int | None = None
    total_amount_cents: int | None = None
    charges_usage: list[dict[str, Any]] | None = None
