"""Checkpoint layout: a turn stores what it adds (delta channels), and the whole conversation reloads intact."""

from __future__ import annotations

import uuid
from typing import Any

import aiosqlite
import pytest
from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage, ToolMessage
from langchain_core.tools import tool

from billing_agent.graph import Context, build_graph
from billing_agent.memory import open_memory
from billing_agent.memory.backend import conversations_path
from billing_agent.memory.channels import add_message_batches
from billing_agent.settings import Settings

from .scripted import ScriptedChatModel, tool_call

TURNS = 40


@tool
def list_customers(page: int) -> str:
    """List customers."""
    return f"customers page {page}: " + "c" * 1_500


def _model() -> ScriptedChatModel:
    return ScriptedChatModel(
        script=lambda prompt: (
            AIMessage("Listed.") if isinstance(prompt[-1], ToolMessage) else tool_call("list_customers", page=1)
        )
    )


async def _stored_bytes(path: str, thread_id: str) -> int:
    if not await _has_tables(path):
        return 0
    async with aiosqlite.connect(path) as db:
        total = 0
        for query in (
            "select coalesce(sum(length(checkpoint) + length(metadata)), 0) from checkpoints where thread_id = ?",
            "select coalesce(sum(length(value)), 0) from writes where thread_id = ?",
        ):
            async with db.execute(query, (thread_id,)) as cursor:
                row = await cursor.fetchone()
                total += int(row[0]) if row else 0
        return total


async def _has_tables(path: str) -> bool:
    async with (
        aiosqlite.connect(path) as db,
        db.execute("select count(*) from sqlite_master where name in ('checkpoints', 'writes')") as cursor,
    ):
        row = await cursor.fetchone()
        return bool(row and row[0] == 2)


async def test_each_turn_writes_about_the_same_and_the_thread_reloads_whole(tmp_path: Any) -> None:
    settings = Settings(BILLING_AGENT_DATABASE_URL=f"sqlite:///{tmp_path / 'chats.db'}")
    config: Any = {"configurable": {"thread_id": uuid.uuid4().hex}}
    path = str(conversations_path(settings))
    written: list[int] = []
    async with open_memory(settings) as memory:
        graph = build_graph([list_customers], _model(), checkpointer=memory.checkpointer)
        for turn in range(TURNS):
            before = await _stored_bytes(path, config["configurable"]["thread_id"])
            await graph.ainvoke({"messages": [HumanMessage(f"customers {turn}")]}, config, context=Context())
            written.append(await _stored_bytes(path, config["configurable"]["thread_id"]) - before)
    typical_early, typical_late = sorted(written[5:15])[5], sorted(written[-10:])[5]
    assert typical_late < 1.5 * typical_early, written
    async with open_memory(settings) as memory:  # another process would see the same
        graph = build_graph([list_customers], _model(), checkpointer=memory.checkpointer)
        messages = (await graph.aget_state(config)).values["messages"]
    assert len(messages) == TURNS * 4
    assert [m.content for m in messages if isinstance(m, HumanMessage)] == [f"customers {t}" for t in range(TURNS)]


def test_batched_replay_equals_merging_one_write_at_a_time() -> None:
    from langgraph.graph.message import add_messages

    first = [HumanMessage("a", id="1"), AIMessage("b", id="2")]
    writes: list[Any] = [[AIMessage("b2", id="2")], HumanMessage("c", id="3"), [AIMessage("d", id="4")]]
    one_by_one: Any = first
    for write in writes:
        one_by_one = add_messages(one_by_one, write)
    assert add_message_batches(first, writes) == one_by_one
    with_removal: list[Any] = [*writes, [RemoveMessage(id="3")]]
    assert [m.id for m in add_message_batches(first, with_removal)] == ["1", "2", "4"]


@pytest.mark.postgres
async def test_postgres_reloads_a_long_thread_whole(postgres_url: str) -> None:
    settings = Settings(BILLING_AGENT_DATABASE_URL=postgres_url)
    config: Any = {"configurable": {"thread_id": f"layout-{uuid.uuid4().hex}"}}
    async with open_memory(settings) as memory:
        graph = build_graph([list_customers], _model(), checkpointer=memory.checkpointer)
        for turn in range(30):
            await graph.ainvoke({"messages": [HumanMessage(f"customers {turn}")]}, config, context=Context())
    async with open_memory(settings) as memory:
        graph = build_graph([list_customers], _model(), checkpointer=memory.checkpointer)
        state = (await graph.aget_state(config)).values
        await memory.checkpointer.adelete_thread(config["configurable"]["thread_id"])
    assert len(state["messages"]) == 30 * 4 and len(state["results"]) == 30
