"""Small helpers shared by the conversation index and the audit trail: timestamps, titles, store items."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

TITLE_CHARS = 80
_SPACES = re.compile(r"\s+")


def now_iso() -> str:
    """The current UTC time as ISO 8601 with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def title_from(message: str, limit: int = TITLE_CHARS) -> str:
    """A conversation title: the first user message on one line, cut at `limit` characters."""
    text = _SPACES.sub(" ", message).strip()
    if not text:
        return "(empty message)"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip(value: Any, limit: int) -> Any:
    """`value` unchanged when its text form fits in `limit` characters, else that text cut with a marker."""
    text = str(value)
    return value if len(text) <= limit else text[:limit] + f"… ({len(text) - limit:,} more characters)"
