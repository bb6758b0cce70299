"""Read records out of structured tool results, whatever envelope the MCP server used."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from billing_agent.graph.state import RecordRef

_META_KEYS = ("pagination", "meta")
_ID_KEYS = ("lago_id", "external_id", "number", "code")


@dataclass
class Records:
    """The records found in one result: a list (with pagination) or a single record."""

    kind: str
    items: list[dict[str, Any]] = field(default_factory=list)
    single: bool = False
    total_count: int | None = None
    next_page: int | None = None


def parse_json_text(text: str) -> Any:
    """The JSON value in a tool's text output, or None when the text is not JSON."""
    stripped = text.strip()
    if not stripped or stripped[0] not in "[{":
        return None
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def _kind_from_tool(tool: str) -> str:
    for prefix in ("list_customer_", "list_", "get_customer_", "get_", "find_", "create_", "update_", "delete_"):
        if tool.startswith(prefix):
            return tool[len(prefix) :]
    return tool


def _pagination(data: dict[str, Any]) -> tuple[int | None, int | None]:
    for key in _META_KEYS:
        meta = data.get(key)
        if isinstance(meta, dict):
            total, following = meta.get("total_count"), meta.get("next_page")
            return (total if isinstance(total, int) else None, following if isinstance(following, int) else None)
    total = data.get("total_count")
    return (total if isinstance(total, int) else None, None)


def extract_records(tool: str, data: Any) -> Records | None:
    """Find the records in a structured result: `{"invoices": [...], "pagination": {...}}`, `{"invoice": {...}}`,
    a bare record or a bare list. Returns None when there are none."""
    if isinstance(data, list):
        items = [item for item in data if isinstance(item, dict)]
        return Records(kind=_kind_from_tool(tool), items=items) if items or not data else None
    if not isinstance(data, dict) or not data:
        return None
    for key, value in data.items():
        if key not in _META_KEYS and isinstance(value, list) and all(isinstance(v, dict) for v in value):
            total, following = _pagination(data)
            return Records(kind=key, items=list(value), total_count=total, next_page=following)
    wrapped = [(k, v) for k, v in data.items() if k not in _META_KEYS and isinstance(v, dict)]
    if len(data) == 1 and len(wrapped) == 1:
        key, value = wrapped[0]
        return Records(kind=key, items=[value], single=True)
    return Records(kind=_kind_from_tool(tool), items=[data], single=True)


def record_refs(records: Records) -> list[RecordRef]:
    """Identifiers of each record, in order, for follow-up questions."""
    refs: list[RecordRef] = []
    for item in records.items:
        ref: dict[str, str] = {"kind": records.kind}
        for key in _ID_KEYS:
            value = item.get(key)
            if isinstance(value, str) and value:
                ref[key] = value
        refs.append(ref)  # type: ignore[arg-type]
    return refs
