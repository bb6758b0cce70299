"""Credit notes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from billing_agent.lago.models.base import LagoModel


class CreditNote(LagoModel):
    """A credit note on an invoice, addressed by `lago_id`."""

    lago_id: str
    number: str | None = None
    lago_invoice_id: str | None = None
    invoice_number: str | None = None
    issuing_date: date | None = None
    reason: str | None = None
    credit_status: str | None = None
    refund_status: str | None = None
    currency: str | None = None
    total_amount_cents: int | None = None
    credit_amount_cents: int | None = None
    refund_amount_cents: int | None = None
    balance_amount_cents: int | None = None
    items: list[dict[str, Any]] | None = None
    metadata: dict[str, str | None] | None = None
    """Key-value pairs stored with the credit note (e.g. the agent's idempotency marker)."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
