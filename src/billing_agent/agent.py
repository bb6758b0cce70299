"""`create_agent`: the embedding API — one MCP session, a chat model, a checkpointer, the compiled graph."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.base import BaseStore
from langgraph.types import Checkpointer

from billing_agent.graph import Context, InputState, Limits, State, build_graph
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.model import create_chat_model
from billing_agent.memory import open_memory
from billing_agent.settings import Settings
from billing_agent.tenancy import ApiKeyResolver, Principal
from billing_agent.tools.connect import InProcessServer, McpServer, open_mcp_tools

AgentGraph = CompiledStateGraph[State, Context, InputState, Any]


async def _start_embedded_sandbox(settings: Settings, stack: AsyncExitStack) -> InProcessServer:
    """Serve the demo sandbox from its SQLite file (seeded on first use, kept between runs)."""
    from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

    path = settings.sandbox_db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    app = await asyncio.to_thread(create_sandbox_app, path, seed="demo")
    server = SandboxServer(app)
    await asyncio.to_thread(server.start)
    stack.push_async_callback(asyncio.to_thread, server.stop)
    return InProcessServer(api_url=server.api_url, api_key=DEMO_API_KEY, front_url=settings.lago_front_url)


@asynccontextmanager
async def create_agent(
    settings: Settings | None = None,
    *,
    model: BaseChatModel | str | None = None,
    checkpointer: Checkpointer = None,
    store: BaseStore | None = None,
    mcp: McpServer | None = None,
    principal: Principal | None = None,
    api_keys: ApiKeyResolver | None = None,
) -> AsyncIterator[AgentGraph]:
    """Open everything the agent needs and yield the compiled graph; all of it is closed on exit.

    Args:
        settings: configuration; read from the environment when None.
        model: a chat model, or a model id (`mistralai:mistral-large-latest`, `offline`); default from settings.
        checkpointer: where conversations persist; default SQLite in the data dir (Postgres when
            `BILLING_AGENT_DATABASE_URL` is postgresql://).
        store: LangGraph store for the conversation index and audit trail; opened with the default
            checkpointer when neither is given.
        mcp: which MCP server to use; default ours in-process — against `LAGO_API_URL`, or, when unset, the
            embedded sandbox on `Settings().sandbox_db_path`.
        principal: the organization the session acts for; its Lago API key is looked up server-side.
        api_keys: org → Lago API key lookup; default `api_key_resolver(settings)`.

    Yields:
        A LangGraph graph: `ainvoke`, `astream`, `aget_state`, `Command(resume=...)`.
    """
    settings = settings or Settings()
    async with AsyncExitStack() as stack:
        chat_model = model if isinstance(model, BaseChatModel) else create_chat_model(settings, model=model)
        if mcp is None:
            if settings.uses_sandbox:
                mcp = await _start_embedded_sandbox(settings, stack)
            else:
                key = (api_keys or api_key_resolver(settings)).api_key(principal) if principal else None
                if key is None and settings.lago_api_key:
                    key = settings.lago_api_key.get_secret_value()
                mcp = InProcessServer(api_url=settings.lago_api_url, api_key=key, front_url=settings.lago_front_url)
        tools = await stack.enter_async_context(open_mcp_tools(mcp, settings))
        saver = checkpointer
        if saver is None and store is None:
            memory = await stack.enter_async_context(open_memory(settings))
            saver, store = memory.checkpointer, memory.store
        elif saver is None:
            saver = (await stack.enter_async_context(open_memory(settings))).checkpointer
        yield build_graph(
            tools,
            chat_model,
            checkpointer=saver,
            store=store,
            batch=BatchConfig.from_settings(settings),
            limits=Limits.from_settings(settings),
        )


def api_key_resolver(settings: Settings) -> ApiKeyResolver:
    """Org → Lago API key from `BILLING_AGENT_ORG_API_KEYS`, with `LAGO_API_KEY` for the single-tenant org."""
    keys = {org: key.get_secret_value() for org, key in settings.org_api_keys.items()}
    default = settings.lago_api_key.get_secret_value() if settings.lago_api_key else None
    return ApiKeyResolver(keys, default=default)
