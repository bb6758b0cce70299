"""Embedding the server: an explicit LagoClient, an httpx transport, configuration from Settings, client lifetime."""

from __future__ import annotations

import httpx
import pytest

from billing_agent.lago import LagoClient
from billing_agent.mcp_server import connect_in_process, create_mcp_server, open_in_process_session
from billing_agent.mcp_server.clients import LagoClientPool, LagoConnectionSettings, request_api_key
from billing_agent.sandbox import DEMO_API_KEY, OTHER_API_KEY, SandboxServer

from .conftest import call, langchain_tools, structured


async def test_an_explicit_client_serves_every_call_and_stays_open(read_only_sandbox: SandboxServer) -> None:
    async with LagoClient(read_only_sandbox.api_url, DEMO_API_KEY) as lago:
        server = create_mcp_server(client=lago)
        async with langchain_tools(server) as tools:
            message = await call(tools, "get_customer", {"external_customer_id": "acme_corp"})
        assert structured(message)["customer"]["external_id"] == "acme_corp"
        assert server.pool.open_clients == 0, "the pool opened no client of its own"
        assert (await lago.get_customer("acme_corp")).external_id == "acme_corp", "still open after the session"


async def test_an_httpx_transport_reaches_an_in_process_sandbox(read_only_sandbox: SandboxServer) -> None:
    transport = httpx.ASGITransport(app=read_only_sandbox.app)
    async with open_in_process_session(
        api_url="http://sandbox.invalid/api/v1", api_key=DEMO_API_KEY, transport=transport
    ) as session:
        result = await session.call_tool("list_plans", {})
    assert not result.isError
    assert result.structuredContent is not None and result.structuredContent["plans"]


async def test_configuration_comes_from_the_environment(
    read_only_sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAGO_API_URL", read_only_sandbox.url)
    monkeypatch.setenv("LAGO_API_KEY", DEMO_API_KEY)
    monkeypatch.setenv("LAGO_FRONT_URL", "https://billing.example.org/")
    server = create_mcp_server()
    async with connect_in_process(server) as session:
        result = await session.call_tool("get_customer", {"external_customer_id": "acme_corp"})
        assert server.pool.open_clients == 1, "one client per API key, reused across calls"
        await session.call_tool("list_plans", {})
        assert server.pool.open_clients == 1
    assert server.pool.open_clients == 0, "clients are closed when the session ends"
    assert result.structuredContent is not None
    customer = result.structuredContent["customer"]
    assert customer["dashboard_url"] == f"https://billing.example.org/customer/{customer['lago_id']}"


async def test_per_key_clients_are_bounded_and_closed_once_idle(read_only_sandbox: SandboxServer) -> None:
    settings = LagoConnectionSettings(api_url=read_only_sandbox.api_url, api_key=DEMO_API_KEY, max_clients=1)
    pool = LagoClientPool(settings)
    token = request_api_key.set(OTHER_API_KEY)
    try:
        async with pool.client() as first:
            request_api_key.set(DEMO_API_KEY)
            async with pool.client() as second:
                assert pool.open_clients == 1
                assert not first.closed, "an evicted client in use stays open until released"
                assert (await first.list_customers(per_page=1)).meta.total_count == 6, "the other org's client"
            assert not second.closed
        assert first.closed, "closed once its last user released it"
    finally:
        request_api_key.reset(token)
        await pool.aclose()
    assert second.closed and pool.open_clients == 0
