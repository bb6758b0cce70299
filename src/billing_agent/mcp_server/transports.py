"""Serving the Lago MCP server over stdio or streamable HTTP (`/mcp`, per-request `X-LAGO-API-KEY`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from billing_agent.compat import fastmcp_tools
from billing_agent.mcp_server.server import LagoMcpServer


async def run_stdio(server: LagoMcpServer) -> None:
    """Serve one client over stdin/stdout until it disconnects, then close the Lago clients."""
    try:
        await server.run_stdio_async()
    finally:
        await server.pool.aclose()


class _ClientGoneFilter(logging.Filter):
    """Drop the SDK's traceback for a client that closed its event stream: a normal disconnect, not an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage() != "Error in standalone SSE writer" or record.exc_info is None:
            return True
        return type(record.exc_info[1]).__name__ not in ("ClosedResourceError", "BrokenResourceError")


_STREAM_LOGGER = logging.getLogger("mcp.server.streamable_http")
if not any(isinstance(f, _ClientGoneFilter) for f in _STREAM_LOGGER.filters):
    _STREAM_LOGGER.addFilter(_ClientGoneFilter())


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
        return JSONResponse({"status": "ok", "tools": len(fastmcp_tools(server))})

    app.router.lifespan_context = lifespan
    app.router.routes.append(Route("/health", health, methods=["GET"]))
    return app


async def serve_http(server: LagoMcpServer, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the streamable HTTP app with uvicorn until interrupted."""
    config = uvicorn.Config(create_http_app(server), host=host, port=port, log_level="warning")
    await uvicorn.Server(config).serve()
