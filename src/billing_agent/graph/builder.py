"""Assemble the agent graph: planner → (answer | executor | confirm → executor) → planner.

The planner's last step writes the answer and compacts old turns (`billing_agent.graph.finish`); the
`summarizer` node does the same after a batch report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.base import BaseStore
from langgraph.types import Checkpointer

from billing_agent.graph.batch.cancel import with_cancel_recovery
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.batch.graph import add_batch, with_batch_route
from billing_agent.graph.batch.tool import make_batch_tool
from billing_agent.graph.confirm import make_confirm
from billing_agent.graph.context import Context
from billing_agent.graph.executor import make_executor
from billing_agent.graph.finish import answering_planner
from billing_agent.graph.limits import Limits
from billing_agent.graph.planner import make_planner, route_after_planner
from billing_agent.graph.resume import answering
from billing_agent.graph.state import InputState, State
from billing_agent.graph.summarizer import make_summarizer
from billing_agent.memory.compaction import with_compaction
from billing_agent.tools.policy import ToolPolicy


def build_graph(
    tools: Sequence[BaseTool],
    model: BaseChatModel,
    *,
    checkpointer: Checkpointer = None,
    store: BaseStore | None = None,
    policy: ToolPolicy | None = None,
    batch: BatchConfig | None = None,
    limits: Limits | None = None,
) -> CompiledStateGraph[State, Context, InputState, Any]:
    """Compile the billing agent for a tool set and a chat model.

    Args:
        tools: LangChain tools (usually MCP tools from one persistent session).
        model: any chat model that supports `bind_tools`.
        checkpointer: needed for confirmations (interrupts) and conversation memory; leave None for
            LangGraph Server, which brings its own.
        store: long-term store: conversation index, audit trail and the approval ledger (what the human
            decided, `billing_agent.memory.approvals`); pass a persistent one (`open_memory` gives both) for
            pending confirmations and approved batches to survive a restart. Without one, approvals last as
            long as the process. LangGraph Server brings its own.
        policy: risk policy; by default built from the tools (table, then MCP annotations).
        batch: bulk limits (cap, concurrency, rate); by default from the `BILLING_AGENT_BATCH_*` settings.
            Its concurrency caps the batch workers' lanes (`billing_agent.graph.batch.lanes`), not the graph's
            `max_concurrency`, which would hold back the checkpoint writes of finished workers.
        limits: per-turn limits (tool rounds, message size, tool result text); by default from the
            `BILLING_AGENT_MAX_*` settings. A run's caller cannot change them.
    """
    tool_map = {tool.name: tool for tool in tools}
    risk = policy or ToolPolicy(tools)
    graph = StateGraph(State, context_schema=Context, input_schema=InputState)
    bulk = batch or BatchConfig.from_settings()
    turn = limits or Limits.from_settings()
    planner = make_planner(model, [*tools, make_batch_tool()], risk, turn)
    graph.add_node("planner", with_cancel_recovery(answering_planner(planner, risk)))
    graph.add_node("executor", make_executor(tool_map, risk, turn))
    graph.add_node("confirm", make_confirm(tool_map, risk))
    graph.add_node("summarizer", with_compaction(make_summarizer(risk)))
    graph.add_edge(START, "planner")
    base_route = route_after_planner(risk)
    destinations = [END, "executor", "confirm"]
    graph.add_conditional_edges("planner", with_batch_route(base_route), [*destinations, "batch_prepare"])
    add_batch(graph, tools, risk, bulk, base_route, destinations)
    graph.add_edge("confirm", "executor")
    graph.add_edge("executor", "planner")
    graph.add_edge("summarizer", END)
    return answering(graph.compile(checkpointer=checkpointer, store=store, name="billing_agent"))
