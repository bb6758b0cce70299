"""Compaction: old turns leave the checkpointed state for the transcript archive; nothing is lost or forgotten."""

from __future__ import annotations

import uuid
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.memory import InMemoryStore

from billing_agent.cli.conversations import read_transcript
from billing_agent.graph import Context, build_graph
from billing_agent.memory import ConversationIndex
from billing_agent.memory.compaction import COMPACT_AFTER_TURNS, STORED_TURNS, plan_compaction, read_archive
from billing_agent.memory.window import split_turns
from billing_agent.tenancy import Principal

from .scripted import ScriptedChatModel, tool_call

TURNS = 22


@tool
def list_plans(page: int) -> str:
    """List plans."""
    return f"plans page {page}"


def _model() -> ScriptedChatModel:
    return ScriptedChatModel(
        script=lambda prompt: (
            AIMessage("Listed plans.") if isinstance(prompt[-1], ToolMessage) else tool_call("list_plans", page=1)
        )
    )


async def _run(turns: int, *, store: Any) -> tuple[Any, ScriptedChatModel, dict[str, Any], InMemorySaver]:
    model, saver = _model(), InMemorySaver()
    graph = build_graph([list_plans], model, checkpointer=saver, store=store)
    config: dict[str, Any] = {"configurable": {"thread_id": uuid.uuid4().hex}}
    for turn in range(turns):
        await graph.ainvoke({"messages": [HumanMessage(f"request {turn}")]}, config, context=Context())
    return graph, model, config, saver


async def test_old_turns_move_to_the_archive_and_the_summary() -> None:
    store = InMemoryStore()
    graph, model, config, saver = await _run(TURNS, store=store)
    values = (await graph.aget_state(config)).values
    kept = split_turns(values["messages"])
    assert STORED_TURNS <= len(kept) <= COMPACT_AFTER_TURNS
    assert values["archived_turns"] == TURNS - len(kept) and len(values["summary"]) == values["archived_turns"]
    assert values["summary"][0].startswith("- User: request 0 → tools: list_plans → you: Listed plans.")

    thread_id = config["configurable"]["thread_id"]
    everything = await read_transcript(saver, thread_id, store)
    assert [m.content for m in everything if isinstance(m, HumanMessage)] == [f"request {t}" for t in range(TURNS)]
    assert len(await read_archive(store, thread_id)) == values["archived_turns"] * 4

    system = model.prompts[-1][0]
    assert isinstance(system, SystemMessage) and "- User: request 0 →" not in str(system.content)
    assert f"- User: request {TURNS - 5} →" in str(system.content)


async def test_without_a_store_nothing_is_compacted() -> None:
    graph, _, config, _ = await _run(COMPACT_AFTER_TURNS + 2, store=None)
    values = (await graph.aget_state(config)).values
    assert len(split_turns(values["messages"])) == COMPACT_AFTER_TURNS + 2 and "summary" not in values


async def test_deleting_a_conversation_deletes_its_archive() -> None:
    store = InMemoryStore()
    _, _, config, saver = await _run(COMPACT_AFTER_TURNS + 1, store=store)
    thread_id = config["configurable"]["thread_id"]
    owner = Principal()
    index = ConversationIndex(store, saver)
    await index.record_turn(owner, thread_id, "request 0", waiting=False)
    assert await read_archive(store, thread_id)
    await index.delete(owner, thread_id)
    assert await read_archive(store, thread_id) == []


def test_compaction_is_planned_only_past_the_threshold() -> None:
    turns = [[HumanMessage(f"q{n}", id=f"h{n}"), AIMessage(f"a{n}", id=f"a{n}")] for n in range(COMPACT_AFTER_TURNS)]
    messages = [m for turn in turns for m in turn]
    assert plan_compaction(messages) is None
    extra = [HumanMessage("last", id="hx"), AIMessage("done", id="ax")]
    plan = plan_compaction([*messages, *extra], ["- earlier"])
    assert plan is not None and len(plan.archived) == COMPACT_AFTER_TURNS + 1 - STORED_TURNS
    assert plan.summary[0] == "- earlier" and [r.id for r in plan.removals][:2] == ["h0", "a0"]


async def test_results_of_archived_turns_leave_the_state_with_them() -> None:
    store = InMemoryStore()
    graph, _, config, _ = await _run(TURNS, store=store)
    values = (await graph.aget_state(config)).values
    kept_calls = {m.tool_call_id for m in values["messages"] if isinstance(m, ToolMessage)}
    assert values["archived_turns"] > 0 and set(values["results"]) == kept_calls


async def test_a_turn_answers_and_compacts_without_extra_graph_steps() -> None:
    store = InMemoryStore()
    graph, _, config, _ = await _run(COMPACT_AFTER_TURNS, store=store)
    steps: list[str] = []
    request = {"messages": [HumanMessage("one more")]}
    async for update in graph.astream(request, config, context=Context(), stream_mode="updates"):
        steps += list(update)
    values = (await graph.aget_state(config)).values
    assert steps == ["planner", "executor", "planner"]
    assert values["archived_turns"] == COMPACT_AFTER_TURNS + 1 - STORED_TURNS
    assert values["messages"][-1].content == "Listed plans."


def test_the_state_keeps_at_least_the_turns_the_model_sees_whole() -> None:
    from billing_agent.memory.window import KEEP_TURNS

    assert KEEP_TURNS <= STORED_TURNS < COMPACT_AFTER_TURNS
