"""Conversations persist: SQLite file by default, PostgreSQL when configured; a pending confirmation survives."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.types import Command

from billing_agent.graph import build_graph
from billing_agent.memory import checkpointer_kind, open_memory
from billing_agent.settings import Settings

from .billing_tools import Billing
from .conftest import CONTEXT
from .scripted import ScriptedChatModel, call, calls, sequence


async def _terminate_across_two_runs(settings: Settings, billing: Billing) -> list[Any]:
    thread = {"configurable": {"thread_id": uuid.uuid4().hex}}
    model = ScriptedChatModel(
        script=sequence(calls(call("delete_subscription", external_id="sub_acme_corp")), AIMessage("Terminated."))
    )
    async with open_memory(settings) as memory:
        graph = build_graph(billing.tools(), model, checkpointer=memory.checkpointer, store=memory.store)
        await graph.ainvoke({"messages": [HumanMessage("Terminate sub_acme_corp")]}, thread, context=CONTEXT)
    async with open_memory(settings) as memory:  # a later process: same storage (approvals too), new saver
        graph = build_graph(billing.tools(), model, checkpointer=memory.checkpointer, store=memory.store)
        snapshot = await graph.aget_state(thread)
        assert snapshot.interrupts, "the pending confirmation was stored"
        state = await graph.ainvoke(Command(resume="CONFIRM"), thread, context=CONTEXT)
    assert billing.data["subscriptions"]["sub_acme_corp"]["status"] == "terminated"
    return list(state["messages"])


async def test_sqlite_file_in_the_data_dir_is_the_default(billing: Billing) -> None:
    settings = Settings()
    assert checkpointer_kind(settings) == "sqlite"
    messages = await _terminate_across_two_runs(settings, billing)
    assert (settings.home / "conversations.sqlite3").is_file()
    assert messages[-1].content.startswith("Terminated.")


async def test_sqlite_url_picks_the_file(billing: Billing, tmp_path: Path) -> None:
    settings = Settings(BILLING_AGENT_DATABASE_URL=f"sqlite:///{tmp_path / 'chats.db'}")
    await _terminate_across_two_runs(settings, billing)
    assert (tmp_path / "chats.db").is_file()


@pytest.mark.postgres
async def test_postgres_when_the_database_url_says_so(billing: Billing, postgres_url: str) -> None:
    settings = Settings(BILLING_AGENT_DATABASE_URL=postgres_url)
    assert checkpointer_kind(settings) == "postgres"
    messages = await _terminate_across_two_runs(settings, billing)
    assert messages[-1].content.startswith("Terminated.")


def test_memory_and_bad_urls() -> None:
    assert checkpointer_kind(Settings(BILLING_AGENT_DATABASE_URL="memory")) == "memory"
    with pytest.raises(ValueError, match="must be a postgresql:// or sqlite:/// URL"):
        checkpointer_kind(Settings(BILLING_AGENT_DATABASE_URL="mysql://x"))
