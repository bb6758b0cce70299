"""The server over its real transports: stdio (CLI subprocess) and streamable HTTP (uvicorn, per-request key)."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools

from billing_agent.mcp_server import create_http_app, create_mcp_server
from billing_agent.sandbox import DEMO_API_KEY, OTHER_API_KEY, SandboxServer, free_port

from .conftest import call, structured, text_of

CLI = Path(sys.executable).with_name("billing-agent")


class HttpMcp:
    """Our streamable HTTP app under uvicorn in a thread (with its lifespan, unlike the sandbox runner)."""

    def __init__(self, sandbox: SandboxServer, api_key: str | None) -> None:
        server = create_mcp_server(api_url=sandbox.api_url, api_key=api_key)
        self.port = free_port()
        config = uvicorn.Config(create_http_app(server), host="127.0.0.1", port=self.port, log_level="warning")
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HttpMcp:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._uvicorn.started:
            assert time.monotonic() < deadline, "MCP HTTP server did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *_: object) -> None:
        self._uvicorn.should_exit = True
        self._thread.join(timeout=10)


@pytest.fixture
def http_mcp(read_only_sandbox: SandboxServer) -> Iterator[HttpMcp]:
    with HttpMcp(read_only_sandbox, api_key=DEMO_API_KEY) as server:
        yield server


def _http_client(url: str, api_key: str | None = None) -> MultiServerMCPClient:
    connection: dict[str, Any] = {"transport": "streamable_http", "url": f"{url}/mcp"}
    if api_key:
        connection["headers"] = {"X-LAGO-API-KEY": api_key}
    return MultiServerMCPClient({"lago": connection})  # type: ignore[dict-item]


async def _total_customers(client: MultiServerMCPClient) -> int:
    async with client.session("lago") as session:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        message = await call(tools, "list_customers", {"per_page": 1})
    return int(structured(message)["pagination"]["total_count"])


async def test_http_serves_every_tool_and_answers_calls(http_mcp: HttpMcp) -> None:
    async with _http_client(http_mcp.url).session("lago") as session:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        ok = await call(tools, "list_plans", {})
        missing = await call(tools, "get_plan", {"code": "ghost"})
    assert len(tools) == 65
    assert tools["void_invoice"].metadata is not None and tools["void_invoice"].metadata["destructiveHint"] is True
    assert structured(ok)["plans"]
    assert missing.status == "error" and "No plan with code 'ghost'" in text_of(missing)
    async with httpx.AsyncClient() as http:
        health = (await http.get(f"{http_mcp.url}/health")).json()
    assert health == {"status": "ok", "tools": 65}


async def test_http_header_api_key_selects_the_organization(http_mcp: HttpMcp) -> None:
    demo = await _total_customers(_http_client(http_mcp.url))
    other = await _total_customers(_http_client(http_mcp.url, OTHER_API_KEY))
    assert (demo, other) == (60, 6)


async def test_http_without_any_key_says_how_to_send_one(read_only_sandbox: SandboxServer) -> None:
    with HttpMcp(read_only_sandbox, api_key=None) as server:
        async with _http_client(server.url).session("lago") as session:
            tools = {tool.name: tool for tool in await load_mcp_tools(session)}
            message = await call(tools, "list_plans", {})
        assert await _total_customers(_http_client(server.url, DEMO_API_KEY)) == 60
    assert message.status == "error"
    assert "send the header X-LAGO-API-KEY" in text_of(message)


async def test_stdio_cli_serves_the_sandbox(read_only_sandbox: SandboxServer, tmp_path: Path) -> None:
    env = {
        "LAGO_API_URL": read_only_sandbox.api_url,
        "LAGO_API_KEY": DEMO_API_KEY,
        "BILLING_AGENT_HOME": str(tmp_path),
        "PATH": os.environ.get("PATH", ""),
    }
    connection = {"transport": "stdio", "command": str(CLI), "args": ["mcp", "serve"], "env": env}
    client = MultiServerMCPClient({"lago": connection})  # type: ignore[dict-item]
    async with client.session("lago") as session:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        ok = await call(tools, "get_customer", {"external_customer_id": "acme_corp"})
        missing = await call(tools, "get_customer", {"external_customer_id": "acme"})
    assert len(tools) == 65
    assert structured(ok)["customer"]["external_id"] == "acme_corp"
    assert text_of(missing).startswith("No customer with external_id 'acme' (customer_not_found).")


async def test_python_module_entry_point_serves_stdio(read_only_sandbox: SandboxServer) -> None:
    env = {"LAGO_API_URL": read_only_sandbox.api_url, "LAGO_API_KEY": DEMO_API_KEY}
    connection = {
        "transport": "stdio",
        "command": sys.executable,
        "args": ["-m", "billing_agent.mcp_server"],
        "env": env,
    }
    client = MultiServerMCPClient({"lago": connection})  # type: ignore[dict-item]
    async with client.session("lago") as session:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        message = await call(tools, "list_coupons", {})
    assert structured(message)["coupons"]


async def test_stdio_cli_without_lago_url_serves_the_embedded_sandbox(tmp_path: Path) -> None:
    env = {"BILLING_AGENT_HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    connection = {"transport": "stdio", "command": str(CLI), "args": ["mcp", "serve"], "env": env}
    client = MultiServerMCPClient({"lago": connection})  # type: ignore[dict-item]
    async with client.session("lago") as session:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        message = await call(tools, "get_customer", {"external_customer_id": "acme_corp"})
    assert structured(message)["customer"]["external_id"] == "acme_corp"
    assert (tmp_path / "sandbox.sqlite3").is_file()


async def test_server_info_names_this_package_and_its_version(http_mcp: HttpMcp) -> None:
    """The official MCP SDK client sees our name and version (FastMCP would report the SDK's)."""
    from importlib.metadata import version

    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async with (
        streamablehttp_client(f"{http_mcp.url}/mcp", headers={"X-LAGO-API-KEY": DEMO_API_KEY}) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        result = await session.initialize()
    assert result.serverInfo.version == version("lago-billing-agent")
