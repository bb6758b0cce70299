"""The planner's last step of a turn also writes the answer and compacts, instead of two more graph steps.

When the model answers without tool calls, the turn is over: the answer (prose plus tables rendered from
the turn's results, see `summarizer.final_answer`) and the compaction of old turns are written in the same
step. A graph step costs about a millisecond of bookkeeping and one more checkpoint write, and this ends
every turn, so the turn saves two of them. Batch reports still go through the `summarizer` node.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, BaseMessage
from langgraph.runtime import Runtime

from billing_agent.graph.context import Context
from billing_agent.graph.state import NodeFunction, State
from billing_agent.graph.summarizer import make_summarizer
from billing_agent.memory.compaction import with_compaction
from billing_agent.tools.policy import ToolPolicy


def is_final(message: BaseMessage | None) -> bool:
    """Whether the model's message ends the turn (an assistant message without any tool call)."""
    return isinstance(message, AIMessage) and not (message.tool_calls or message.invalid_tool_calls)


def answering_planner(planner: NodeFunction, policy: ToolPolicy) -> NodeFunction:
    """Wrap the planner node: a final reply comes out rendered as the answer, with old turns compacted."""
    answer = with_compaction(make_summarizer(policy))

    async def planner_step(state: State, *, runtime: Runtime[Context]) -> dict[str, Any]:
        update = await planner(state, runtime=runtime)
        replies = update.get("messages") or []
        if len(replies) != 1 or not is_final(replies[0]):
            return update
        finished: dict[str, Any] = {**state, "messages": [*state["messages"], replies[0]]}
        return {**update, **(await answer(finished, runtime=runtime))}

    planner_step.__name__ = "planner"
    return planner_step
