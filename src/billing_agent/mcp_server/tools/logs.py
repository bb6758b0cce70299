"""Audit tools: activity logs (what changed, by whom) and API logs (which requests were made)."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.lago import ActivityLog, ApiLog
from billing_agent.mcp_server.registry import ToolDeps, lago_tool
from billing_agent.mcp_server.tools.params import DateArg, PageArg, PerPageArg
from billing_agent.mcp_server.tools.raw import fetch_page


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the log tools."""
    results = deps.results

    @lago_tool(
        server,
        "get_activity_log",
        "Get one activity log entry (the change made, its author and source) by activity_id. Example: "
        "get_activity_log(activity_id='1a2b…').",
    )
    async def get_activity_log(activity_id: Annotated[str, Field(min_length=1)]) -> CallToolResult:
        async with deps.lago() as lago:
            log = await lago.get_activity_log(activity_id)
        return results.record("activity_log", log)

    @lago_tool(
        server,
        "list_activity_logs",
        "Who changed what and when: filter by activity_types (e.g. 'invoice.voided'), sources, user_emails, "
        "customer, subscription, resource, dates. Example: list_activity_logs(external_customer_id='acme').",
    )
    async def list_activity_logs(
        activity_types: Annotated[list[str] | None, Field(description="e.g. ['invoice.created'].")] = None,
        activity_sources: list[Literal["api", "front", "system"]] | None = None,
        user_emails: list[str] | None = None,
        external_customer_id: str | None = None,
        external_subscription_id: str | None = None,
        resource_ids: list[str] | None = None,
        resource_types: Annotated[list[str] | None, Field(description="e.g. ['Invoice', 'Customer'].")] = None,
        from_date: DateArg = None,
        to_date: DateArg = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        filters = {
            "activity_types": activity_types,
            "activity_sources": activity_sources,
            "user_emails": user_emails,
            "external_customer_id": external_customer_id,
            "external_subscription_id": external_subscription_id,
            "resource_ids": resource_ids,
            "resource_types": resource_types,
            "from_date": from_date,
            "to_date": to_date,
        }
        async with deps.lago() as lago:
            found = await fetch_page(lago, ActivityLog, "activity_logs", "/activity_logs", filters, page, size)
        return results.records(
            "activity_log", "activity_logs", found.items, tool="list_activity_logs", meta=found.meta, per_page=size
        )

    @lago_tool(
        server,
        "get_api_log",
        "Get one API request log (method, path, status, request and response bodies) by request_id. Example: "
        "get_api_log(request_id='1a2b…').",
    )
    async def get_api_log(request_id: Annotated[str, Field(min_length=1)]) -> CallToolResult:
        async with deps.lago() as lago:
            log = await lago.get_api_log(request_id)
        return results.record("api_log", log)

    @lago_tool(
        server,
        "list_api_logs",
        "List API requests made to Lago (writes): filter by http_methods, http_statuses (codes or 'failed'), "
        "request_paths, dates. Example: list_api_logs(http_statuses=['failed']).",
    )
    async def list_api_logs(
        http_methods: list[Literal["post", "put", "delete"]] | None = None,
        http_statuses: Annotated[list[str] | None, Field(description="e.g. ['422'] or ['failed'].")] = None,
        api_version: str | None = None,
        request_paths: Annotated[list[str] | None, Field(description="e.g. ['/invoices'].")] = None,
        from_date: DateArg = None,
        to_date: DateArg = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        filters = {
            "http_methods": http_methods,
            "http_statuses": http_statuses,
            "api_version": api_version,
            "request_paths": request_paths,
            "from_date": from_date,
            "to_date": to_date,
        }
        async with deps.lago() as lago:
            found = await fetch_page(lago, ApiLog, "api_logs", "/api_logs", filters, page, size)
        return results.records("api_log", "api_logs", found.items, tool="list_api_logs", meta=found.meta, per_page=size)
