"""Coupons and coupons applied to customers."""

from __future__ import annotations

from datetime import datetime

from billing_agent.lago.models.base import LagoModel


class Coupon(LagoModel):
    """A coupon definition, addressed by `code`."""

    lago_id: str
    code: str
    name: str | None = None
    coupon_type: str | None = None
    amount_cents: int | None = None
    amount_currency: str | None = None
    percentage_rate: str | None = None
    frequency: str | None = None
    frequency_duration: int | None = None
    reusable: bool | None = None
    expiration: str | None = None
    expiration_at: datetime | None = None
    terminated_at: datetime | None = None
    created_at: datetime | None = None


class AppliedCoupon(LagoModel):
    """A coupon applied to one customer."""

    lago_id: str
    lago_coupon_id: str | None = None
    coupon_code: str | None = None
    coupon_name: str | None = None
    lago_customer_id: str | None = None
    external_customer_id: str | None = None
    status: str | None = None
    amount_cents: int | None = None
    amount_cents_remaining: int | None = None
    amount_currency: str | None = None
    percentage_rate: str | None = None
    frequency: str | None = None
    frequency_duration: int | None = None
    frequency_duration_remaining: int | None = None
    created_at: datetime | None = None
    terminated_at: datetime | None = None
