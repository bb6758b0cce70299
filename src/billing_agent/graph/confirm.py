"""Confirm node: every call that is not read-only stops here for the human, by graph structure."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from billing_agent.graph.approval import NOT_ASKED, run_ledger
from billing_agent.graph.context import Context, resolve_context
from billing_agent.graph.decisions import ALLOWED_DECISIONS, Decision, parse_decisions
from billing_agent.graph.impact import describe_impact
from billing_agent.graph.state import NodeFunction, State
from billing_agent.graph.turn import open_calls
from billing_agent.memory.approvals import ApprovalLedger
from billing_agent.memory.audit import AuditTrail
from billing_agent.memory.audit import Decision as AuditDecision
from billing_agent.tenancy import Principal
from billing_agent.tools.policy import ToolPolicy

DECLINED = "The user declined `{name}`; it was NOT run. {reason} Do not call it again unless the user asks."
NOT_ALLOWED = (
    "`{name}` was NOT run: the user's role ({role}) may not make changes of this kind ({risk}). "
    "Tell them to ask an admin."
)


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
    """Build the confirm node: one interrupt covering every pending change of this step.

    Only calls the planner recorded as asked (same id, name and arguments) are put to the human; the decisions
    are recorded in the approval ledger, which is what the executor obeys (the state is not).
    """

    async def confirm(state: State, *, runtime: Runtime[Context]) -> dict[str, Any]:
        calls = pending_changes(state, policy)
        if not calls:
            return {}
        principal = resolve_context(runtime).principal
        ledger = run_ledger(runtime)
        allowed = [c for c in calls if principal.may_use(policy.risk(c["name"]))]
        denied = [c for c in calls if c not in allowed]
        refused = [_refuse(c, principal, policy) for c in denied]
        decided: list[tuple[ToolCall, ToolCall | ToolMessage, Decision | None]] = [
            (c, r, None) for c, r in zip(denied, refused, strict=True)
        ]
        asked = [c for c in allowed if await _was_asked(ledger, c)]
        unasked = [_error(c, NOT_ASKED.format(name=c["name"])) for c in allowed if c not in asked]
        outcomes: list[ToolCall | ToolMessage] = []
        if asked:
            request = await build_request(tools, policy, asked)
            answer = interrupt(request)
            decisions = parse_decisions(answer, len(asked))
            outcomes = [_apply(call, d) for call, d in zip(asked, decisions, strict=True)]
            decided += list(zip(asked, outcomes, decisions, strict=True))
            await _record(ledger, asked, outcomes)
        if runtime.store is not None:
            await _audit(AuditTrail(runtime.store), principal, decided)
        declined = [o for o in outcomes if isinstance(o, ToolMessage)]
        return {"messages": [*refused, *unasked, *declined]}

    return confirm


async def _was_asked(ledger: ApprovalLedger, call: ToolCall) -> bool:
    """True when the planner proposed exactly this call and no decision closed it yet."""
    record = await ledger.call(str(call.get("id")))
    args = call.get("args") if isinstance(call.get("args"), dict) else {}
    return record is not None and record.status in ("asked", "granted") and record.matches(call["name"], args)


async def _record(ledger: ApprovalLedger, asked: list[ToolCall], outcomes: list[ToolCall | ToolMessage]) -> None:
    """Grant the approved (or edited) calls as they will run; close the declined ones."""
    for call, outcome in zip(asked, outcomes, strict=True):
        call_id = str(call.get("id"))
        if isinstance(outcome, ToolMessage):
            await ledger.mark_call(call_id, "declined")
        else:
            await ledger.grant_call(call_id, outcome["name"], outcome.get("args") or {})


def _error(call: ToolCall, text: str) -> ToolMessage:
    return ToolMessage(content=text, tool_call_id=str(call.get("id")), name=call["name"], status="error")


def _refuse(call: ToolCall, principal: Principal, policy: ToolPolicy) -> ToolMessage:
    text = NOT_ALLOWED.format(name=call["name"], role=principal.role.value, risk=policy.risk(call["name"]).value)
    return _error(call, text)


_AUDIT_DECISIONS = {"approve": AuditDecision.APPROVED, "edit": AuditDecision.EDITED, "reject": AuditDecision.REJECTED}


async def _audit(
    trail: AuditTrail, principal: Principal, decided: list[tuple[ToolCall, ToolCall | ToolMessage, Decision | None]]
) -> None:
    """One audit entry per decided call: the call as it will run (edited) or as it was asked (others)."""
    thread_id = str(get_config().get("configurable", {}).get("thread_id", ""))
    for call, outcome, decision in decided:
        shown = outcome if not isinstance(outcome, ToolMessage) else call
        await trail.record_decision(
            principal,
            thread_id=thread_id,
            call_id=str(call.get("id")),
            tool=shown["name"],
            args=shown.get("args") or {},
            decision=_AUDIT_DECISIONS[decision.type] if decision else AuditDecision.REFUSED,
            detail=(decision.message or "") if decision else "role does not allow this tool",
        )
