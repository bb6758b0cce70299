"""Executor node: runs read-only and approved calls concurrently; every outcome becomes a ToolMessage.

A call that changes data runs only as the approval ledger granted it (the human's edit included), never as the
state shows it, and only when the caller's role allows its risk; the grant is closed once it ran.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.config import get_config
from langgraph.runtime import Runtime

from billing_agent.graph.approval import ALREADY_RUN, NOT_CONFIRMED, run_ledger
from billing_agent.graph.context import Context, resolve_context
from billing_agent.graph.idempotency import run_once
from billing_agent.graph.limits import Limits
from billing_agent.graph.records import extract_records, record_refs
from billing_agent.graph.state import NodeFunction, RecordRef, State, ToolResult
from billing_agent.graph.toolcall import bounded
from billing_agent.graph.turn import last_ai, open_calls
from billing_agent.memory.approvals import ApprovalLedger
from billing_agent.memory.audit import AuditTrail
from billing_agent.tools.policy import ToolPolicy

NOT_PERMITTED = "`{name}` was NOT run: the user's role ({role}) does not allow it. Tell them to ask an admin."
INVALID_CALL = (
    "The call to `{name}` could not be read: {error}. Send the arguments again as one JSON object that matches "
    "the tool's schema."
)


def make_executor(tools: Mapping[str, BaseTool], policy: ToolPolicy, limits: Limits | None = None) -> NodeFunction:
    """Build the executor node for this tool set."""
    result_chars = (limits or Limits()).tool_result_chars

    async def executor(state: State, *, runtime: Runtime[Context]) -> dict[str, Any]:
        context = resolve_context(runtime)
        messages = state["messages"]
        ledger = run_ledger(runtime)
        runnable: list[ToolCall] = []
        refused: list[ToolMessage] = []
        approved: set[str] = set()
        cut_off: set[str] = set()  # approved calls whose last attempt started but never finished (a crash)
        for call in open_calls(messages):
            if policy.is_read_only(call["name"]):
                runnable.append(call)
                continue
            chosen, problem, started = await _granted(ledger, call)
            if started:
                cut_off.add(str(call.get("id")))
            if chosen is None:
                refused.append(_error(call, problem))
            elif not context.principal.may_use(policy.risk(chosen["name"])):
                refused.append(_error(call, NOT_PERMITTED.format(name=chosen["name"], role=context.principal.role)))
            else:
                runnable.append(chosen)
                approved.add(str(chosen.get("id")))
        invalid = _invalid_calls(messages)
        await asyncio.gather(*(ledger.mark_call(call_id, "running") for call_id in approved))
        outcomes = await asyncio.gather(*(run_once(tools, c, maybe_ran=str(c.get("id")) in cut_off) for c in runnable))
        await asyncio.gather(*(ledger.mark_call(call_id, "done") for call_id in approved))
        if runtime.store is not None and approved:
            await _audit_outcomes(AuditTrail(runtime.store), context, runnable, outcomes, approved)
        replies: list[ToolMessage] = []
        results: dict[str, ToolResult] = {}
        listed: list[RecordRef] | None = None
        for call, outcome in zip(runnable, outcomes, strict=True):
            call_id = str(call.get("id"))
            args = call.get("args") if isinstance(call.get("args"), dict) else {}
            results[call_id] = ToolResult(tool=call["name"], args=args, ok=outcome.ok, data=outcome.data)
            text = outcome.text or ("(empty result)" if outcome.ok else "(failed without a message)")
            replies.append(
                ToolMessage(
                    content=bounded(text, result_chars),
                    tool_call_id=call_id,
                    name=call["name"],
                    status="success" if outcome.ok else "error",
                    artifact=outcome.data,
                )
            )
            records = extract_records(call["name"], outcome.data) if outcome.ok else None
            if records is not None and not records.single:
                listed = record_refs(records)
        update: dict[str, Any] = {"messages": [*refused, *invalid, *replies], "results": results}
        if listed is not None:
            update["last_listed"] = listed
        return update

    return executor


async def _granted(ledger: ApprovalLedger, call: ToolCall) -> tuple[ToolCall | None, str, bool]:
    """The call as the human approved it (or None and why it may not run), and whether an attempt was cut off."""
    record = await ledger.call(str(call.get("id")))
    if record is not None and record.status in ("granted", "running"):
        granted = ToolCall(name=record.tool, args=record.args, id=record.call_id, type="tool_call")
        return granted, "", record.status == "running"
    if record is not None and record.status == "done":
        return None, ALREADY_RUN.format(name=call["name"]), False
    return None, NOT_CONFIRMED.format(name=call["name"]), False


def _error(call: ToolCall, text: str) -> ToolMessage:
    return ToolMessage(content=text, tool_call_id=str(call.get("id")), name=call["name"], status="error")


def _invalid_calls(messages: list[Any]) -> list[ToolMessage]:
    ai = last_ai(messages)
    if ai is None:
        return []
    done = {m.tool_call_id for m in messages[messages.index(ai) + 1 :] if isinstance(m, ToolMessage)}
    return [
        ToolMessage(
            content=INVALID_CALL.format(name=bad.get("name") or "?", error=bad.get("error") or "invalid arguments"),
            tool_call_id=str(bad.get("id")),
            name=bad.get("name") or "",
            status="error",
        )
        for bad in ai.invalid_tool_calls
        if bad.get("id") and bad.get("id") not in done
    ]


async def _audit_outcomes(
    trail: AuditTrail, context: Context, runnable: list[ToolCall], outcomes: list[Any], approved: set[str]
) -> None:
    """Complete the audit entries of the approved calls with their results."""
    thread_id = str(get_config().get("configurable", {}).get("thread_id", ""))
    for call, outcome in zip(runnable, outcomes, strict=True):
        call_id = str(call.get("id"))
        if call_id in approved:
            detail = "" if outcome.ok else str(outcome.text or "")
            await trail.record_outcome(
                context.principal, thread_id=thread_id, call_id=call_id, ok=outcome.ok, detail=detail
            )
