"""Open ONE persistent MCP session for a run and load its tools (ours in-process, or any server over stdio/HTTP).

`MultiServerMCPClient.get_tools()` would open a new session per tool call (a new process on stdio); a kept
session costs milliseconds per call instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from langchain_core.tools import BaseTool
from langchain_mcp_adapters.sessions import create_session
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp import ClientSession

from billing_agent.settings import Settings


@dataclass(frozen=True)
class InProcessServer:
    """Our Lago MCP server in this process, spoken to over the SDK's memory streams (still real MCP).

    Attributes:
        api_url: Lago API URL (default: `LAGO_API_URL`).
        api_key: the organization's API key (default: `LAGO_API_KEY`).
        front_url: base of `dashboard_url` links (default: `LAGO_FRONT_URL`).
    """

    api_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    front_url: str | None = None


@dataclass(frozen=True)
class StdioServer:
    """An MCP server started as a subprocess, e.g. `billing-agent mcp serve` or Lago's official `lago-mcp-server`."""

    command: str
    args: tuple[str, ...] = ()
    env: Mapping[str, str] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class HttpServer:
    """An MCP server over streamable HTTP, e.g. `http://127.0.0.1:8765/mcp` (headers: `X-LAGO-API-KEY`)."""

    url: str
    headers: Mapping[str, str] | None = field(default=None, repr=False)


McpServer = InProcessServer | StdioServer | HttpServer


def _session(server: StdioServer | HttpServer) -> AbstractAsyncContextManager[ClientSession]:
    if isinstance(server, StdioServer):
        env = dict(server.env) if server.env is not None else None
        return create_session({"transport": "stdio", "command": server.command, "args": list(server.args), "env": env})
    headers: dict[str, Any] = dict(server.headers or {})
    return create_session({"transport": "streamable_http", "url": server.url, "headers": headers})


@asynccontextmanager
async def _in_process_session(server: InProcessServer, settings: Settings) -> AsyncIterator[ClientSession]:
    from billing_agent.mcp_server import connect_in_process, create_mcp_server

    mcp_server = create_mcp_server(
        settings,
        api_url=server.api_url,
        api_key=server.api_key,
        front_url=server.front_url,
        log_level="WARNING",  # FastMCP's default INFO logs every request on the console
    )
    async with connect_in_process(mcp_server) as session:
        yield session


@asynccontextmanager
async def open_mcp_tools(
    server: McpServer | None = None, settings: Settings | None = None
) -> AsyncIterator[list[BaseTool]]:
    """Open one MCP session for the whole run and yield its tools (closed on exit).

    Args:
        server: which MCP server; by default ours, in-process, configured from the settings.
        settings: configuration for the in-process server; read from the environment when None.

    Raises:
        ConnectionError: when the server cannot be reached or does not speak MCP (the message names it).
    """
    settings = settings or Settings()
    target = server or InProcessServer()
    async with AsyncExitStack() as stack:
        try:
            if isinstance(target, InProcessServer):
                session = await stack.enter_async_context(_in_process_session(target, settings))
            else:
                session = await stack.enter_async_context(_session(target))
                await session.initialize()
            tools: list[BaseTool] = await load_mcp_tools(session)
        except Exception as error:
            raise ConnectionError(
                f"Could not open an MCP session to {target!r}: {error}. Check the server command or URL."
            ) from error
        yield tools
