"""Natural time ranges ("last 30 days", "last week", "this month", "from Q3") relative to a given today."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
ISO_DATE = r"(\d{4}-\d{2}-\d{2})"

_LAST_N = re.compile(r"\b(?:last|past|previous)\s+(\d{1,4})\s+(day|week|month|year)s?\b")
_EXPLICIT = re.compile(rf"\b(?:from|between)\s+{ISO_DATE}\s+(?:to|and|until)\s+{ISO_DATE}\b")
_SINCE = re.compile(rf"\b(?:since|after|from)\s+{ISO_DATE}\b")
_QUARTER = re.compile(r"\bq([1-4])(?:\s+(\d{4}))?\b")
_MONTH = re.compile(r"\b(?:in|from|during|for)\s+(" + "|".join(MONTHS) + r")(?:\s+(\d{4}))?\b")


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of calendar days."""

    start: date
    end: date

    def describe(self) -> str:
        """E.g. "from 2026-10-01 to 2026-10-31"."""
        return f"from {self.start.isoformat()} to {self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        """True when `day` falls inside the range."""
        return self.start <= day <= self.end


def parse_date_range(text: str, today: date) -> DateRange | None:
    """Finds the first time range named in lower-cased `text`, or None."""
    for parser in (_explicit, _last_n, _named, _quarter, _month, _since):
        try:
            found = parser(text, today)
        except (ValueError, OverflowError):
            continue
        if found is not None:
            return found
    return None


def _explicit(text: str, today: date) -> DateRange | None:
    match = _EXPLICIT.search(text)
    if not match:
        return None
    start, end = _iso(match.group(1)), _iso(match.group(2))
    return DateRange(start, end) if start and end and start <= end else None


def _since(text: str, today: date) -> DateRange | None:
    match = _SINCE.search(text)
    start = _iso(match.group(1)) if match else None
    return DateRange(start, today) if start and start <= today else None


def _last_n(text: str, today: date) -> DateRange | None:
    match = _LAST_N.search(text)
    if not match:
        return None
    count = int(match.group(1))
    if count == 0:
        return None
    return DateRange(today - timedelta(days=count * UNIT_DAYS[match.group(2)]), today)


def _named(text: str, today: date) -> DateRange | None:
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    ranges = {
        "today": DateRange(today, today),
        "yesterday": DateRange(today - timedelta(days=1), today - timedelta(days=1)),
        "this week": DateRange(monday, today),
        "last week": DateRange(monday - timedelta(days=7), monday - timedelta(days=1)),
        "this month": DateRange(first_of_month, today),
        "last month": DateRange(last_month_end.replace(day=1), last_month_end),
        "this year": DateRange(date(today.year, 1, 1), today),
        "last year": DateRange(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        "this quarter": DateRange(_quarter_start(today.year, (today.month - 1) // 3 + 1), today),
    }
    found = [(text.find(phrase), phrase) for phrase in ranges if re.search(rf"\b{phrase}\b", text)]
    return ranges[min(found)[1]] if found else None


def _quarter(text: str, today: date) -> DateRange | None:
    match = _QUARTER.search(text)
    if not match:
        return None
    quarter = int(match.group(1))
    year = int(match.group(2)) if match.group(2) else today.year
    if not match.group(2) and _quarter_start(year, quarter) > today:
        year -= 1
    start = _quarter_start(year, quarter)
    end = _quarter_start(year + 1, 1) if quarter == 4 else _quarter_start(year, quarter + 1)
    return DateRange(start, min(end - timedelta(days=1), today) if start <= today else end - timedelta(days=1))


def _month(text: str, today: date) -> DateRange | None:
    match = _MONTH.search(text)
    if not match:
        return None
    month = MONTHS.index(match.group(1)) + 1
    year = int(match.group(2)) if match.group(2) else today.year
    if not match.group(2) and date(year, month, 1) > today:
        year -= 1
    start = date(year, month, 1)
    end = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
    return DateRange(start, end)


def _quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
