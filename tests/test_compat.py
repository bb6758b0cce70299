"""The private internals `billing_agent.compat` relies on still exist: an upgrade that moves one fails here."""

from __future__ import annotations

import pytest
from mcp.server.fastmcp import FastMCP

from billing_agent import compat


def test_fastmcp_internals_are_where_compat_reads_them() -> None:
    server = FastMCP("probe")

    @server.tool()
    def ping() -> str:
        """Answer pong."""
        return "pong"

    assert compat.fastmcp_tool(server, "ping") is not None
    assert [tool.name for tool in compat.fastmcp_tools(server)] == ["ping"]
    compat.set_server_version(server, "9.9.9")
    assert server._mcp_server.create_initialization_options().server_version == "9.9.9"
    with pytest.raises(LookupError):  # outside a request, as documented
        compat.fastmcp_request(server)
