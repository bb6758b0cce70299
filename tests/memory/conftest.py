"""Memory fixtures: Postgres settings, unique principals per test, and an agent wired to the real sandbox over MCP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel

from billing_agent.agent import AgentGraph, create_agent
from billing_agent.graph import Context
from billing_agent.memory import Memory, open_memory
from billing_agent.sandbox import DEMO_API_KEY, OTHER_API_KEY, SandboxServer
from billing_agent.settings import Settings
from billing_agent.tenancy import ApiKeyResolver, Principal, Role

TODAY = date(2026, 11, 29)


@pytest.fixture
def pg_settings(postgres_url: str) -> Settings:
    """Settings whose memory lives in the test PostgreSQL database."""
    return Settings(BILLING_AGENT_DATABASE_URL=postgres_url)


@pytest.fixture
def org() -> str:
    """An organization id no other test uses (tests share the Postgres tables)."""
    return f"org-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def principal(org: str) -> Callable[..., Principal]:
    """Make principals of this test's organization (or another one)."""

    def make(user: str = "alice", role: Role = Role.ADMIN, org_id: str | None = None) -> Principal:
        return Principal(org_id=org_id or org, user_id=user, role=role)

    return make


def context_for(who: Principal) -> Context:
    """The run context of `who`, with today's date pinned."""
    return Context(principal=who, today=TODAY)


@pytest.fixture
def keys(org: str) -> ApiKeyResolver:
    """This test's organization uses the sandbox's demo org; "other-org" the second sandbox org."""
    return ApiKeyResolver({org: DEMO_API_KEY, "other-org": OTHER_API_KEY})


AgentFactory = Callable[..., AbstractAsyncContextManager[AgentGraph]]


@pytest.fixture
def agent(sandbox_server: SandboxServer, keys: ApiKeyResolver) -> AgentFactory:
    """Open an agent for a principal: our MCP server in-process, the sandbox over HTTP, the key looked up by org."""

    @asynccontextmanager
    async def make(model: BaseChatModel, who: Principal, memory: Memory) -> AsyncIterator[AgentGraph]:
        settings = Settings(LAGO_API_URL=sandbox_server.api_url)
        async with create_agent(
            settings,
            model=model,
            checkpointer=memory.checkpointer,
            store=memory.store,
            principal=who,
            api_keys=keys,
        ) as graph:
            yield graph

    return make


@pytest.fixture
async def pg_memory(pg_settings: Settings) -> AsyncIterator[Memory]:
    """Checkpointer and store on the test PostgreSQL database (one pool)."""
    async with open_memory(pg_settings) as memory:
        yield memory


def thread_config(thread_id: str) -> dict[str, Any]:
    """The run config of a thread."""
    return {"configurable": {"thread_id": thread_id}}
