"""Fixtures for the MCP server tests: servers on the sandbox and LangChain tools loaded over a real session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from langchain_mcp_adapters.tools import load_mcp_tools

from billing_agent.mcp_server import LagoMcpServer, connect_in_process, create_mcp_server
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

FRONT_URL = "https://lago.example.test/hooli"
READ_ONLY_CUSTOMERS = 60


@pytest.fixture(scope="module")
def read_only_sandbox() -> Iterator[SandboxServer]:
    """A small demo sandbox shared by a module's tests that never change data."""
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=READ_ONLY_CUSTOMERS)) as server:
        yield server


def make_server(sandbox: SandboxServer, **options: Any) -> LagoMcpServer:
    """Our MCP server on a sandbox, authenticated as the demo org, links on FRONT_URL."""
    options.setdefault("api_key", DEMO_API_KEY)
    options.setdefault("front_url", FRONT_URL)
    return create_mcp_server(api_url=sandbox.api_url, **options)


@asynccontextmanager
async def langchain_tools(server: LagoMcpServer) -> AsyncIterator[dict[str, BaseTool]]:
    """The server's tools as LangChain tools over one in-process MCP session (the real protocol)."""
    async with connect_in_process(server) as session:
        tools = await load_mcp_tools(session)
        yield {tool.name: tool for tool in tools}


async def call(tools: dict[str, BaseTool], name: str, args: dict[str, Any]) -> ToolMessage:
    """Invoke a tool as a model's tool call would; the ToolMessage carries status, text and artifact."""
    message = await tools[name].ainvoke({"type": "tool_call", "id": "call_1", "name": name, "args": args})
    assert isinstance(message, ToolMessage)
    return message


def text_of(message: ToolMessage) -> str:
    """The text a model reads."""
    if isinstance(message.content, str):
        return message.content
    return "\n".join(block["text"] for block in message.content if isinstance(block, dict) and "text" in block)


def structured(message: ToolMessage) -> dict[str, Any]:
    """The structured content of a successful result."""
    assert message.status == "success", text_of(message)
    assert message.artifact is not None, "no structured content"
    content = message.artifact["structured_content"]
    assert isinstance(content, dict)
    return content
