"""Run one tool call and turn every outcome into a ToolMessage plus the full structured result."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool

from billing_agent.graph.records import parse_json_text


@dataclass
class Outcome:
    """What a tool call produced: success flag, the text it returned and its structured result."""

    ok: bool
    text: str
    data: Any


def content_text(content: Any) -> str:
    """Plain text of message content (a string or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and isinstance(block.get("text"), str):
                parts.append(block["text"])
        return "\n".join(parts)
    return str(content)


def _structured(artifact: Any, text: str) -> Any:
    if isinstance(artifact, Mapping) and "structured_content" in artifact:
        return artifact["structured_content"]
    if isinstance(artifact, dict | list):
        return artifact
    return parse_json_text(text)


def _error_text(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(_error_text(e) for e in error.exceptions)
    return f"{type(error).__name__}: {error}".strip()


async def run_tool(tools: Mapping[str, BaseTool], call: ToolCall) -> Outcome:
    """Call a tool; unknown names, bad arguments, tool errors and transport failures become failed outcomes."""
    name, args = call["name"], call.get("args")
    tool = tools.get(name)
    if tool is None:
        known = ", ".join(sorted(tools)[:12])
        return Outcome(
            False, f"There is no tool named '{name}'. Use one of the tools you were given ({known}, …).", None
        )
    if not isinstance(args, dict):
        return Outcome(False, f"Arguments for {name} must be a JSON object, got {type(args).__name__}.", None)
    try:
        message = await tool.ainvoke({"type": "tool_call", "name": name, "args": args, "id": call.get("id") or name})
    except Exception as error:  # every failure is reported to the model, none propagates
        return Outcome(False, f"Calling {name} failed ({_error_text(error)}). Check the arguments or try again.", None)
    if not isinstance(message, ToolMessage):
        text = message if isinstance(message, str) else json.dumps(message, default=str)
        return Outcome(True, text, parse_json_text(text))
    text = content_text(message.content)
    if message.status == "error":
        return Outcome(False, text or f"{name} failed without a message.", None)
    return Outcome(True, text, _structured(message.artifact, text))


def bounded(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with a line saying that it was cut and what to do."""
    if len(text) <= limit:
        return text
    return (
        text[:limit] + f"\n… [cut: {len(text):,} characters in total. The full result is kept and shown to the user; "
        "use filters or pagination to see other records.]"
    )
