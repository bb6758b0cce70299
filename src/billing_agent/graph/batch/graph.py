"""The batch part of the agent graph: prepare → confirm once → fan out (Send) → workers → report."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.graph import StateGraph
from langgraph.runtime import Runtime

from billing_agent.graph.approval import run_ledger
from billing_agent.graph.batch.audit import audit_batch_outcome
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.batch.confirm import make_batch_confirm
from billing_agent.graph.batch.fanout import REPORT, WORKER, make_dispatch, make_worker
from billing_agent.graph.batch.prepare import make_batch_prepare, open_batch_call
from billing_agent.graph.batch.progress import forget
from billing_agent.graph.batch.report import render_report, report_data, report_text
from billing_agent.graph.batch.tool import BATCH_TOOL_NAME
from billing_agent.graph.context import resolve_context
from billing_agent.graph.state import NodeFunction, State
from billing_agent.graph.turn import open_calls
from billing_agent.tools.policy import ToolPolicy

PREPARE = "batch_prepare"
CONFIRM = "batch_confirm"
BATCH_NODES = (PREPARE, CONFIRM, WORKER, REPORT)

Route = Callable[[State], str]


def make_report() -> NodeFunction:
    """Build the node that answers the `run_batch` call with the outcomes (and the user, when nothing else is open)."""

    async def batch_report(state: State, *, runtime: Runtime[Any]) -> dict[str, Any]:
        job = state.get("batch")
        if not job or job.get("status") not in ("approved", "declined"):
            return {}
        call_id = job["call_id"]
        others = [c for c in open_calls(state["messages"]) if c.get("id") != call_id]
        if job["status"] == "declined":
            reason = job.get("decline_reason", "the user did not approve it")
            size = f"{len(job.get('items', [])):,} {job.get('noun', 'record')}s"
            text = f"The batch `{job['action']}` on {size} was NOT run: {reason}. Nothing was changed."
            reply = ToolMessage(content=text, tool_call_id=call_id, name=BATCH_TOOL_NAME, status="error")
            answer = [AIMessage(content=text)] if not others else []
            return {"batch": {**job, "status": "done"}, "messages": [reply, *answer]}
        outcomes_state = state.get("batch_outcomes") or {"batch_id": "", "items": {}}
        outcomes = outcomes_state["items"] if outcomes_state.get("batch_id") == job["batch_id"] else {}
        forget(job["batch_id"])
        if not job.get("read_only"):
            await audit_batch_outcome(runtime.store, resolve_context(runtime).principal, job, outcomes)
        if all(item["key"] in outcomes for item in job.get("items", [])):
            await run_ledger(runtime).mark_batch(job["batch_id"], "done")  # its items run nothing again
        reply = ToolMessage(
            content=report_text(job, outcomes),
            tool_call_id=call_id,
            name=BATCH_TOOL_NAME,
            artifact=report_data(job, outcomes),
        )
        answer = [AIMessage(content=render_report(job, outcomes))] if not others else []
        return {"batch": {**job, "status": "done"}, "messages": [reply, *answer]}

    return batch_report


def with_batch_route(base: Route) -> Route:
    """Route after the planner: an open `run_batch` call goes to the batch, anything else as `base` decides."""

    def route(state: State) -> str:
        if open_batch_call(state) is not None:
            return PREPARE
        return base(state)

    return route


def after_batch_step(base: Route) -> Route:
    """Route after a batch node answered: to the user, on to the calls still open, or back to the planner."""

    def route(state: State) -> str:
        messages = state["messages"]
        if messages and isinstance(messages[-1], AIMessage) and not messages[-1].tool_calls:
            return "summarizer"
        job = state.get("batch")
        call = open_batch_call(state)
        fresh = job is not None and job.get("status") in ("resolved", "approved")
        if call is not None and fresh and job is not None and job.get("call_id") == call.get("id"):
            return CONFIRM
        if call is not None:
            return PREPARE
        if open_calls(messages):
            return base(state)
        return "planner"

    return route


def add_batch(
    graph: StateGraph[Any, Any, Any, Any],
    tools: Sequence[BaseTool],
    policy: ToolPolicy,
    config: BatchConfig,
    base_route: Route,
    destinations: Sequence[str],
) -> None:
    """Add the batch nodes and their edges to the agent graph.

    Args:
        graph: the agent graph under construction (it must have `planner` and `summarizer` nodes).
        tools: the MCP tools (actions and list tools).
        policy: risk policy (read-only actions skip the confirmation).
        config: limits (cap, concurrency, rate, chunk size).
        base_route: the graph's own routing from the planner (summarizer / executor / confirm).
        destinations: the nodes `base_route` may return.
    """
    tool_map: Mapping[str, BaseTool] = {tool.name: tool for tool in tools}
    graph.add_node(PREPARE, make_batch_prepare(tool_map, policy, config))
    graph.add_node(CONFIRM, make_batch_confirm(policy, config))
    graph.add_node(WORKER, make_worker(tool_map, policy, config))
    graph.add_node(REPORT, make_report())
    after = after_batch_step(base_route)
    targets = sorted({*destinations, "planner", "summarizer", PREPARE, CONFIRM})
    graph.add_conditional_edges(PREPARE, after, targets)
    graph.add_conditional_edges(CONFIRM, make_dispatch(config), [WORKER, REPORT])
    graph.add_edge(WORKER, REPORT)
    graph.add_conditional_edges(REPORT, after, targets)
