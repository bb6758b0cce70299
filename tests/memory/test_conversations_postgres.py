"""Conversations on real PostgreSQL: resume in a new process, list/rename/delete, survive a Postgres restart."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from billing_agent.cli.conversations import read_transcript
from billing_agent.cli.session import ChatSession
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.memory import (
    AuditTrail,
    ConversationIndex,
    ConversationNotFound,
    Decision,
    Memory,
    Outcome,
    open_memory,
)
from billing_agent.sandbox import SandboxServer
from billing_agent.settings import Settings

from .conftest import AgentFactory, context_for

pytestmark = pytest.mark.postgres
APPLY = "Apply coupon SUMMER20 to customer Acme Corp"
PLANS = "What plans are available?"


async def test_a_conversation_resumes_in_a_new_process(
    pg_settings: Settings, sandbox_server: SandboxServer, agent: AgentFactory, principal: Any, org: str
) -> None:
    script = Path(__file__).with_name("first_turn.py")
    args = [pg_settings.database_url, sandbox_server.api_url, org, "alice", APPLY]
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, str(script), *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    thread_id, status = done.stdout.split()
    assert status == "waiting"

    alice = principal("alice")
    async with open_memory(pg_settings) as memory, agent(OfflinePlanner(), alice, memory) as graph:
        index = ConversationIndex(memory.store, memory.checkpointer)
        (listed,) = await index.list(alice)
        assert (listed.thread_id, listed.title, listed.waiting) == (thread_id, APPLY, True)
        session = ChatSession(graph, context_for(alice), thread_id, index)
        result = await session.send("CONFIRM")
        assert result.request is None and "SUMMER20" in (result.answer or "")
        assert not (await index.get(alice, thread_id)).waiting
        (entry,) = await AuditTrail(memory.store).list(alice)
    assert (entry.tool, entry.decision, entry.outcome, entry.user_id) == (
        "apply_coupon",
        Decision.APPROVED,
        Outcome.SUCCEEDED,
        "alice",
    )
    assert entry.args["coupon_code"] == "SUMMER20" and entry.thread_id == thread_id


async def test_list_rename_and_delete_with_its_checkpoints(
    pg_memory: Memory, agent: AgentFactory, principal: Any
) -> None:
    alice = principal("alice")
    index = ConversationIndex(pg_memory.store, pg_memory.checkpointer)
    async with agent(OfflinePlanner(), alice, pg_memory) as graph:
        first = await ChatSession(graph, context_for(alice), index=index).send(PLANS)
        second = await ChatSession(graph, context_for(alice), index=index).send("  Show me   overdue invoices ")
    listed = await index.list(alice)
    assert [c.thread_id for c in listed] == [second.thread_id, first.thread_id]
    assert [c.title for c in listed] == ["Show me overdue invoices", PLANS]

    renamed = await index.rename(alice, first.thread_id, "Plan catalogue")
    assert renamed.title == "Plan catalogue" and (await index.get(alice, first.thread_id)).title == "Plan catalogue"
    with pytest.raises(ValueError, match="title is empty"):
        await index.rename(alice, first.thread_id, "   ")

    assert await read_transcript(pg_memory.checkpointer, first.thread_id)
    await index.delete(alice, first.thread_id)
    assert await pg_memory.checkpointer.aget_tuple({"configurable": {"thread_id": first.thread_id}}) is None
    assert [c.thread_id for c in await index.list(alice)] == [second.thread_id]
    with pytest.raises(ConversationNotFound):
        await index.get(alice, first.thread_id)


def _started_at(url: str) -> Any:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        row = conn.execute("select pg_postmaster_start_time()").fetchone()
    assert row is not None
    return row[0]


def _restart_postgres() -> None:
    if not Path("/etc/postgresql").is_dir():
        pytest.fail("this test restarts the local PostgreSQL cluster; /etc/postgresql is missing")
    clusters = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1], "main", "restart"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@pytest.mark.slow
async def test_the_next_turn_works_after_postgres_restarts(
    pg_memory: Memory, agent: AgentFactory, principal: Any, postgres_url: str
) -> None:
    alice = principal("alice")
    index = ConversationIndex(pg_memory.store, pg_memory.checkpointer)
    async with agent(OfflinePlanner(), alice, pg_memory) as graph:
        session = ChatSession(graph, context_for(alice), index=index)
        assert (await session.send(APPLY)).request is not None
        before = await asyncio.to_thread(_started_at, postgres_url)
        await asyncio.to_thread(_restart_postgres)
        assert await asyncio.to_thread(_started_at, postgres_url) > before, "Postgres did not restart"
        result = await session.send("CONFIRM")
    assert result.request is None and "SUMMER20" in (result.answer or "")
    assert not (await index.get(alice, session.thread_id)).waiting
