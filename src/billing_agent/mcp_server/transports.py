"""Serving the Lago MCP server over stdio or streamable HTTP (`/mcp`, per-request `X-LAGO-API-KEY`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from billing_agent.mcp_server.server import LagoMcpServer


async def run_stdio(server: LagoMcpServer) -> None:
    """Serve one client over stdin/stdout until it disconnects, then close the Lago clients."""
    try:
        await server.run_stdio_async()
    finally:
        await server.pool.aclose()


def create_http_app(server: LagoMcpServer) -> Starlette:
    """The streamable HTTP app: MCP at `server.settings.streamable_http_path` (default `/mcp`), `GET /health`.

    Each request may carry `X-LAGO-API-KEY` to act on that organization; without it the configured key is used.
    The Lago clients are closed when the app shuts down.
    """
    app = server.streamable_http_app()

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with server.session_manager.run():
            try:
                yield
            finally:
                await server.pool.aclose()

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok", "tools": len(server._tool_manager.list_tools())})

    app.router.lifespan_context = lifespan
    app.router.routes.append(Route("/health", health, methods=["GET"]))
    return app


async def serve_http(server: LagoMcpServer, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the streamable HTTP app with uvicorn until interrupted."""
    config = uvicorn.Config(create_http_app(server), host=host, port=port, log_level="warning")
    await uvicorn.Server(config).serve()
