"""Cancelled batches: keep what was applied, tell the next turn, and let the user continue or undo it.

A run cancelled mid-batch (`runs.cancel` on LangGraph Server, Ctrl-C in `billing-agent chat`) stops inside the
worker step, so that step never produces a checkpoint. What survives are its pending writes: every worker
puts its outcomes into its task's writes itself, also when it is cancelled mid-chunk (`hand_over`). A new message
would discard them, so the planner's first step of that turn (`with_cancel_recovery`) reads them back, records
the batch as cancelled, answers its open `run_batch` call and tells the user in the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from langchain_core.messages import AnyMessage, BaseMessage, HumanMessage, RemoveMessage, ToolMessage
from langgraph.runtime import Runtime

from billing_agent.compat import add_task_writes, recent_pending_writes
from billing_agent.graph.approval import run_ledger
from billing_agent.graph.batch.audit import audit_batch_outcome
from billing_agent.graph.batch.progress import forget
from billing_agent.graph.batch.report import count, report_data
from billing_agent.graph.batch.state import BatchJob, BatchOutcomes, ItemOutcome
from billing_agent.graph.batch.tool import BATCH_TOOL_NAME
from billing_agent.graph.context import resolve_context
from billing_agent.graph.state import NodeFunction, State

OUTCOMES_CHANNEL = "batch_outcomes"
LOOK_BACK = 3  # checkpoints: the new turn's input checkpoint, then the step the batch was cancelled in
IN_FLIGHT = "Cancelled while this item's call was in flight: check it in Lago before retrying it."


def hand_over(batch_id: str, outcomes: dict[str, ItemOutcome], in_flight: str | None = None) -> bool:
    """Put a worker's outcomes (and the item in flight, unverified, when cancelled) into its task's writes.

    Done before the worker returns, not by returning them: a cancellation that lands between the node's return
    and LangGraph collecting its writes (async callbacks run there) would otherwise lose them. False when not
    inside a graph task (then the caller returns them).
    """
    items = dict(outcomes)
    if in_flight is not None and in_flight not in items:
        items[in_flight] = ItemOutcome(status="failed", code="unverified", message=IN_FLIGHT)
    return add_task_writes([(OUTCOMES_CHANNEL, BatchOutcomes(batch_id=batch_id, items=items))])


def cancelled_text(job: BatchJob, outcomes: dict[str, ItemOutcome]) -> str:
    """The sentence the next answer starts with."""
    counts = count(job, outcomes)
    handled = sum(1 for item in job.get("items", []) if item["key"] in outcomes)
    parts = [f"{counts.ok:,} done", f"{counts.failed:,} failed"]
    rest = counts.total - handled
    hints = ["“continue the batch” runs only the rest"] if rest else []
    if counts.ok:
        hints.append("“undo that” undoes the applied ones")
    text = (
        f"The batch `{job['action']}` was cancelled after {handled:,} of {counts.total:,} items "
        f"({', '.join(parts)}); {rest:,} were not run. Everything applied is kept."
    )
    return text + (" Say " + ", ".join(hints) + "." if hints else "")


def stranded_batch(state: State) -> BatchJob | None:
    """An approved batch whose `run_batch` call is still unanswered while a new message came in."""
    job = state.get("batch")
    messages = state["messages"]
    if not job or job.get("status") != "approved" or not messages or not isinstance(messages[-1], HumanMessage):
        return None
    call_id = job.get("call_id")
    if any(isinstance(m, ToolMessage) and m.tool_call_id == call_id for m in messages):
        return None
    return job


async def recovered_outcomes(job: BatchJob, runtime: Runtime[Any]) -> dict[str, ItemOutcome]:
    """The outcomes left as pending writes of the step the batch was cancelled in (the newest step that has any)."""
    info = runtime.execution_info
    if info is None or not info.thread_id:
        return {}
    for writes in await recent_pending_writes(str(info.thread_id), LOOK_BACK):
        kept: dict[str, ItemOutcome] = {}
        for _, channel, value in writes:
            if channel == OUTCOMES_CHANNEL and isinstance(value, dict) and value.get("batch_id") == job["batch_id"]:
                kept.update(value.get("items") or {})
        if kept:
            return kept
    return {}


def _reordered(messages: Sequence[AnyMessage], reply: ToolMessage) -> list[BaseMessage]:
    """Put the call's answer before the new message (chat APIs want a tool call answered right after it)."""
    new = messages[-1]
    again = HumanMessage(content=new.content, id=str(uuid.uuid4()), additional_kwargs=new.additional_kwargs)
    return [RemoveMessage(id=str(new.id)), reply, again]


async def close_cancelled(state: State, job: BatchJob, runtime: Runtime[Any]) -> dict[str, Any]:
    """The update that records a cancelled batch: its outcomes, status `done` (cancelled) and the call's answer."""
    saved = state.get("batch_outcomes") or {"batch_id": "", "items": {}}
    outcomes = {**(saved["items"] if saved.get("batch_id") == job["batch_id"] else {})}
    outcomes.update(await recovered_outcomes(job, runtime))
    closed = BatchJob(**{**job, "status": "done", "cancelled": True})
    forget(job["batch_id"])
    await run_ledger(runtime).mark_batch(job["batch_id"], "done")  # the rest needs a new decision
    if not job.get("read_only"):
        await audit_batch_outcome(runtime.store, resolve_context(runtime).principal, closed, outcomes)
    text = cancelled_text(job, outcomes)
    artifact = {**report_data(job, outcomes), "cancelled": True}
    reply = ToolMessage(content=text, tool_call_id=job["call_id"], name=BATCH_TOOL_NAME, artifact=artifact)
    return {
        "batch": closed,
        "batch_outcomes": BatchOutcomes(batch_id=job["batch_id"], items=outcomes),
        "messages": _reordered(state["messages"], reply),
    }


def with_cancel_recovery(planner: NodeFunction) -> NodeFunction:
    """Wrap the planner: a turn that starts after a cancelled batch first records that batch (see module doc)."""

    async def planner_step(state: State, *, runtime: Runtime[Any]) -> dict[str, Any]:
        job = stranded_batch(state)
        if job is None:
            return await planner(state, runtime=runtime)
        closing = await close_cancelled(state, job, runtime)
        messages = [*state["messages"][:-1], *closing["messages"][1:]]
        repaired = cast(State, {**state, **closing, "messages": messages})
        update = await planner(repaired, runtime=runtime)
        return {**update, **closing, "messages": [*closing["messages"], *(update.get("messages") or [])]}

    planner_step.__name__ = "planner"
    return planner_step


def cancel_notice(messages: Sequence[BaseMessage]) -> str | None:
    """The cancelled-batch sentence when this turn started right after a cancelled batch (else None)."""
    for index in range(len(messages) - 1, 0, -1):
        if isinstance(messages[index], HumanMessage):
            before = messages[index - 1]
            artifact = before.artifact if isinstance(before, ToolMessage) else None
            return str(before.content) if isinstance(artifact, dict) and artifact.get("cancelled") else None
    return None


def only_exception(error: BaseException) -> BaseException:
    """The single exception inside nested one-member groups (the error itself otherwise).

    anyio task groups (the MCP session's) wrap a cancellation that passes through them in an exception group;
    LangGraph Server only recognises a plain `UserInterrupt` as a cancelled run.
    """
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error
