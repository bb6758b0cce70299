"""Bulk work side by side: apply a coupon to 1,000 customers, sandbox latency 20 ms, concurrency 10.

(a) our agent: the offline planner emits ONE `run_batch` call; the batch sub-graph pages through the customers
    and fans out with `Send`, `concurrency` chunks at a time (lanes; checkpointed in SQLite, like the CLI);
(b) a plain asyncio + httpx script making the same Lago calls at the same concurrency;
(c) langchain's generic `create_agent` with the same MCP tools and a scripted model that emits one tool call per
    customer (10 parallel calls per model turn, the same concurrency).

The sandbox runs in its own process (`billing-agent sandbox serve`), as Lago would. Each run applies its own
coupon, so they do not interfere. Our rate limiter is set far above what the run reaches (b has none); the
default 40 req/s would make (a) take 25 s by design. `cpu s` is this process's CPU time (the client side: the
sandbox has its own process); on a small machine the sandbox's own CPU per request, not the 20 ms latency,
bounds both (a) and (b), so compare `cpu s` for the agent's own overhead. Output tokens are estimated the same
way for (a) and (c): characters of the text plus the JSON of the tool calls, divided by 4.

Usage: `python benchmarks/bulk.py [--customers 1000] [--latency-ms 20] [--concurrency 10] [--generic-items N]
[--only agent|direct|generic]`. The last line is machine-readable, e.g. `wall_ratio_agent_vs_direct=1.04
agent_model_calls=1 ...`. `--only` runs one side and prints its row alone (to profile it, e.g. under py-spy).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from langchain_core.callbacks import AsyncCallbackHandler, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolCall, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult, LLMResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.types import Command
from pydantic import Field

from billing_agent.graph import Context, build_graph
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.sandbox import DEMO_API_KEY
from billing_agent.tools.connect import InProcessServer, open_mcp_tools

CLI = Path(sys.executable).with_name("billing-agent")
UNTHROTTLED = 1_000_000.0
GENERIC_PAGE = 50  # small enough that no page is cut to the MCP result budget


def estimate_tokens(message: BaseMessage) -> int:
    """Output tokens of a model message: (text + JSON of the tool calls) / 4, the same rule for every agent."""
    text = message.content if isinstance(message.content, str) else json.dumps(message.content)
    calls = [{"name": c["name"], "args": c["args"]} for c in getattr(message, "tool_calls", [])]
    return math.ceil((len(text) + (len(json.dumps(calls)) if calls else 0)) / 4)


class ModelMeter(AsyncCallbackHandler):
    """Counts chat-model calls and estimated output tokens through LangChain callbacks."""

    def __init__(self) -> None:
        self.calls = 0
        self.tokens = 0

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        for generations in response.generations:
            for generation in generations:
                if isinstance(generation, ChatGeneration):
                    self.calls += 1
                    self.tokens += estimate_tokens(generation.message)


@dataclass
class Run:
    """One side of the comparison."""

    name: str
    items: int
    seconds: float
    model_calls: int = 0
    tokens: int = 0
    applied: int = 0
    cpu: float = 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sandbox(customers: int, latency_ms: float) -> tuple[subprocess.Popen[bytes], str]:
    """`billing-agent sandbox serve` in its own process; returns it and its base URL once it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [str(CLI), "sandbox", "serve", "--port", str(port), "--db", ":memory:", "--customers", str(customers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/customers?per_page=1", headers=_headers(), timeout=1).status_code == 200:
                httpx.put(f"{url}/_sandbox/faults", json={"latency_ms": latency_ms}, timeout=5).raise_for_status()
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the sandbox did not start within 60 s")


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {DEMO_API_KEY}"}


async def create_coupon(api: httpx.AsyncClient, code: str) -> None:
    """A reusable percentage coupon for one run."""
    body = {
        "coupon": {
            "name": code,
            "code": code,
            "coupon_type": "percentage",
            "percentage_rate": "5",
            "frequency": "once",
            "expiration": "no_expiration",
        }
    }
    (await api.post("/coupons", json=body)).raise_for_status()


async def count_applied(api: httpx.AsyncClient, code: str) -> int:
    """Active applications of `code`."""
    response = await api.get("/applied_coupons", params={"coupon_code[]": code, "per_page": 1, "status": "active"})
    response.raise_for_status()
    return int(response.json()["meta"]["total_count"])


async def run_agent(url: str, code: str, concurrency: int, workdir: Path) -> Run:
    """(a) our graph, offline planner, SQLite checkpointer; timed from the request to the report (CONFIRM at once)."""
    meter = ModelMeter()
    async with (
        AsyncSqliteSaver.from_conn_string(str(workdir / "bench.sqlite")) as saver,
        open_mcp_tools(InProcessServer(api_url=url, api_key=DEMO_API_KEY)) as tools,
    ):
        limits = BatchConfig(max_items=100_000, concurrency=concurrency, rate=UNTHROTTLED)
        graph = build_graph(tools, OfflinePlanner(), checkpointer=saver, batch=limits)
        config: Any = {"configurable": {"thread_id": uuid.uuid4().hex}, "callbacks": [meter]}
        started = time.perf_counter()
        await graph.ainvoke(
            {"messages": [HumanMessage(f"Apply coupon {code} to all customers")]}, config, context=Context()
        )
        await graph.ainvoke(Command(resume="CONFIRM"), config, context=Context())
        seconds = time.perf_counter() - started
        values = (await graph.aget_state(config)).values
    return Run("agent", len(values["batch"]["items"]), seconds, meter.calls, meter.tokens)


async def run_direct(url: str, code: str, concurrency: int) -> Run:
    """(b) plain asyncio + httpx: page through the customers, then POST /applied_coupons at the same concurrency."""
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"{url}/api/v1", headers=_headers(), limits=limits, timeout=30) as api:
        customers: list[str] = []
        page: int | None = 1
        while page:
            body = (await api.get("/customers", params={"page": page, "per_page": 100})).raise_for_status().json()
            customers += [c["external_id"] for c in body["customers"]]
            page = body["meta"]["next_page"]
        gate = asyncio.Semaphore(concurrency)

        async def apply(customer: str) -> None:
            async with gate:
                payload = {"applied_coupon": {"external_customer_id": customer, "coupon_code": code}}
                (await api.post("/applied_coupons", json=payload)).raise_for_status()

        await asyncio.gather(*(apply(c) for c in customers))
    return Run("direct", len(customers), time.perf_counter() - started)


class PerCustomerModel(BaseChatModel):
    """The generic agent's scripted model: list every customer page, then one apply_coupon call per customer."""

    code: str
    per_turn: int
    limit: int
    outputs: list[AIMessage] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-per-customer"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self._next(messages)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        customers: list[str] = []
        applied = 0
        next_page: int | None = 1
        for message in messages:
            if isinstance(message, ToolMessage) and message.name == "list_customers":
                data = (message.artifact or {}).get("structured_content", {})
                customers += [c["external_id"] for c in data.get("customers", [])]
                next_page = data.get("pagination", {}).get("next_page")
            elif isinstance(message, ToolMessage) and message.name == "apply_coupon":
                applied += 1
        turn = len(messages)
        if next_page is not None and len(customers) < self.limit:
            call = ToolCall(
                name="list_customers",
                args={"page": next_page, "per_page": GENERIC_PAGE},
                id=f"l{turn}",
                type="tool_call",
            )
            return AIMessage(content="", tool_calls=[call])
        todo = customers[: self.limit][applied : applied + self.per_turn]
        if not todo:
            return AIMessage(content=f"Applied coupon {self.code} to {applied} customers.")
        calls = [
            ToolCall(
                name="apply_coupon",
                args={"external_customer_id": customer, "coupon_code": self.code},
                id=f"a{turn}_{i}",
                type="tool_call",
            )
            for i, customer in enumerate(todo)
        ]
        return AIMessage(content="", tool_calls=calls)


async def run_generic(url: str, code: str, concurrency: int, items: int) -> Run:
    """(c) langchain `create_agent` with the same MCP tools and a model emitting one call per customer."""
    from langchain.agents import create_agent

    meter = ModelMeter()
    async with open_mcp_tools(InProcessServer(api_url=url, api_key=DEMO_API_KEY)) as tools:
        chosen: list[BaseTool] = [t for t in tools if t.name in ("list_customers", "apply_coupon")]
        agent = create_agent(PerCustomerModel(code=code, per_turn=concurrency, limit=items), chosen)
        started = time.perf_counter()
        await agent.ainvoke(
            {"messages": [HumanMessage(f"Apply coupon {code} to all customers")]},
            {"callbacks": [meter], "recursion_limit": 10 * items + 100, "max_concurrency": concurrency},
        )
        seconds = time.perf_counter() - started
    return Run("generic", items, seconds, meter.calls, meter.tokens)


def _row(run: Run, note: str = "") -> str:
    calls = f"{run.model_calls:>6}" if run.name != "direct" else "     -"
    tokens = f"{run.tokens:>8,}" if run.name != "direct" else "       -"
    row = f"{run.name:<8} {run.items:>6,} {run.seconds:>8.2f} {run.cpu:>8.2f} {calls} {tokens} {run.applied:>8,}"
    return f"{row}  {note}"


async def on_fresh_sandbox(customers: int, latency_ms: float, name: str, run: Callable[[str, str], Any]) -> Run:
    """Run one side on its own freshly seeded sandbox (the sandbox's cost grows with the coupons applied)."""
    process, url = start_sandbox(customers, latency_ms)
    try:
        code = f"BENCH_{name.upper()}"
        async with httpx.AsyncClient(base_url=f"{url}/api/v1", headers=_headers(), timeout=30) as api:
            await create_coupon(api, code)
            cpu = time.process_time()
            result: Run = await run(url, code)
            result.cpu = time.process_time() - cpu
            result.applied = await count_applied(api, code)
        return result
    finally:
        process.terminate()
        process.wait(timeout=10)


async def run_side(name: str, customers: int, latency_ms: float, concurrency: int, generic_items: int) -> Run:
    """One side of the comparison on its own fresh sandbox."""
    if name == "agent":
        with tempfile.TemporaryDirectory() as workdir:
            return await on_fresh_sandbox(
                customers, latency_ms, name, lambda url, code: run_agent(url, code, concurrency, Path(workdir))
            )
    if name == "direct":
        return await on_fresh_sandbox(customers, latency_ms, name, lambda url, code: run_direct(url, code, concurrency))
    items = min(generic_items, customers)
    return await on_fresh_sandbox(
        customers, latency_ms, name, lambda url, code: run_generic(url, code, concurrency, items)
    )


async def main(customers: int, latency_ms: float, concurrency: int, generic_items: int, only: str | None) -> None:
    if only is not None:
        run = await run_side(only, customers, latency_ms, concurrency, generic_items)
        print(f"{'run':<8} {'items':>6} {'wall s':>8} {'cpu s':>8} {'calls':>6} {'tokens':>8} {'applied':>8}")
        print(_row(run))
        print(f"{only}_wall_s={run.seconds:.2f} {only}_cpu_s={run.cpu:.2f} applied_{only}={run.applied}")
        return
    agent = await run_side("agent", customers, latency_ms, concurrency, generic_items)
    direct = await run_side("direct", customers, latency_ms, concurrency, generic_items)
    generic = await run_side("generic", customers, latency_ms, concurrency, generic_items)
    scale = customers / generic.items
    generic_tokens = generic.tokens * scale
    note = "" if scale == 1 else f"EXTRAPOLATED ×{scale:g} from {generic.items} items to {customers}"
    print(f"Apply a coupon to {customers:,} customers; sandbox latency {latency_ms:g} ms; concurrency {concurrency}.")
    print(f"{'run':<8} {'items':>6} {'wall s':>8} {'cpu s':>8} {'calls':>6} {'tokens':>8} {'applied':>8}")
    print(_row(agent))
    print(_row(direct))
    print(_row(generic, note))
    wall_ratio = agent.seconds / direct.seconds
    token_ratio = generic_tokens / max(agent.tokens, 1)
    print(
        f"(a)/(b) wall time: {wall_ratio:.2f} (target ≤ 1.10); (c)/(a) output tokens: {token_ratio:.0f}× (target ≥ 50×)"
    )
    if scale != 1:
        print(f"NOTE: (c) ran on {generic.items} customers; its tokens were scaled ×{scale:g} for the ratio.")
    print(
        f"wall_ratio_agent_vs_direct={wall_ratio:.2f} agent_model_calls={agent.model_calls} "
        f"token_ratio_generic_vs_agent={token_ratio:.0f} agent_wall_s={agent.seconds:.2f} "
        f"direct_wall_s={direct.seconds:.2f} generic_wall_s={generic.seconds:.2f} "
        f"generic_model_calls={generic.model_calls} "
        f"agent_cpu_s={agent.cpu:.2f} direct_cpu_s={direct.cpu:.2f} "
        f"agent_tokens={agent.tokens} generic_tokens={generic_tokens:.0f} generic_items={generic.items} "
        f"applied_agent={agent.applied} applied_direct={direct.applied} applied_generic={generic.applied}"
    )


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--generic-items", type=int, default=1000, help="customers for (c); fewer = extrapolated")
    parser.add_argument("--only", choices=("agent", "direct", "generic"), help="run one side alone (profiling)")
    return parser.parse_args()


if __name__ == "__main__":
    arguments = _parse()
    asyncio.run(
        main(arguments.customers, arguments.latency_ms, arguments.concurrency, arguments.generic_items, arguments.only)
    )
