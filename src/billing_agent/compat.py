"""Every use of a dependency's private internals, in one place, with the versions it was checked against.

`tests/test_compat.py` fails loudly when an upgrade moves one of them. Public APIs are used everywhere else.
"""

from __future__ import annotations

from typing import Any

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.tools import Tool

CHECKED_AGAINST = {"mcp": "1.30", "langgraph": "1.2"}
"""Versions (major.minor) these internals were last read in."""


def fastmcp_tool(server: FastMCP, name: str) -> Tool | None:
    """A registered FastMCP tool by name (FastMCP has no public lookup: `_tool_manager`)."""
    tool: Tool | None = server._tool_manager.get_tool(name)
    return tool


def fastmcp_tools(server: FastMCP) -> list[Tool]:
    """Every registered FastMCP tool, without building the MCP listing (`_tool_manager`)."""
    return list(server._tool_manager.list_tools())


def fastmcp_request(server: FastMCP) -> Any:
    """The current low-level request (`_mcp_server.request_context`; `get_context()` builds a pydantic model
    per call). Raises LookupError outside a request."""
    return server._mcp_server.request_context.request


def set_server_version(server: FastMCP, version: str) -> None:
    """Make `serverInfo.version` ours: FastMCP does not pass a version to its low-level server."""
    server._mcp_server.version = version
