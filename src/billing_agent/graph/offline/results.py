"""Tool results as the offline planner reads them: structured payload, records, counts, errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import ToolMessage

PAGINATION_KEYS = ("meta", "pagination")


@dataclass(frozen=True)
class ToolResult:
    """One tool call's outcome.

    Attributes:
        name: Tool name (from the message or the matching call).
        payload: Structured result (artifact or parsed JSON), or None when only text came back.
        text: The message content as plain text.
        is_error: True when the tool failed or the call was declined.
        args: The arguments of the call (for follow-ups such as the next page).
    """

    name: str
    payload: Any
    text: str
    is_error: bool
    args: Mapping[str, Any] = field(default_factory=dict)

    @property
    def records(self) -> list[dict[str, Any]]:
        """Records of a list result, or the single record of a get result, else an empty list."""
        return extract_records(self.payload)

    @property
    def total_count(self) -> int | None:
        """The `total_count` of a paginated list result, when the tool reported one."""
        return extract_total_count(self.payload)

    @property
    def next_page(self) -> int | None:
        """The `next_page` of a paginated list result (None on the last page or when unknown)."""
        return _pagination_int(self.payload, "next_page")

    @property
    def page(self) -> int | None:
        """The page number of a paginated list result."""
        return _pagination_int(self.payload, "page") or _pagination_int(self.payload, "current_page")


def message_text(content: Any) -> str:
    """Flattens message content (a string or a list of content blocks) into plain text."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and isinstance(block.get("text"), str):
                parts.append(block["text"])
        return "\n".join(parts)
    return "" if content is None else str(content)


def result_from_message(
    message: ToolMessage, call_name: str | None = None, call_args: Mapping[str, Any] | None = None
) -> ToolResult:
    """Builds a `ToolResult`, preferring the structured artifact over the text content."""
    text = message_text(message.content)
    return ToolResult(
        name=message.name or call_name or "",
        payload=_payload(message.artifact, text),
        text=text,
        is_error=message.status == "error",
        args=dict(call_args or {}),
    )


def _payload(artifact: Any, text: str) -> Any:
    if isinstance(artifact, dict):
        structured = artifact.get("structured_content", artifact)
        return _unwrap_result(structured)
    if isinstance(artifact, list) and artifact:
        return artifact
    try:
        return _unwrap_result(json.loads(text))
    except ValueError:
        return None


def _unwrap_result(value: Any) -> Any:
    """FastMCP wraps non-object results as `{"result": ...}`; looks through that wrapper."""
    if isinstance(value, dict) and set(value) == {"result"}:
        return value["result"]
    return value


def extract_records(payload: Any) -> list[dict[str, Any]]:
    """Finds the records in a payload: a list of objects, `{"<plural>": [...]}` or `{"<singular>": {...}}`."""
    if isinstance(payload, list):
        return [item for item in payload if isinstance(item, dict)]
    if not isinstance(payload, dict):
        return []
    for key, value in payload.items():
        if key not in PAGINATION_KEYS and isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return list(value)
    objects = [v for k, v in payload.items() if k not in PAGINATION_KEYS and isinstance(v, dict)]
    if len(objects) == 1 and not _looks_like_record(payload):
        return [objects[0]]
    return [payload] if _looks_like_record(payload) else []


def _looks_like_record(value: dict[str, Any]) -> bool:
    return any(key in value for key in ("lago_id", "external_id", "code", "activity_id", "request_id"))


def extract_total_count(payload: Any) -> int | None:
    """Reads `total_count` from a list payload's pagination block or top level."""
    if not isinstance(payload, dict):
        return None
    for key in PAGINATION_KEYS:
        block = payload.get(key)
        if isinstance(block, dict) and isinstance(block.get("total_count"), int):
            return int(block["total_count"])
    total = payload.get("total_count")
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def _pagination_int(payload: Any, key: str) -> int | None:
    if not isinstance(payload, dict):
        return None
    for block_key in PAGINATION_KEYS:
        block = payload.get(block_key)
        value = block.get(key) if isinstance(block, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None
