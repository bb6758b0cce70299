"""Invoices."""

from __future__ import annotations

from datetime import date, datetime

from billing_agent.lago.models.base import LagoModel
from billing_agent.lago.models.customers import Customer


class Invoice(LagoModel):
    """A Lago invoice, addressed by `lago_id`."""

    lago_id: str
    number: str | None = None
    invoice_type: str | None = None
    status: str | None = None
    payment_status: str | None = None
    payment_overdue: bool | None = None
    issuing_date: date | None = None
    payment_due_date: date | None = None
    currency: str | None = None
    fees_amount_cents: int | None = None
    taxes_amount_cents: int | None = None
    total_amount_cents: int | None = None
    total_due_amount_cents: int | None = None
    file_url: str | None = None
    customer: Customer | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
