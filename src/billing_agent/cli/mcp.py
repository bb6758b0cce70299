"""`billing-agent mcp serve`: the Lago MCP server over stdio (default) or streamable HTTP."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from billing_agent.mcp_server import create_mcp_server, run_stdio, serve_http
from billing_agent.settings import Settings

app = typer.Typer(no_args_is_help=True, help="Serve Lago as MCP tools for Claude Desktop or any MCP client.")
console = Console(stderr=True)  # stdout belongs to the MCP protocol on stdio


class Transport(StrEnum):
    """How MCP clients connect."""

    STDIO = "stdio"
    STREAMABLE_HTTP = "streamable-http"


@app.command()
def serve(
    transport: Annotated[Transport, typer.Option(help="stdio (one client) or streamable-http (at /mcp).")] = (
        Transport.STDIO
    ),
    host: Annotated[str, typer.Option(help="Interface to bind (streamable-http).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (streamable-http).")] = 8765,
) -> None:
    """Serve every Lago operation as an MCP tool.

    Uses LAGO_API_URL and LAGO_API_KEY; over HTTP a request header X-LAGO-API-KEY picks the organization.
    Without LAGO_API_URL the embedded sandbox (demo data) is started and served.
    """
    settings = Settings()
    with ExitStack() as stack:
        api_url, api_key = _lago_endpoint(settings, stack)
        server = create_mcp_server(settings, api_url=api_url, api_key=api_key, host=host, port=port)
        if transport is Transport.STDIO:
            asyncio.run(run_stdio(server))
        else:
            console.print(f"Lago MCP server on http://{host}:{port}{server.settings.streamable_http_path}")
            asyncio.run(serve_http(server, host, port))


def _lago_endpoint(settings: Settings, stack: ExitStack) -> tuple[str | None, str | None]:
    """The configured Lago API, or an embedded sandbox started for this run when none is configured."""
    if not settings.uses_sandbox:
        return None, None
    from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

    settings.home.mkdir(parents=True, exist_ok=True)
    sandbox = stack.enter_context(SandboxServer(create_sandbox_app(settings.sandbox_db_path, seed="demo")))
    console.print(f"No LAGO_API_URL: serving the embedded sandbox ({settings.sandbox_db_path}) at {sandbox.api_url}")
    return sandbox.api_url, DEMO_API_KEY
