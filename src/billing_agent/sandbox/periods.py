"""Billing periods: where the current period of a subscription starts and ends for each plan interval."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta

_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` shifted by whole months, the day clamped to the target month's length."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def current_period(interval: str, billing_time: str, anchor: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The billing period that contains `now`: (start, end) with `end` the last second of the period.

    Args:
        interval: the plan interval (weekly, monthly, quarterly, semiannual, yearly).
        billing_time: `calendar` (periods aligned on calendar boundaries) or `anniversary` (on `anchor`).
        anchor: when the subscription started.
        now: the moment the period must contain.
    """
    now = now.astimezone(UTC)
    if interval == "weekly":
        start = _weekly_start(billing_time, anchor, now)
        return start, start + timedelta(weeks=1, seconds=-1)
    months = _MONTHS.get(interval, 1)
    if billing_time == "anniversary":
        start = anchor.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        steps = 0
        while add_months(start, months * (steps + 1)) <= now:
            steps += 1
        start = add_months(start, months * steps)
    else:
        first_month = (now.month - 1) // months * months + 1
        start = datetime(now.year, first_month, 1, tzinfo=UTC)
    end = add_months(start, months) - timedelta(seconds=1)
    return start, end


def _weekly_start(billing_time: str, anchor: datetime, now: datetime) -> datetime:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if billing_time == "anniversary":
        weekday = anchor.astimezone(UTC).weekday()
        return midnight - timedelta(days=(midnight.weekday() - weekday) % 7)
    return midnight - timedelta(days=midnight.weekday())
