"""An in-process MCP connection: the real protocol over the SDK's memory streams, no subprocess or socket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from mcp import ClientSession
from mcp.shared.memory import create_connected_server_and_client_session

from billing_agent.mcp_server.server import LagoMcpServer, create_mcp_server


@asynccontextmanager
async def connect_in_process(
    server: LagoMcpServer, *, read_timeout: timedelta | None = None, close_clients: bool = True
) -> AsyncIterator[ClientSession]:
    """An initialized `ClientSession` talking to `server` in this process.

    Use it with langchain-mcp-adapters: `tools = await load_mcp_tools(session)`.

    Args:
        server: the server to connect to (e.g. from `create_mcp_server`).
        read_timeout: how long the client waits for one answer (default: no limit).
        close_clients: close the server's Lago clients when the session ends.
    """
    try:
        async with create_connected_server_and_client_session(server, read_timeout_seconds=read_timeout) as session:
            yield session
    finally:
        if close_clients:
            await server.pool.aclose()


@asynccontextmanager
async def open_in_process_session(**server_options: Any) -> AsyncIterator[ClientSession]:
    """Build a server with `create_mcp_server(**server_options)` and yield an in-process session to it."""
    async with connect_in_process(create_mcp_server(**server_options)) as session:
        yield session
