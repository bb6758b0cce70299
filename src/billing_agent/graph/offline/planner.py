"""One planning step: messages in, the next AI message out (tool calls, or a short final answer)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.messages.tool import ToolCall

from billing_agent.graph.offline.catalog import ToolCatalog
from billing_agent.graph.offline.conversation import read_conversation
from billing_agent.graph.offline.flows import Emit, Reply, replay
from billing_agent.graph.offline.intents import answer_flow
from billing_agent.graph.offline.replies import NOTHING_PENDING, help_text, too_long_text
from billing_agent.graph.offline.request import Request

MAX_REQUEST_CHARS = 2_000


def plan_next_message(messages: Sequence[BaseMessage], catalog: ToolCatalog, today: date | None) -> AIMessage:
    """Decides the next AI message for the conversation; deterministic for the same messages and day."""
    conversation = read_conversation(messages)
    text = (conversation.request or "").strip()
    if not text:
        return AIMessage(content=help_text(""))
    if len(text) > MAX_REQUEST_CHARS:
        return AIMessage(content=too_long_text(len(text), MAX_REQUEST_CHARS))
    if text.upper() == "CONFIRM" and not conversation.batches:
        return AIMessage(content=NOTHING_PENDING)
    day = today or conversation.today or date.today()
    request = Request.build(text, day, catalog, tuple(conversation.earlier))
    action = replay(answer_flow(request), conversation.batches, catalog)
    if isinstance(action, Reply):
        return AIMessage(content=action.text)
    return _tool_call_message(action, messages)


def _tool_call_message(action: Emit, messages: Sequence[BaseMessage]) -> AIMessage:
    calls = [
        ToolCall(name=name, args=args, id=_call_id(len(messages), index, name, args), type="tool_call")
        for index, (name, args) in enumerate(action.calls)
    ]
    return AIMessage(content=action.say, tool_calls=calls)


def _call_id(position: int, index: int, name: str, args: dict[str, Any]) -> str:
    """A stable id, unique within a conversation (position and index differ between calls)."""
    digest = hashlib.sha256(f"{position}|{index}|{name}|{json.dumps(args, sort_keys=True)}".encode()).hexdigest()
    return f"call_{position}_{index}_{digest[:10]}"
