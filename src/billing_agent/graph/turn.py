"""Helpers that read the current turn out of the message list."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, HumanMessage, ToolCall, ToolMessage


def current_turn(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The messages after the last human message (the work done for the current request)."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return list(messages[index + 1 :])
    return list(messages)


def last_human(messages: Sequence[BaseMessage]) -> HumanMessage | None:
    """The most recent human message, if any."""
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return message
    return None


def tool_rounds(messages: Sequence[BaseMessage]) -> int:
    """How many assistant messages with tool calls the current turn holds."""
    return sum(1 for m in current_turn(messages) if isinstance(m, AIMessage) and (m.tool_calls or m.invalid_tool_calls))


def last_ai(messages: Sequence[AnyMessage]) -> AIMessage | None:
    """The last message when it is the assistant's."""
    if messages and isinstance(messages[-1], AIMessage):
        return messages[-1]
    for message in reversed(messages):
        if isinstance(message, AIMessage):
            return message
        if not isinstance(message, ToolMessage):
            return None
    return None


def answered_ids(messages: Sequence[BaseMessage]) -> set[str]:
    """Tool call ids that already have a tool message after the last assistant message."""
    ids: set[str] = set()
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        ids.add(message.tool_call_id)
    return ids


def open_calls(messages: Sequence[AnyMessage]) -> list[ToolCall]:
    """Tool calls of the last assistant message that no tool message answers yet."""
    ai = last_ai(messages)
    if ai is None:
        return []
    done = answered_ids(messages)
    return [call for call in ai.tool_calls if call.get("id") not in done]


NO_RESPONSE_TEXT = "(Lago no response on "
"""How our MCP server's error text says that Lago did not answer (MCP adapters drop an error's structured
content, so the text is what reaches the graph)."""


def unreachable_lago(messages: Sequence[BaseMessage]) -> str | None:
    """The message of the current turn's first tool call that got no response from Lago, if any did."""
    for message in current_turn(messages):
        if isinstance(message, ToolMessage) and message.status == "error" and NO_RESPONSE_TEXT in str(message.content):
            return str(message.content)
    return None
