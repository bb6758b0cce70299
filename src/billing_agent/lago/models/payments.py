"""Payments."""

from __future__ import annotations

from datetime import datetime

from billing_agent.lago.models.base import LagoModel


class Payment(LagoModel):
    """A payment (manual or from a provider), addressed by `lago_id`."""

    lago_id: str
    lago_customer_id: str | None = None
    external_customer_id: str | None = None
    invoice_ids: list[str] | None = None
    amount_cents: int | None = None
    amount_currency: str | None = None
    status: str | None = None
    payment_status: str | None = None
    type: str | None = None
    reference: str | None = None
    created_at: datetime | None = None
