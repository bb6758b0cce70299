"""Building conversations for the offline planner: requests, tool results, one planning step."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from billing_agent.graph.offline import OfflinePlanner

TODAY = date(2026, 11, 26)  # a Thursday
SYSTEM = SystemMessage(content="You are the billing assistant. Today is 2026-11-26.")


def step(tools: Sequence[dict[str, Any]] | None, messages: Sequence[BaseMessage]) -> AIMessage:
    """One planner call, bound to `tools` (unbound when None)."""
    planner = OfflinePlanner(today=TODAY)
    model = planner.bind_tools(list(tools)) if tools is not None else planner
    reply = model.invoke(list(messages))
    assert isinstance(reply, AIMessage)
    return reply


def calls_of(message: AIMessage) -> list[tuple[str, dict[str, Any]]]:
    """(name, args) of each tool call."""
    return [(call["name"], call["args"]) for call in message.tool_calls]


def answer(message: AIMessage, payloads: Sequence[Any], *, error: bool = False) -> list[ToolMessage]:
    """Tool messages answering each call of `message`, structured payload as artifact and JSON text."""
    return [
        ToolMessage(
            content=payload if isinstance(payload, str) else json.dumps(payload),
            artifact=None if isinstance(payload, str) else {"structured_content": payload},
            tool_call_id=call["id"],
            name=call["name"],
            status="error" if error else "success",
        )
        for call, payload in zip(message.tool_calls, payloads, strict=True)
    ]


def converse(
    tools: Sequence[dict[str, Any]] | None, request: str, replies: Sequence[Sequence[Any]], history: Sequence[Any] = ()
) -> tuple[list[BaseMessage], AIMessage]:
    """Runs a request through rounds of tool results; returns the messages and the planner's last message."""
    messages: list[BaseMessage] = [SYSTEM, *history, HumanMessage(content=request)]
    message = step(tools, messages)
    for payloads in replies:
        assert message.tool_calls, f"expected tool calls, got {message.content!r}"
        messages += [message, *answer(message, payloads)]
        message = step(tools, messages)
    return messages, message


def customers(*records: tuple[str, str]) -> dict[str, Any]:
    """A `list_customers` payload of (external_id, name) pairs."""
    items = [{"lago_id": f"c-{i}", "external_id": e, "name": n} for i, (e, n) in enumerate(records)]
    return {"customers": items, "pagination": {"current_page": 1, "total_count": len(items)}}
