"""What tool modules get: the client pool, the result builder, and a decorator that applies the hints table."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

from mcp.server.fastmcp import FastMCP

from billing_agent.compat import fastmcp_tool
from billing_agent.lago import LagoClient
from billing_agent.mcp_server.annotations import hints_for
from billing_agent.mcp_server.clients import LagoClientPool
from billing_agent.mcp_server.results import ResultBuilder
from billing_agent.mcp_server.schemas import compact_schema

ToolFn = TypeVar("ToolFn", bound=Callable[..., Any])


@dataclass
class ToolDeps:
    """Shared by every tool of one server.

    Attributes:
        pool: the Lago clients (one per API key).
        results: builds results with links, pagination and the size budget.
        default_per_page: page size of list tools when the caller gives none.
    """

    pool: LagoClientPool
    results: ResultBuilder
    default_per_page: int = 20

    def lago(self) -> AbstractAsyncContextManager[LagoClient]:
        """The Lago client for the current request."""
        return self.pool.client()

    def per_page(self, requested: int | None) -> int:
        """The page size to ask Lago for."""
        return requested or self.default_per_page


def lago_tool(server: FastMCP, name: str, description: str) -> Callable[[ToolFn], ToolFn]:
    """Register a function as the tool `name`, with its title and hints from the annotations table."""
    hints = hints_for(name)

    def decorator(fn: ToolFn) -> ToolFn:
        server.add_tool(
            fn,
            name=name,
            title=hints.title,
            description=description,
            annotations=hints.annotations(),
            structured_output=False,
        )
        tool = fastmcp_tool(server, name)
        if tool is not None:
            tool.parameters = compact_schema(tool.parameters)
        return fn

    return decorator


def drop_none(**fields: Any) -> dict[str, Any]:
    """The given fields without the ones left unset (None), as a Lago request body."""
    return {key: value for key, value in fields.items() if value is not None}
