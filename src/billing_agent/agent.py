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

from billing_agent.graph import Context, InputState, State, build_graph
from billing_agent.graph.model import create_chat_model
from billing_agent.memory import open_checkpointer
from billing_agent.settings import Settings
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
) -> AsyncIterator[AgentGraph]:
    """Open everything the agent needs and yield the compiled graph; all of it is closed on exit.

    Args:
        settings: configuration; read from the environment when None.
        model: a chat model, or a model id (`mistralai:mistral-large-latest`, `offline`); default from settings.
        checkpointer: where conversations persist; default SQLite in the data dir (Postgres when
            `BILLING_AGENT_DATABASE_URL` is postgresql://).
        store: optional LangGraph store.
        mcp: which MCP server to use; default ours in-process — against `LAGO_API_URL`, or, when unset, the
            embedded sandbox on `Settings().sandbox_db_path`.

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
                key = settings.lago_api_key.get_secret_value() if settings.lago_api_key else None
                mcp = InProcessServer(api_url=settings.lago_api_url, api_key=key, front_url=settings.lago_front_url)
        tools = await stack.enter_async_context(open_mcp_tools(mcp, settings))
        saver = checkpointer
        if saver is None:
            saver = await stack.enter_async_context(open_checkpointer(settings))
        yield build_graph(tools, chat_model, checkpointer=saver, store=store)
