"""What one planning call knows: the user's request, today's date, the bound tools, earlier results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from billing_agent.graph.offline.catalog import ToolCatalog
from billing_agent.graph.offline.results import ToolResult


@dataclass(frozen=True)
class Request:
    """The current user request and its context.

    Attributes:
        text: The request as typed (entities keep their case).
        lower: Lower-cased, whitespace-collapsed text used for matching.
        today: The day relative time ranges are computed from.
        catalog: The bound tools.
        earlier: Tool results of earlier turns, oldest first (for follow-ups).
    """

    text: str
    lower: str
    today: date
    catalog: ToolCatalog
    earlier: tuple[ToolResult, ...] = ()

    @classmethod
    def build(cls, text: str, today: date, catalog: ToolCatalog, earlier: tuple[ToolResult, ...] = ()) -> Request:
        """Normalizes whitespace and backticks, and keeps a lower-cased copy."""
        cleaned = " ".join(text.replace("`", " ").split())
        return cls(cleaned, cleaned.lower(), today, catalog, earlier)
