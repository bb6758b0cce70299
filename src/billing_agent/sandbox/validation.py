"""Field validation with Lago's error codes (`value_is_mandatory`, `invalid_format`, `value_is_invalid`, …)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from billing_agent.sandbox.codes import COUNTRIES, CURRENCIES, TIMEZONES
from billing_agent.sandbox.http import LagoError, validation_error

_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")


class Checker:
    """Collects per-field error codes and raises one 422 `validation_errors` with all of them."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, code: str) -> None:
        """Record `code` against `field`."""
        self.errors.setdefault(field, []).append(code)

    def present(self, field: str) -> bool:
        """True when the field is given and not empty."""
        return self.data.get(field) not in (None, "")

    def mandatory(self, *fields: str) -> None:
        """Each field must be given (`value_is_mandatory`)."""
        for field in fields:
            if not self.present(field):
                self.add(field, "value_is_mandatory")

    def one_of(self, field: str, allowed: Iterable[str]) -> None:
        """When given, the field must be one of `allowed` (`value_is_invalid`)."""
        if self.present(field) and self.data[field] not in set(allowed):
            self.add(field, "value_is_invalid")

    def currency(self, field: str) -> None:
        """When given, the field must be an ISO 4217 code Lago supports."""
        self.one_of(field, CURRENCIES)

    def country(self, field: str) -> None:
        """When given, the field must be an ISO 3166-1 alpha-2 code (`country_code_invalid`)."""
        if self.present(field) and str(self.data[field]).upper() not in COUNTRIES:
            self.add(field, "country_code_invalid")

    def timezone(self, field: str) -> None:
        """When given, the field must be a time zone Lago knows (`invalid_timezone`)."""
        if self.present(field) and self.data[field] not in TIMEZONES:
            self.add(field, "invalid_timezone")

    def emails(self, field: str) -> None:
        """When given, the field must hold comma-separated valid addresses (`invalid_format`)."""
        if not self.present(field):
            return
        value = self.data[field]
        if not isinstance(value, str) or not all(_EMAIL.match(part.strip()) for part in value.split(",")):
            self.add(field, "invalid_format")

    def integer(self, field: str, *, minimum: int | None = 0) -> None:
        """When given, the field must be an integer (not below `minimum`)."""
        if not self.present(field):
            return
        value = self.data[field]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(field, "value_is_invalid")
        elif minimum is not None and value < minimum:
            self.add(field, "value_is_out_of_range")

    def decimal(self, field: str, *, positive: bool = False) -> None:
        """When given, the field must be a number or numeric string (`invalid_value`)."""
        if not self.present(field):
            return
        number = to_decimal(self.data[field])
        if number is None or number < 0 or (positive and number == 0):
            self.add(field, "invalid_value")

    def boolean(self, field: str) -> None:
        """When given, the field must be a JSON boolean."""
        if field in self.data and self.data[field] is not None and not isinstance(self.data[field], bool):
            self.add(field, "value_is_invalid")

    def datetime(self, field: str) -> None:
        """When given, the field must be an ISO 8601 date-time (`invalid_date`)."""
        if self.present(field) and parse_datetime(self.data[field]) is None:
            self.add(field, "invalid_date")

    def done(self) -> None:
        """Raise the collected errors, if any."""
        if self.errors:
            raise validation_error(**self.errors)


def to_decimal(value: Any) -> Decimal | None:
    """A Decimal from a number or numeric string, None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime from ISO 8601 text (a bare date means midnight UTC), None when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def decimal_text(value: Decimal) -> str:
    """Lago's decimal strings: `"20.0"`, `"0.5"`, `"1200.0"` (always one fractional digit at least)."""
    text = format(value.normalize(), "f")
    return text if "." in text else f"{text}.0"


def single_error(field: str, code: str) -> LagoError:
    """A 422 with one field and one code, e.g. `{"coupon": ["coupon_is_not_reusable"]}`."""
    return validation_error(**{field: [code]})
