"""The Lago MCP server: every Lago billing operation as an annotated MCP tool (stdio, streamable HTTP, in-process).

Typical embedding::

    from langchain_mcp_adapters.tools import load_mcp_tools
    from billing_agent.mcp_server import connect_in_process, create_mcp_server

    server = create_mcp_server(api_url="http://127.0.0.1:8088", api_key="...")
    async with connect_in_process(server) as session:
        tools = await load_mcp_tools(session)
"""

from billing_agent.mcp_server.annotations import OFFICIAL_TOOL_NAMES, TOOL_HINTS, ToolHints
from billing_agent.mcp_server.inprocess import connect_in_process, open_in_process_session
from billing_agent.mcp_server.results import ResultBudget
from billing_agent.mcp_server.server import API_KEY_HEADER, LagoMcpServer, create_mcp_server
from billing_agent.mcp_server.transports import create_http_app, run_stdio, serve_http

__all__ = [
    "API_KEY_HEADER",
    "OFFICIAL_TOOL_NAMES",
    "TOOL_HINTS",
    "LagoMcpServer",
    "ResultBudget",
    "ToolHints",
    "connect_in_process",
    "create_http_app",
    "create_mcp_server",
    "open_in_process_session",
    "run_stdio",
    "serve_http",
]
