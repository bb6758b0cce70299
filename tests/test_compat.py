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


async def test_langgraph_task_keys_are_where_compat_reads_them() -> None:
    """A node's extra writes land in the state, and the checkpointer is reachable from inside the run."""
    from typing import TypedDict

    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.graph import START, StateGraph

    class Counter(TypedDict, total=False):
        value: int
        seen: int

    async def node(state: Counter) -> Counter:
        assert compat.add_task_writes([("value", 41)])
        pending = await compat.recent_pending_writes("t", limit=1)
        return {"seen": len(pending)}

    graph = StateGraph(Counter)
    graph.add_node("node", node)
    graph.add_edge(START, "node")
    app = graph.compile(checkpointer=InMemorySaver())
    result = await app.ainvoke({"value": 0}, {"configurable": {"thread_id": "t"}})
    assert result == {"value": 41, "seen": 1}
    assert not compat.add_task_writes([("value", 1)])  # outside a run
