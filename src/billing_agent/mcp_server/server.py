"""The Lago MCP server: a FastMCP server whose every tool failure comes back as an actionable tool error."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version as package_version
from typing import Any

import httpx
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.fastmcp.tools import Tool
from mcp.types import CallToolResult, ContentBlock
from pydantic import ValidationError

from billing_agent.compat import fastmcp_request, fastmcp_tool, fastmcp_tools, set_server_version
from billing_agent.lago import LagoClient, LagoError, RetryPolicy
from billing_agent.mcp_server.clients import (
    LagoClientPool,
    LagoConnectionSettings,
    MissingApiKeyError,
    request_api_key,
)
from billing_agent.mcp_server.errors import (
    internal_error_result,
    invalid_arguments_result,
    lago_error_result,
    oversized_arguments_result,
    unknown_arguments_result,
    unknown_tool_result,
)
from billing_agent.mcp_server.links import DashboardLinks
from billing_agent.mcp_server.registry import ToolDeps
from billing_agent.mcp_server.results import ResultBudget, ResultBuilder, error_result
from billing_agent.mcp_server.tools import register_all_tools
from billing_agent.settings import DEFAULT_FRONT_URL, Settings

API_KEY_HEADER = "x-lago-api-key"
SERVER_NAME = "lago"
INSTRUCTIONS = (
    "Tools for one Lago billing organization. Customers and subscriptions are addressed by external_id; plans, "
    "coupons and billable metrics by code; invoices, payments, credit notes and wallets by lago_id (UUID); events by "
    "transaction_id. Amounts are in cents. Every record carries a dashboard_url to show the user."
)


class LagoMcpServer(FastMCP):
    """FastMCP with Lago-aware error handling, the client pool and the per-request API key."""

    def __init__(self, deps: ToolDeps, **settings: Any) -> None:
        super().__init__(SERVER_NAME, instructions=INSTRUCTIONS, **settings)
        set_server_version(self, package_version("lago-billing-agent"))
        self.deps = deps

    @property
    def pool(self) -> LagoClientPool:
        """The Lago clients this server calls through."""
        return self.deps.pool

    async def call_tool(  # type: ignore[override]  # also returns a whole CallToolResult (errors included)
        self, name: str, arguments: dict[str, Any]
    ) -> Sequence[ContentBlock] | dict[str, Any] | CallToolResult:
        """Run a tool; every failure becomes a tool error with a message a model can act on."""
        tool = fastmcp_tool(self, name)
        if tool is None:
            return unknown_tool_result(name, sorted(t.name for t in fastmcp_tools(self)))
        parameters = list(tool.parameters.get("properties", {}))
        unknown = set(arguments) - set(parameters)
        if unknown:
            return unknown_arguments_result(name, unknown, parameters)
        oversized = oversized_arguments_result(name, arguments) if _reads(tool) else None
        if oversized is not None:
            return oversized
        token = request_api_key.set(self._header_api_key())
        try:
            return await super().call_tool(name, arguments)
        except ToolError as wrapped:
            return _failure_result(name, arguments, parameters, wrapped.__cause__ or wrapped)
        finally:
            request_api_key.reset(token)

    def _header_api_key(self) -> str | None:
        try:  # the low-level request context (`get_context()` would build a pydantic Context on every call)
            request = fastmcp_request(self)
        except LookupError:
            return None
        headers = getattr(request, "headers", None)
        if headers is None:
            return None
        key = headers.get(API_KEY_HEADER)
        return key.strip() if isinstance(key, str) and key.strip() else None


def _reads(tool: Tool) -> bool:
    """True for a read tool, whose arguments go into the request's query string."""
    return bool(tool.annotations and tool.annotations.readOnlyHint)


def _failure_result(
    name: str, arguments: dict[str, Any], parameters: list[str], error: BaseException
) -> CallToolResult:
    if isinstance(error, LagoError):
        return lago_error_result(error, name, arguments)
    if isinstance(error, ValidationError):
        if error.title.endswith("Arguments"):  # FastMCP's argument model of the tool
            return invalid_arguments_result(name, error, parameters)
        return internal_error_result(name, error)
    if isinstance(error, ValueError):  # the client's own input checks (e.g. an empty identifier)
        return invalid_arguments_result(name, error, parameters)
    if isinstance(error, MissingApiKeyError):
        return error_result(str(error))
    if isinstance(error, ToolError):
        return error_result(str(error))
    return internal_error_result(name, error)


def create_mcp_server(
    settings: Settings | None = None,
    *,
    client: LagoClient | None = None,
    api_url: str | None = None,
    api_key: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    front_url: str | None = None,
    budget: ResultBudget | None = None,
    default_per_page: int = 20,
    **fastmcp_settings: Any,
) -> LagoMcpServer:
    """Build the Lago MCP server with every tool registered.

    Args:
        settings: where LAGO_API_URL / LAGO_API_KEY / LAGO_FRONT_URL, timeout and retries come from (default: env).
        client: an open `LagoClient` to call through (the caller keeps closing it); overrides the URL/key.
        api_url: Lago API URL, overriding the settings.
        api_key: default organization key, overriding the settings (HTTP requests may send `X-LAGO-API-KEY`).
        transport: an httpx transport for the clients this server opens (e.g. ASGI to an in-process sandbox).
        front_url: base of `dashboard_url` links, overriding LAGO_FRONT_URL.
        budget: size budget of one tool result.
        default_per_page: page size of list tools when the caller gives none.
        **fastmcp_settings: passed to FastMCP (host, port, streamable_http_path, stateless_http, ...).

    Raises:
        ValueError: when neither a client nor a Lago API URL is available.
    """
    settings = settings or Settings()
    fastmcp_settings.setdefault("log_level", "WARNING")  # stdio clients show stderr; keep it to problems
    fastmcp_settings.setdefault("json_response", True)  # HTTP: plain JSON answers (no per-call SSE stream), ~40% faster
    pool = _client_pool(settings, client, api_url, api_key, transport)
    links = DashboardLinks(front_url or settings.lago_front_url or DEFAULT_FRONT_URL)
    deps = ToolDeps(pool=pool, results=ResultBuilder(links, budget), default_per_page=default_per_page)
    server = LagoMcpServer(deps, **fastmcp_settings)
    register_all_tools(server, deps)
    return server


def _client_pool(
    settings: Settings,
    client: LagoClient | None,
    api_url: str | None,
    api_key: str | None,
    transport: httpx.AsyncBaseTransport | None,
) -> LagoClientPool:
    url = api_url or settings.lago_api_url
    key = api_key or (settings.lago_api_key.get_secret_value() if settings.lago_api_key else None)
    connection = None
    if url:
        connection = LagoConnectionSettings(
            api_url=url,
            api_key=key,
            transport=transport,
            timeout=settings.lago_timeout_s,
            retry=RetryPolicy(max_retries=settings.lago_max_retries),
        )
    if client is None and connection is None:
        raise ValueError(
            "No Lago API URL: set LAGO_API_URL (e.g. https://api.getlago.com/api/v1) or pass api_url= or client=."
        )
    return LagoClientPool(connection, fixed=client)
