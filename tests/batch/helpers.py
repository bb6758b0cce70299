"""A chat thread of the real graph for batch tests: offline planner or scripted model, real MCP, real sandbox."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import BaseTool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.base import BaseStore
from langgraph.types import Checkpointer, Command

from billing_agent.graph import Context, build_graph
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer
from billing_agent.tools.connect import InProcessServer, open_mcp_tools

FAST = BatchConfig(max_items=1000, concurrency=8, rate=2000.0)


class Chat:
    """One conversation thread; records the custom progress events of every turn."""

    def __init__(
        self,
        tools: list[BaseTool],
        model: BaseChatModel | None = None,
        *,
        batch: BatchConfig = FAST,
        checkpointer: Checkpointer = None,
        context: Context | None = None,
        store: BaseStore | None = None,
    ) -> None:
        self.model = model or OfflinePlanner()
        saver = checkpointer or InMemorySaver()
        self.graph = build_graph(tools, self.model, checkpointer=saver, store=store, batch=batch)
        self.config: dict[str, Any] = {"configurable": {"thread_id": str(uuid.uuid4())}}
        self.context = context or Context()
        self.events: list[dict[str, Any]] = []

    async def send(self, text: str | Command[Any] | None) -> None:
        """Send a message, a resume command, or None (continue an interrupted run)."""
        payload: Any = text if text is None or isinstance(text, Command) else {"messages": [HumanMessage(text)]}
        async for mode, chunk in self.graph.astream(
            payload, self.config, context=self.context, stream_mode=["custom", "updates"]
        ):
            if mode == "custom":
                self.events.append(chunk)

    async def confirm(self) -> None:
        """Approve the pending confirmation with CONFIRM."""
        assert await self.pending() is not None, "no confirmation pending"
        await self.send(Command(resume="CONFIRM"))

    async def pending(self) -> dict[str, Any] | None:
        """The pending interrupt payload."""
        snapshot = await self.graph.aget_state(self.config)
        return snapshot.interrupts[0].value if snapshot.interrupts else None

    async def values(self) -> dict[str, Any]:
        """The thread's state values."""
        return dict((await self.graph.aget_state(self.config)).values)

    async def answer(self) -> str:
        """The last assistant answer."""
        last = (await self.values())["messages"][-1]
        assert isinstance(last, AIMessage) and not last.tool_calls, last
        return str(last.content)


@asynccontextmanager
async def tools_on(sandbox: SandboxServer) -> AsyncIterator[list[BaseTool]]:
    """The MCP tools of one in-process session to the sandbox over HTTP."""
    async with open_mcp_tools(InProcessServer(api_url=sandbox.url, api_key=DEMO_API_KEY)) as tools:
        yield tools


async def list_all(http: httpx.AsyncClient, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
    """Every record of a sandbox list endpoint, all pages."""
    records: list[dict[str, Any]] = []
    page: int | None = 1
    while page:
        response = await http.get(path, params={**params, "page": page, "per_page": 100})
        response.raise_for_status()
        body = response.json()
        records += body[key]
        page = body["meta"].get("next_page")
    return records


async def coupon_holders(http: httpx.AsyncClient, code: str) -> dict[str, int]:
    """external_customer_id → how many active applications of coupon `code` the customer has."""
    counts: dict[str, int] = {}
    for applied in await list_all(http, "/applied_coupons", "applied_coupons", **{"coupon_code[]": code}):
        if applied["status"] == "active":
            counts[applied["external_customer_id"]] = counts.get(applied["external_customer_id"], 0) + 1
    return counts
