"""Every tool of the Lago MCP server, one module per Lago resource family."""

from __future__ import annotations

from mcp.server.fastmcp import FastMCP

from billing_agent.mcp_server.registry import ToolDeps
from billing_agent.mcp_server.tools import (
    billable_metrics,
    coupons,
    credit_notes,
    customers,
    events,
    invoices,
    logs,
    payments,
    plans,
    subscriptions,
    wallets,
)

TOOL_MODULES = (
    invoices,
    customers,
    subscriptions,
    billable_metrics,
    logs,
    coupons,
    events,
    credit_notes,
    plans,
    payments,
    wallets,
)


def register_all_tools(server: FastMCP, deps: ToolDeps) -> None:
    """Register every tool on the server."""
    for module in TOOL_MODULES:
        module.register(server, deps)
