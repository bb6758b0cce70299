"""Context economy: what the model is sent stays bounded however long the conversation gets.

The last few turns go to the model as they are (older tool outputs and long answers shortened); earlier
turns are folded into a running summary, one line per request, that joins the system prompt. Turns are cut
at user messages only, so tool calls and their results always stay together (Mistral's ordering rules are
then applied by `billing_agent.graph.messages.for_model`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

KEEP_TURNS = 4
"""Recent turns sent in full (the current one included)."""
OLD_TOOL_CHARS = 600
"""Tool results of earlier kept turns are cut to this many characters."""
OLD_ANSWER_CHARS = 1_200
"""Answers of earlier kept turns are cut to this many characters."""
SUMMARY_LINES = 12
"""Earlier requests listed in the running summary; older ones are only counted."""
REQUEST_CHARS = 140
ANSWER_CHARS = 160
SHORTENED = "\n[shortened to save context; call the tool again if you need the details]"


@dataclass(frozen=True)
class Window:
    """What to send: a summary of earlier turns (may be empty) and the recent messages."""

    summary: str
    messages: list[BaseMessage]


def split_turns(messages: Sequence[BaseMessage]) -> list[list[BaseMessage]]:
    """The conversation cut before each user message (the first chunk may start otherwise)."""
    turns: list[list[BaseMessage]] = []
    for message in messages:
        if isinstance(message, HumanMessage) or not turns:
            turns.append([])
        turns[-1].append(message)
    return turns


def _text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def summary_line(turn: list[BaseMessage]) -> str:
    """One line for a turn: the request, the tools used and the first line of the answer."""
    request = next((m for m in turn if isinstance(m, HumanMessage)), None)
    tools = list(dict.fromkeys(call["name"] for m in turn if isinstance(m, AIMessage) for call in m.tool_calls))
    answers = [m for m in turn if isinstance(m, AIMessage) and not m.tool_calls and _text(m).strip()]
    parts = [f"- User: {_one_line(_text(request), REQUEST_CHARS)}" if request else "- (no request)"]
    if tools:
        parts.append(f"tools: {', '.join(tools)}")
    if answers:
        first_line = _text(answers[-1]).strip().splitlines()[0]
        parts.append(f"you: {_one_line(first_line, ANSWER_CHARS)}")
    return " → ".join(parts)


def running_summary(turns: Sequence[list[BaseMessage]], prior: Sequence[str] = ()) -> str:
    """One line per earlier request (the last `SUMMARY_LINES`), oldest first; `prior` are archived turns' lines."""
    if not turns and not prior:
        return ""
    every = [*prior, *(summary_line(turn) for turn in turns[-SUMMARY_LINES:])]
    lines = every[-SUMMARY_LINES:]
    skipped = len(prior) + len(turns) - len(lines)
    header = "Earlier in this conversation (summary; full results are no longer shown):"
    if skipped:
        header += f"\n- ({skipped} earlier requests not listed)"
    return "\n".join([header, *lines])


def _shorten(message: BaseMessage) -> BaseMessage:
    text = _text(message)
    if isinstance(message, ToolMessage) and len(text) > OLD_TOOL_CHARS:
        return message.model_copy(update={"content": text[:OLD_TOOL_CHARS] + SHORTENED})
    if isinstance(message, AIMessage) and not message.tool_calls and len(text) > OLD_ANSWER_CHARS:
        return message.model_copy(update={"content": text[:OLD_ANSWER_CHARS] + "\n[answer shortened]"})
    return message


def context_window(
    messages: Sequence[BaseMessage], *, prior: Sequence[str] = (), keep_turns: int = KEEP_TURNS
) -> Window:
    """Bound what the model sees: recent turns (earlier ones shortened) plus a summary of the rest.

    Args:
        messages: the conversation as stored (no system messages).
        prior: summary lines of turns already compacted out of the state (see `compaction`).
        keep_turns: how many turns, the current one included, are sent as messages.
    """
    turns = split_turns(messages)
    older, recent = turns[:-keep_turns], turns[-keep_turns:]
    kept: list[BaseMessage] = []
    for index, turn in enumerate(recent):
        current = index == len(recent) - 1
        kept += turn if current else [_shorten(m) for m in turn]
    return Window(summary=running_summary(older, prior), messages=kept)
