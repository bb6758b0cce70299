"""No cross-tenant access: another user or organization gets "not found" for every operation, and nothing leaks."""

from __future__ import annotations

from typing import Any

import pytest

from billing_agent.cli.session import ChatSession
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.memory import AuditTrail, ConversationIndex, ConversationNotFound, Memory
from billing_agent.sandbox import DEMO_API_KEY
from billing_agent.tenancy import Role

from .conftest import AgentFactory, context_for

pytestmark = pytest.mark.postgres
SECRET_TITLE = "Apply coupon SUMMER20 to customer Acme Corp"


async def _alice_conversation(memory: Memory, agent: AgentFactory, alice: Any) -> str:
    index = ConversationIndex(memory.store, memory.checkpointer)
    async with agent(OfflinePlanner(), alice, memory) as graph:
        session = ChatSession(graph, context_for(alice), index=index)
        assert (await session.send(SECRET_TITLE)).request is not None
        assert (await session.send("CONFIRM")).request is None
    return session.thread_id


async def test_other_users_and_orgs_get_not_found_for_every_operation(
    pg_memory: Memory, agent: AgentFactory, principal: Any
) -> None:
    alice = principal("alice")
    thread_id = await _alice_conversation(pg_memory, agent, alice)
    index = ConversationIndex(pg_memory.store, pg_memory.checkpointer)
    intruders = [principal("bob"), principal("alice", org_id="other-org"), principal("bob", org_id="other-org")]
    for intruder in intruders:
        assert await index.list(intruder) == []
        assert await AuditTrail(pg_memory.store).list(intruder) == []
        attempts = [
            index.get(intruder, thread_id),
            index.check_access(intruder, thread_id),
            index.rename(intruder, thread_id, "mine now"),
            index.delete(intruder, thread_id),
            index.record_turn(intruder, thread_id, "hijack", waiting=False),
        ]
        for attempt in attempts:
            with pytest.raises(ConversationNotFound) as caught:
                await attempt
            assert SECRET_TITLE not in str(caught.value) and "alice" not in str(caught.value)
        async with agent(OfflinePlanner(), alice, pg_memory) as graph:
            session = ChatSession(graph, context_for(intruder), thread_id, index)
            with pytest.raises(ConversationNotFound):
                await session.send("What did we talk about?")
    kept = await index.get(alice, thread_id)
    assert kept.title == SECRET_TITLE
    assert await pg_memory.checkpointer.aget_tuple({"configurable": {"thread_id": thread_id}}) is not None
    assert [c.thread_id for c in await index.list(alice)] == [thread_id]


async def test_audit_is_scoped_like_conversations(pg_memory: Memory, agent: AgentFactory, principal: Any) -> None:
    thread_id = await _alice_conversation(pg_memory, agent, principal("alice"))
    trail = AuditTrail(pg_memory.store)
    assert [e.thread_id for e in await trail.list(principal("alice"), thread_id=thread_id)] == [thread_id]
    assert await trail.list(principal("alice"), thread_id="another") == []
    assert await trail.list(principal("bob", role=Role.ADMIN)) == []
    assert await trail.list(principal("alice", role=Role.ADMIN, org_id="other-org")) == []


async def test_the_lago_api_key_is_never_stored(pg_memory: Memory, agent: AgentFactory, principal: Any) -> None:
    thread_id = await _alice_conversation(pg_memory, agent, principal("alice"))
    pool: Any = pg_memory.checkpointer.conn  # type: ignore[attr-defined]
    async with pool.connection() as conn:
        for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes"):
            row = await (
                await conn.execute(
                    f"select count(*) as n, sum(length(t::text)) as size from {table} t where thread_id = %s",
                    (thread_id,),
                )
            ).fetchone()
            assert row["n"] > 0 or table == "checkpoint_blobs"
            leaked = await (
                await conn.execute(
                    f"select count(*) as n from {table} t where thread_id = %s and strpos(t::text, %s) > 0",
                    (thread_id, DEMO_API_KEY),
                )
            ).fetchone()
            assert leaked["n"] == 0, f"the API key was stored in {table}"
        leaked = await (
            await conn.execute("select count(*) as n from store s where strpos(s::text, %s) > 0", (DEMO_API_KEY,))
        ).fetchone()
        assert leaked["n"] == 0
