"""lago-billing-agent: an AI billing assistant for Lago, shipped as a LangGraph agent.

`create_agent` is imported lazily so that light entry points (the sandbox, the MCP server over stdio)
do not load LangGraph and LangChain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from billing_agent.agent import create_agent

__all__ = ["create_agent"]


def __getattr__(name: str) -> Any:
    if name == "create_agent":
        from billing_agent.agent import create_agent

        return create_agent
    raise AttributeError(f"module 'billing_agent' has no attribute {name!r}")
