"""Mistral's message-order rules as an assertion, shared by the property tests and the graph tests."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage


def assert_mistral_valid(messages: Sequence[BaseMessage]) -> None:
    """Fail unless the list satisfies the rules Mistral's chat API enforces."""
    body = [m for m in messages if not isinstance(m, SystemMessage)]
    assert all(isinstance(m, SystemMessage) for m in messages[: len(messages) - len(body)]), "system not first"
    expected: list[str] = []
    previous: BaseMessage | None = None
    for message in body:
        if isinstance(message, ToolMessage):
            assert expected, f"tool message {message.tool_call_id} answers nothing"
            assert message.tool_call_id == expected.pop(0), "tool messages out of order"
        else:
            assert not expected, f"tool calls left unanswered: {expected}"
            if isinstance(message, HumanMessage):
                assert not isinstance(previous, ToolMessage), "user message right after a tool message"
            if isinstance(message, AIMessage):
                ids = [c["id"] for c in message.tool_calls] + [c["id"] for c in message.invalid_tool_calls]
                expected = [str(i) for i in ids]
                assert message.content or expected, "empty assistant message"
        previous = message
    assert not expected, f"tool calls left unanswered at the end: {expected}"
    if body:
        assert isinstance(body[-1], HumanMessage | ToolMessage), "last message must be user or tool"
