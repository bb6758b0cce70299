"""Every use of a dependency's private internals, in one place, with the versions it was checked against.

`tests/test_compat.py` fails loudly when an upgrade moves one of them. Public APIs are used everywhere else.
LangGraph is imported inside the functions that need it, so the MCP server does not load it.

- FastMCP: its tool manager (no public lookup) and its low-level server (request context, version).
- LangGraph task configuration: `run_is_resuming` tells the first step of a resumed run; `add_task_writes`
  lets a node that is being cancelled hand LangGraph writes that it keeps as pending writes of the interrupted
  step; `recent_pending_writes` reads the pending writes of the thread's latest checkpoints, which a new input
  discards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.tools import Tool

CHECKED_AGAINST = {"mcp": "1.30", "langgraph": "1.2"}
SEND_KEY = "__pregel_send"  # langgraph._internal._constants.CONFIG_KEY_SEND: appends to the task's writes
CHECKPOINTER_KEY = "__pregel_checkpointer"  # CONFIG_KEY_CHECKPOINTER
RESUMING_KEY = "__pregel_resuming"  # CONFIG_KEY_RESUMING: set for the first step of a resumed run only
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


def _configurable() -> dict[str, Any]:
    from langgraph.config import get_config

    try:
        return dict(get_config().get("configurable") or {})
    except RuntimeError:  # called outside a graph run
        return {}


def run_is_resuming() -> bool:
    """True in the first step of a run that resumes a thread (after a crash, or `ainvoke(None)`)."""
    return bool(_configurable().get(RESUMING_KEY))


def add_task_writes(writes: Sequence[tuple[str, Any]]) -> bool:
    """Append writes to the running task's own writes; False when not inside a task."""
    send = _configurable().get(SEND_KEY)
    if send is None:
        return False
    send(list(writes))
    return True


async def recent_pending_writes(thread_id: str, limit: int) -> list[list[tuple[str, str, Any]]]:
    """Pending writes `(task_id, channel, value)` of the thread's newest `limit` saved checkpoints, newest first."""
    from langgraph.checkpoint.base import BaseCheckpointSaver

    saver = _configurable().get(CHECKPOINTER_KEY)
    if not isinstance(saver, BaseCheckpointSaver):
        return []
    config: Any = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    return [
        [(str(task), str(channel), value) for task, channel, value in saved.pending_writes or []]
        async for saved in saver.alist(config, limit=limit)
    ]
