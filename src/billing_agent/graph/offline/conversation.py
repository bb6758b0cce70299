"""Reads what the planner needs from the message list: the request, results since it, earlier results."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from billing_agent.graph.offline.results import ToolResult, message_text, result_from_message

_TODAY_IN_PROMPT = re.compile(r"today[^0-9\n]{0,40}(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
NO_RESULT = "no result was recorded for this call"


@dataclass
class Conversation:
    """The parts of a conversation the offline planner acts on.

    Attributes:
        request: Text of the last user message (None when there is none).
        batches: Results of each tool-call round since that message, in order.
        earlier: Results of tool calls before that message (for follow-ups), oldest first.
        today: Today's date as stated in a system message, if any.
    """

    request: str | None = None
    batches: list[list[ToolResult]] = field(default_factory=list)
    earlier: list[ToolResult] = field(default_factory=list)
    today: date | None = None


def read_conversation(messages: Sequence[BaseMessage]) -> Conversation:
    """Splits the messages around the last user message and pairs tool calls with their results."""
    conversation = Conversation(today=_today_from_system(messages))
    last_human = max((i for i, m in enumerate(messages) if m.type == "human"), default=-1)
    if last_human >= 0:
        conversation.request = message_text(messages[last_human].content)
    conversation.earlier = [r for batch in _rounds(messages[: max(last_human, 0)]) for r in batch]
    conversation.batches = _rounds(messages[last_human + 1 :])
    return conversation


def _rounds(messages: Sequence[BaseMessage]) -> list[list[ToolResult]]:
    """One list of results per AI message with tool calls, in call order; unanswered calls count as errors."""
    answers = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    rounds: list[list[ToolResult]] = []
    for message in messages:
        if not isinstance(message, AIMessage) or not message.tool_calls:
            continue
        batch = []
        for call in message.tool_calls:
            answer = answers.get(call.get("id") or "")
            if answer is None:
                batch.append(ToolResult(call["name"], None, NO_RESULT, is_error=True))
            else:
                batch.append(result_from_message(answer, call["name"], call.get("args")))
        rounds.append(batch)
    return rounds


def _today_from_system(messages: Sequence[BaseMessage]) -> date | None:
    for message in messages:
        if message.type != "system":
            continue
        match = _TODAY_IN_PROMPT.search(message_text(message.content))
        if match:
            try:
                return date.fromisoformat(match.group(1))
            except ValueError:
                return None
    return None
