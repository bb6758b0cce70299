"""Per-call latency of one MCP tool call: a kept session (in-process, stdio, streamable HTTP) versus
langchain-mcp-adapters' default session-per-call (`MultiServerMCPClient(...).get_tools()` on stdio).

Every call is `get_customer(external_customer_id='acme_corp')` against the demo sandbox served over real HTTP,
so each figure includes one Lago (sandbox) request; `direct_p50` is that request through the Lago client alone,
and `inprocess_batch_p50` the in-process call the way a batch item makes it (`call_batch_tool`: the adapter's
coroutine on the same session, without LangChain's per-call tool machinery).

Usage: `python benchmarks/mcp_overhead.py [--calls 200] [--cold-calls 10]`.
The last line is machine-readable, e.g. `inprocess_p50_ms=3.1 stdio_p50_ms=4.0 ... stdio_ratio=180`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import uvicorn
from langchain_core.tools import BaseTool
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools

from billing_agent.graph.batch.call import call_batch_tool
from billing_agent.lago import LagoClient
from billing_agent.mcp_server import connect_in_process, create_http_app, create_mcp_server
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app, free_port

TOOL = "get_customer"
ARGS = {"external_customer_id": "acme_corp"}
CLI = Path(sys.executable).with_name("billing-agent")


async def _p50_ms(call: Callable[[], Awaitable[Any]], count: int, warmup: int = 5) -> float:
    for _ in range(warmup):
        await call()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def _tool_p50(tools: list[BaseTool], count: int, warmup: int = 5) -> float:
    tool = next(t for t in tools if t.name == TOOL)

    async def one() -> None:
        message = await tool.ainvoke({"type": "tool_call", "id": "b", "name": TOOL, "args": ARGS})
        if getattr(message, "status", "success") != "success":
            raise RuntimeError(f"{TOOL} failed: {message}")

    return await _p50_ms(one, count, warmup)


async def _batch_p50(tools: list[BaseTool], count: int) -> float:
    by_name = {tool.name: tool for tool in tools}

    async def one() -> None:
        outcome = await call_batch_tool(by_name, TOOL, dict(ARGS), "b")
        if not outcome.ok:
            raise RuntimeError(f"{TOOL} failed: {outcome.text}")

    return await _p50_ms(one, count)


def _stdio_connection(api_url: str) -> dict[str, Any]:
    env = {"LAGO_API_URL": api_url, "LAGO_API_KEY": DEMO_API_KEY}
    return {"transport": "stdio", "command": str(CLI), "args": ["mcp", "serve"], "env": env}


class _HttpMcp:
    """The streamable HTTP app under uvicorn in a background thread."""

    def __init__(self, api_url: str) -> None:
        self.port = free_port()
        app = create_http_app(create_mcp_server(api_url=api_url, api_key=DEMO_API_KEY))
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return f"http://127.0.0.1:{self.port}/mcp"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


async def measure(api_url: str, calls: int, cold_calls: int) -> dict[str, float]:
    """Every latency figure, in milliseconds."""
    results: dict[str, float] = {}
    async with LagoClient(api_url, DEMO_API_KEY) as lago:
        results["direct_p50_ms"] = await _p50_ms(lambda: lago.get_customer("acme_corp"), calls)
    server = create_mcp_server(api_url=api_url, api_key=DEMO_API_KEY)
    async with connect_in_process(server) as session:
        tools = await load_mcp_tools(session)
        results["inprocess_p50_ms"] = await _tool_p50(tools, calls)
        results["inprocess_batch_p50_ms"] = await _batch_p50(tools, calls)
    stdio = MultiServerMCPClient({"lago": _stdio_connection(api_url)})  # type: ignore[dict-item]
    async with stdio.session("lago") as session:
        results["stdio_p50_ms"] = await _tool_p50(await load_mcp_tools(session), calls)
    with _HttpMcp(api_url) as url:
        http = MultiServerMCPClient({"lago": {"transport": "streamable_http", "url": url}})
        async with http.session("lago") as session:
            results["http_p50_ms"] = await _tool_p50(await load_mcp_tools(session), calls)
    per_call_tools = await stdio.get_tools()
    results["stdio_session_per_call_p50_ms"] = await _tool_p50(per_call_tools, cold_calls, warmup=1)
    return results


def main() -> None:
    """Run the measurements and print them; the last line is `key=value` pairs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=200, help="calls per kept-session measurement")
    parser.add_argument("--cold-calls", type=int, default=10, help="calls with a new stdio session each")
    args = parser.parse_args()
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=60)) as sandbox:
        results = asyncio.run(measure(sandbox.api_url, args.calls, args.cold_calls))
    ratio = results["stdio_session_per_call_p50_ms"] / results["stdio_p50_ms"]
    for key, value in results.items():
        print(f"{key:32s} {value:9.2f} ms")
    print(f"session-per-call / kept stdio session: {ratio:.0f}x (target >= 100x)")
    pairs = " ".join(f"{key}={value:.2f}" for key, value in results.items())
    print(f"{pairs} stdio_ratio={ratio:.0f} calls={args.calls} cold_calls={args.cold_calls}")


if __name__ == "__main__":
    main()
