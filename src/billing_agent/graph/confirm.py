"""Confirm node: every call that is not read-only stops here for the human, by graph structure."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from billing_agent.graph.context import Context
from billing_agent.graph.decisions import ALLOWED_DECISIONS, Decision, parse_decisions
from billing_agent.graph.impact import describe_impact
from billing_agent.graph.state import NodeFunction, State
from billing_agent.graph.turn import open_calls
from billing_agent.tools.policy import ToolPolicy

DECLINED = "The user declined `{name}`; it was NOT run. {reason} Do not call it again unless the user asks."
NOT_ALLOWED = "`{name}` was NOT run: the user's role ({role}) may not make changes. Tell them to ask an admin."


def pending_changes(state: State, policy: ToolPolicy) -> list[ToolCall]:
    """Open calls of the last assistant message that need a confirmation."""
    return [call for call in open_calls(state["messages"]) if not policy.is_read_only(call["name"])]


async def build_request(tools: Mapping[str, BaseTool], policy: ToolPolicy, calls: list[ToolCall]) -> dict[str, Any]:
    """The interrupt payload (langchain 1.x HITL schema) with an impact description per action."""
    descriptions = await asyncio.gather(*(describe_impact(tools, c, policy.risk(c["name"])) for c in calls))
    return {
        "action_requests": [
            {"name": call["name"], "args": call.get("args") or {}, "description": text}
            for call, text in zip(calls, descriptions, strict=True)
        ],
        "review_configs": [
            {"action_name": call["name"], "allowed_decisions": list(ALLOWED_DECISIONS)} for call in calls
        ],
    }


def _apply(call: ToolCall, decision: Decision) -> ToolCall | ToolMessage:
    call_id = str(call.get("id"))
    if decision.type == "approve":
        return call
    if decision.type == "edit" and decision.name is not None:
        return ToolCall(name=decision.name, args=decision.args or {}, id=call_id, type="tool_call")
    reason = f"Reason: {decision.message}" if decision.message else ""
    return ToolMessage(
        content=DECLINED.format(name=call["name"], reason=reason).replace("  ", " "),
        tool_call_id=call_id,
        name=call["name"],
        status="error",
    )


def make_confirm(tools: Mapping[str, BaseTool], policy: ToolPolicy) -> NodeFunction:
    """Build the confirm node: one interrupt covering every pending change of this step."""

    async def confirm(state: State, *, runtime: Runtime[Context]) -> dict[str, Any]:
        calls = pending_changes(state, policy)
        if not calls:
            return {"approved": {}}
        principal = (runtime.context or Context()).principal
        if not principal.may_change:
            refused = [
                ToolMessage(
                    content=NOT_ALLOWED.format(name=c["name"], role=principal.role),
                    tool_call_id=str(c.get("id")),
                    name=c["name"],
                    status="error",
                )
                for c in calls
            ]
            return {"approved": {}, "messages": refused}
        request = await build_request(tools, policy, calls)
        answer = interrupt(request)
        outcomes = [_apply(call, d) for call, d in zip(calls, parse_decisions(answer, len(calls)), strict=True)]
        approved = {str(o.get("id")): o for o in outcomes if not isinstance(o, ToolMessage)}
        declined = [o for o in outcomes if isinstance(o, ToolMessage)]
        return {"approved": approved, "messages": declined}

    return confirm
