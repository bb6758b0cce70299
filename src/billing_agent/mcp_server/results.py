"""Tool results: structured content (a JSON object) plus a compact text rendering, within a size budget."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel

from billing_agent.lago import PageMeta
from billing_agent.mcp_server.links import DashboardLinks
from billing_agent.mcp_server.rendering import record_text, summary_line

Record = dict[str, Any]


@dataclass(frozen=True)
class ResultBudget:
    """How big one tool result may get.

    Attributes:
        max_text_chars: the text a model reads (list lines, or one record's compact JSON).
        max_structured_chars: the JSON of the listed records in the structured content.
    """

    max_text_chars: int = 24_000
    max_structured_chars: int = 400_000


def as_record(value: BaseModel | Record) -> Record:
    """A plain JSON-ready dict of a Lago record (every field Lago sent, unknown ones included)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_unset=False)
    return dict(value)


def text_result(text: str, structured: Record | None = None) -> CallToolResult:
    """A successful result with the given text and structured content."""
    return CallToolResult(content=[TextContent(type="text", text=text)], structuredContent=structured, isError=False)


def error_result(message: str, structured: Record | None = None) -> CallToolResult:
    """A tool error (`isError`) a model can act on."""
    return CallToolResult(content=[TextContent(type="text", text=message)], structuredContent=structured, isError=True)


class ResultBuilder:
    """Turns Lago records into tool results with dashboard links, pagination and a size budget."""

    def __init__(self, links: DashboardLinks, budget: ResultBudget | None = None) -> None:
        self.links = links
        self.budget = budget or ResultBudget()

    def linked(self, kind: str, value: BaseModel | Record) -> Record:
        """The record as a dict with `dashboard_url` attached."""
        return self.links.attach(kind, as_record(value))

    def record(self, kind: str, value: BaseModel | Record, *, note: str | None = None) -> CallToolResult:
        """One record: `{kind: record}` plus its summary line and compact JSON."""
        record = self.linked(kind, value)
        text = record_text(kind, record, self.budget.max_text_chars)
        if note:
            text = f"{note}\n{text}"
        return text_result(text, {kind: record})

    def records(
        self,
        kind: str,
        plural: str,
        values: Sequence[BaseModel | Record],
        *,
        tool: str,
        meta: PageMeta | None = None,
        per_page: int | None = None,
        extra: Record | None = None,
    ) -> CallToolResult:
        """A list: `{plural: [...], "pagination": {...}}`, one text line per record, cut to the size budget."""
        records = [self.linked(kind, value) for value in values]
        kept, lines = self._fit(kind, records)
        left_out = len(records) - len(kept)
        pagination = _pagination(meta, per_page, len(records), len(kept), left_out)
        header = _header(plural, pagination, tool, per_page)
        text = "\n".join([header, *lines])
        if left_out:
            text += "\n" + _left_out_line(left_out, tool, pagination)
        structured: Record = {plural: kept, "pagination": pagination}
        if extra:
            structured.update(extra)
        return text_result(text, structured)

    def _fit(self, kind: str, records: list[Record]) -> tuple[list[Record], list[str]]:
        kept: list[Record] = []
        lines: list[str] = []
        text_size = 0
        json_size = 0
        for record in records:
            line = "- " + summary_line(kind, record)
            size = len(json.dumps(record, default=str))
            over_text = text_size + len(line) + 1 > self.budget.max_text_chars
            over_json = json_size + size > self.budget.max_structured_chars
            if kept and (over_text or over_json):
                break
            kept.append(record)
            lines.append(line)
            text_size += len(line) + 1
            json_size += size
        return kept, lines


def _pagination(meta: PageMeta | None, per_page: int | None, fetched: int, kept: int, left_out: int) -> Record:
    if meta is None:
        return {
            "page": 1,
            "per_page": per_page or fetched,
            "total_pages": 1,
            "total_count": fetched,
            "next_page": None,
            "prev_page": None,
            "returned": kept,
            "left_out": left_out,
        }
    return {
        "page": meta.current_page,
        "per_page": per_page,
        "total_pages": meta.total_pages,
        "total_count": meta.total_count,
        "next_page": meta.next_page,
        "prev_page": meta.prev_page,
        "returned": kept,
        "left_out": left_out,
    }


def _header(plural: str, pagination: Record, tool: str, per_page: int | None) -> str:
    total = pagination["total_count"]
    if total == 0:
        return f"No {plural} match (total_count 0)."
    header = (
        f"{plural}: {pagination['returned']} shown of total_count {total} "
        f"(page {pagination['page']} of {pagination['total_pages']}"
    )
    if per_page:
        header += f", per_page {per_page}"
    header += ")."
    if pagination["next_page"]:
        more = f" More: call {tool} with page={pagination['next_page']}"
        if per_page:
            more += f" per_page={per_page}"
        header += more + " (same filters)."
    return header


def _left_out_line(left_out: int, tool: str, pagination: Record) -> str:
    shown = pagination["returned"]
    page = pagination["page"] or 1
    per_page = pagination["per_page"] or shown + left_out
    first_unseen = (page - 1) * per_page + shown
    next_page = first_unseen // shown + 1
    repeat = " (the first records of that page may repeat ones shown here)" if first_unseen % shown else ""
    return (
        f"{left_out} more {'record' if left_out == 1 else 'records'} of this page left out to fit the size budget: "
        f"call {tool} again with per_page={shown} page={next_page} (same filters) to continue{repeat}, "
        f"or narrow the filters."
    )
