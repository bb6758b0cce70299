"""Query strings and path segments the way Lago expects them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import quote

QueryParams = list[tuple[str, str | int | float | bool | None]]


def encode_params(params: Mapping[str, Any] | None) -> QueryParams:
    """Encode filters as query pairs: None dropped, lists Rails-style (`key[]=a&key[]=b`), bools `true`/`false`.

    A key already ending in `[]` is kept as is; a dict value becomes `key[sub]=value` (e.g. `metadata`).
    """
    pairs: QueryParams = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            pairs.extend((f"{key}[{sub}]", scalar(item)) for sub, item in value.items() if item is not None)
        elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
            name = key if key.endswith("[]") else f"{key}[]"
            pairs.extend((name, scalar(item)) for item in value if item is not None)
        else:
            pairs.append((key, scalar(value)))
    return pairs


def scalar(value: Any) -> str:
    """One query value as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def segment(value: str, name: str, example: str) -> str:
    """A URL-escaped path segment; empty values fail fast with what to pass instead.

    Args:
        value: the identifier, e.g. a customer's external_id.
        name: the parameter's name, used in the error message.
        example: an example value for the error message.

    Raises:
        ValueError: when `value` is empty or not a string.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string (got {value!r}); pass e.g. {example!r}")
    return quote(value, safe="")


def require_fields(body: Mapping[str, Any], what: str, *fields: str) -> None:
    """Fail fast when a body misses a field Lago requires to identify the record.

    Raises:
        TypeError: when `body` is not a mapping.
        ValueError: when a field is missing or empty.
    """
    if not isinstance(body, Mapping):
        raise TypeError(f"{what} must be a dict of Lago fields, got {type(body).__name__}")
    missing = [field for field in fields if body.get(field) in (None, "")]
    if missing:
        raise ValueError(f"{what} needs {', '.join(missing)}; add {'it' if len(missing) == 1 else 'them'} to the dict")


def as_body(value: Mapping[str, Any], what: str) -> dict[str, Any]:
    """A request body dict (copied), or TypeError naming what was expected."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{what} must be a dict of Lago fields, got {type(value).__name__}")
    return dict(value)
