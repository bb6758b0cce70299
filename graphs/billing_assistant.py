"""The billing assistant as LangGraph Server loads it (`langgraph.json`).

A graph factory: for each run it opens one MCP session to Lago with the API key of the authenticated
user's organization (looked up server-side) and compiles the agent WITHOUT a checkpointer — the server
brings its own checkpointer and store. Schema and state reads get the same graph without a Lago session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from langgraph_sdk.runtime import ServerRuntime

from billing_agent.agent import AgentGraph, api_key_resolver
from billing_agent.graph import build_graph
from billing_agent.graph.batch.cancel import only_exception
from billing_agent.graph.context import ANONYMOUS
from billing_agent.graph.model import create_chat_model
from billing_agent.settings import Settings
from billing_agent.tenancy import Principal, principal_from_auth_user
from billing_agent.tools.connect import InProcessServer, open_mcp_tools

NO_LAGO_URL = (
    "LAGO_API_URL is not set. LangGraph Server needs a Lago API to talk to: set LAGO_API_URL (and "
    "BILLING_AGENT_ORG_API_KEYS or LAGO_API_KEY), or run `billing-agent sandbox serve` and point LAGO_API_URL at it."
)


def _principal(runtime: ServerRuntime[Any]) -> Principal:
    """The authenticated user's principal; without auth, a read-only user of the single-tenant org."""
    return principal_from_auth_user(runtime.user) if runtime.user is not None else ANONYMOUS


@asynccontextmanager
async def make_graph(runtime: ServerRuntime[Any]) -> AsyncIterator[AgentGraph]:
    """Yield the agent for one server call; runs get a Lago MCP session for the user's organization."""
    settings = Settings()
    model = create_chat_model(settings)
    if runtime.execution_runtime is None:
        yield build_graph([], model)
        return
    if not settings.lago_api_url:
        raise RuntimeError(NO_LAGO_URL)
    key = api_key_resolver(settings).api_key(_principal(runtime))
    server = InProcessServer(api_url=settings.lago_api_url, api_key=key, front_url=settings.lago_front_url)
    try:
        async with open_mcp_tools(server, settings) as tools:
            yield build_graph(tools, model)
    except BaseExceptionGroup as group:
        # The MCP session's task group wraps what passes through it; a cancelled run (`UserInterrupt`) must
        # reach the server unwrapped, or the run and thread end as `error` instead of `interrupted`.
        error = only_exception(group)
        if error is group:
            raise
        raise error from None
