"""The batch's cheap paths give what the ordinary ones give: item calls (vs `run_tool`) and concurrent paging.

Real MCP (in-process session) to the small sandbox over HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from langchain_core.messages import ToolCall
from langchain_core.tools import BaseTool, StructuredTool
from langchain_mcp_adapters.tools import load_mcp_tools

from billing_agent.graph.batch.call import call_batch_tool, direct_coroutine
from billing_agent.graph.batch.errors import ResolveError, TooManyItems
from billing_agent.graph.batch.pages import PageReader, walk_pages
from billing_agent.graph.batch.resolve import read_selection
from billing_agent.graph.batch.tool import Selection
from billing_agent.graph.toolcall import run_tool
from billing_agent.mcp_server import ResultBudget, connect_in_process, create_mcp_server
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer
from billing_agent.tools.policy import ToolPolicy

from .helpers import tools_on


@asynccontextmanager
async def tool_map(sandbox: SandboxServer) -> AsyncIterator[dict[str, BaseTool]]:
    """The MCP tools by name (the session must open and close in the test's own task)."""
    async with tools_on(sandbox) as loaded:
        yield {tool.name: tool for tool in loaded}


async def _customer_ids(http: httpx.AsyncClient) -> list[str]:
    body = (await http.get("/customers", params={"per_page": 100})).raise_for_status().json()
    return [c["external_id"] for c in body["customers"]]


async def test_item_calls_give_what_run_tool_gives(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    async with tool_map(sandbox_server) as tools:
        await _same_outcomes(tools, sandbox_http)


async def _same_outcomes(tools: dict[str, BaseTool], sandbox_http: httpx.AsyncClient) -> None:
    first, second = (await _customer_ids(sandbox_http))[:2]
    cases: list[tuple[str, dict[str, Any]]] = [
        ("get_customer", {"external_customer_id": first}),  # a record
        ("get_customer", {"external_customer_id": "nobody_here"}),  # Lago's 404 as a tool error
        ("list_customers", {"per_page": 3, "countries": ["US"]}),  # a list with pagination
        ("get_customer", {"external_customer_id": second, "no_such_argument": 1}),  # refused by the server
        ("no_such_tool", {}),  # not a tool at all
    ]
    assert direct_coroutine(tools["get_customer"]) is not None  # the adapter's tools take the direct path
    for name, args in cases:
        fast = await call_batch_tool(tools, name, args, "c1")
        usual = await run_tool(tools, ToolCall(name=name, args=args, id="c1"))
        assert (fast.ok, fast.text, fast.data) == (usual.ok, usual.text, usual.data), name
    failed = await call_batch_tool(tools, "get_customer", {"external_customer_id": "nobody_here"}, "c2")
    assert not failed.ok and "404" in failed.text


async def test_a_tool_with_its_own_schema_or_callbacks_goes_through_ainvoke() -> None:
    async def shout(text: str) -> tuple[str, dict[str, str]]:
        """Say it louder."""
        return text.upper(), {"structured_content": {"loud": text.upper()}}

    plain = StructuredTool.from_function(coroutine=shout, name="shout", response_format="content_and_artifact")
    assert direct_coroutine(plain) is None  # a pydantic schema: `ainvoke` validates, keep it
    outcome = await call_batch_tool({"shout": plain}, "shout", {"text": "hi"}, "s1")
    assert outcome.ok and outcome.text == "HI" and outcome.data == {"loud": "HI"}
    invalid = await call_batch_tool({"shout": plain}, "shout", {"text": ["not", "text"]}, "s2")
    assert not invalid.ok


async def _read_all(tools: Mapping[str, BaseTool], size: int, concurrency: int, limit: int = 1000) -> list[str]:
    reader = PageReader(tools, "list_customers", {}, None, concurrency)
    read = await walk_pages(reader, size, limit)
    assert read.cut_to is None and read.kind == "customers"
    return [record["external_id"] for record in read.records]


async def test_concurrent_paging_reads_the_same_records_in_the_same_order(sandbox_server: SandboxServer) -> None:
    async with tool_map(sandbox_server) as tools:
        one_by_one = await _read_all(tools, size=7, concurrency=1)
        at_once = await _read_all(tools, size=7, concurrency=8)
    assert at_once == one_by_one and len(set(at_once)) == len(at_once) == 60


async def test_paging_refuses_above_the_cap_from_the_first_page(sandbox_server: SandboxServer) -> None:
    async with tool_map(sandbox_server) as tools:
        policy = ToolPolicy(list(tools.values()))
        with pytest.raises(TooManyItems, match="60 customers; one batch may touch at most 50"):
            await read_selection(
                tools, policy, Selection(tool="list_customers"), limit=50, action="apply_coupon", concurrency=8
            )
        with pytest.raises(ResolveError, match="no filter"):
            await read_selection(
                tools, policy, Selection(tool="list_customers", filters={"colour": "red"}), limit=50, action="x"
            )


async def test_pages_cut_to_the_result_budget_are_read_again_smaller(sandbox_server: SandboxServer) -> None:
    server = create_mcp_server(
        api_url=sandbox_server.api_url, api_key=DEMO_API_KEY, budget=ResultBudget(max_text_chars=1_500)
    )
    async with connect_in_process(server) as session:
        small = {tool.name: tool for tool in await load_mcp_tools(session)}
        policy = ToolPolicy(list(small.values()))
        targets = await read_selection(
            small, policy, Selection(tool="list_customers"), limit=1000, action="apply_coupon", concurrency=4
        )
    names = [record["external_id"] for record in targets.records]
    assert len(names) == len(set(names)) == 60
