"""What exactly-once relies on in LangGraph: finished Send tasks are not re-run on resume, and only the re-run
tasks see the "resuming" signal (`is_recovering`) — not the fan-out after an ordinary confirmation resume."""

from __future__ import annotations

import contextlib
import operator
from typing import Annotated, Any, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send, interrupt

from billing_agent.graph.batch.fanout import is_recovering


class _State(TypedDict, total=False):
    seen: Annotated[list[tuple[int, bool]], operator.add]


def _graph(calls: list[tuple[int, bool]], fail_once: set[int]) -> Any:
    async def ask(state: _State) -> dict[str, Any]:
        interrupt("go?")
        return {}

    def fan_out(state: _State) -> list[Send]:
        return [Send("work", {"index": i}) for i in range(4)]

    async def work(payload: dict[str, Any]) -> dict[str, Any]:
        index = int(payload["index"])
        calls.append((index, is_recovering()))
        if index in fail_once:
            fail_once.discard(index)
            raise RuntimeError("the process died here")
        return {"seen": [(index, is_recovering())]}

    graph = StateGraph(_State)
    graph.add_node("ask", ask)
    graph.add_node("work", work)
    graph.add_edge(START, "ask")
    graph.add_conditional_edges("ask", fan_out, ["work"])
    return graph.compile(checkpointer=InMemorySaver())


async def test_only_unfinished_tasks_rerun_and_only_they_see_the_resume() -> None:
    calls: list[tuple[int, bool]] = []
    graph = _graph(calls, fail_once={2})
    config: Any = {"configurable": {"thread_id": "t"}}
    await graph.ainvoke({}, config)
    with contextlib.suppress(RuntimeError):
        await graph.ainvoke(Command(resume="yes"), config)
    assert sorted(calls) == [(0, False), (1, False), (2, False), (3, False)]
    calls.clear()
    state = await graph.ainvoke(None, config)
    assert calls == [(2, True)], "finished workers are not redone; the re-run one knows it is recovering"
    assert sorted(tuple(seen) for seen in state["seen"]) == [(0, False), (1, False), (2, True), (3, False)]
