"""Summarizer node: the final markdown answer — the model's short prose plus tables rendered from results."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.runtime import Runtime

from billing_agent.graph.batch.cancel import cancel_notice
from billing_agent.graph.claims import honest
from billing_agent.graph.context import Context
from billing_agent.graph.records import extract_records
from billing_agent.graph.render import render_records
from billing_agent.graph.state import NodeFunction, State, ToolResult
from billing_agent.graph.toolcall import content_text
from billing_agent.graph.turn import current_turn
from billing_agent.tools.policy import ToolPolicy

MAX_SECTIONS = 4
_TITLES = {"list": "Results", "get": "Details", "find": "Details", "download": "Download", "preview": "Preview"}


def _title(tool: str, ok_changes: bool) -> str:
    verb = tool.split("_", 1)[0]
    if verb in _TITLES:
        return f"**{_TITLES[verb]}** (`{tool}`)"
    return f"**Done** (`{tool}`)" if ok_changes else f"**{tool}**"


def _shown_call_ids(state: State, policy: ToolPolicy) -> list[str]:
    """Ids whose results the answer shows: the last round of calls, plus every change made this turn.

    Earlier read rounds only resolved names to identifiers (e.g. list_customers before apply_coupon).
    """
    rounds: list[list[ToolMessage]] = []
    for message in current_turn(state["messages"]):
        if isinstance(message, AIMessage) and message.tool_calls:
            rounds.append([])
        elif isinstance(message, ToolMessage) and rounds:
            rounds[-1].append(message)
    shown: list[str] = []
    for index, round_messages in enumerate(rounds):
        last = index == len(rounds) - 1
        shown += [m.tool_call_id for m in round_messages if last or not policy.is_read_only(m.name or "")]
    return list(dict.fromkeys(shown))


def render_turn_results(state: State, policy: ToolPolicy) -> str:
    """Markdown sections for the successful results the answer shows (see `_shown_call_ids`)."""
    results = state.get("results") or {}
    turn: list[ToolResult] = [results[i] for i in _shown_call_ids(state, policy) if i in results and results[i]["ok"]]
    sections: list[str] = []
    for result in turn[-MAX_SECTIONS:]:
        records = extract_records(result["tool"], result["data"])
        if records is None:
            continue
        body = render_records(records)
        if body:
            sections.append(f"{_title(result['tool'], True)}\n\n{body}")
    return "\n\n".join(sections)


def final_answer(state: State, policy: ToolPolicy) -> AIMessage:
    """The turn's answer: the model's prose (the last message) plus tables rendered from this turn's results.

    It keeps the id of the model's message, so it replaces that message in the conversation.
    """
    final = state["messages"][-1]
    prose = content_text(final.content).strip() if isinstance(final, AIMessage) else ""
    prose = honest(prose, state["messages"][:-1], policy)
    tables = render_turn_results(state, policy)
    notice = cancel_notice(state["messages"])
    text = "\n\n".join(part for part in (notice, prose, tables) if part) or "Done."
    answer = AIMessage(content=text, id=final.id if isinstance(final, AIMessage) else None)
    if isinstance(final, AIMessage):
        answer.response_metadata = final.response_metadata
        answer.usage_metadata = final.usage_metadata
    return answer


def make_summarizer(policy: ToolPolicy) -> NodeFunction:
    """Build the summarizer node (the answer after a batch; the planner answers other turns itself)."""

    async def summarizer(state: State, *, runtime: Runtime[Context]) -> dict[str, Any]:
        return {"messages": [final_answer(state, policy)]}

    return summarizer
