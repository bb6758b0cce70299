"""`create_agent`: the embedding API yields a normal LangGraph graph over one MCP session."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

import billing_agent.agent
from billing_agent import create_agent
from billing_agent.graph import build_graph
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer
from billing_agent.settings import Settings
from billing_agent.tools.connect import InProcessServer

from .conftest import CONTEXT
from .scripted import ScriptedChatModel, call, calls, sequence


async def test_create_agent_embeds_with_a_given_model_server_and_checkpointer(sandbox_server: SandboxServer) -> None:
    model = ScriptedChatModel(
        script=sequence(
            calls(call("apply_coupon", external_customer_id="acme_corp", coupon_code="SUMMER20")), AIMessage("Applied.")
        )
    )
    server = InProcessServer(api_url=sandbox_server.api_url, api_key=DEMO_API_KEY)
    config = {"configurable": {"thread_id": "embed-1"}}
    async with create_agent(Settings(), model=model, checkpointer=InMemorySaver(), mcp=server) as graph:
        assert "apply_coupon" in model.bound_tools and len(model.bound_tools) >= 53
        updates = [
            u
            async for u in graph.astream(
                {"messages": [HumanMessage("Apply SUMMER20 to Acme")]}, config, context=CONTEXT
            )
        ]
        assert "__interrupt__" in updates[-1]
        request = (await graph.aget_state(config)).interrupts[0].value
        assert (
            "Coupon" in request["action_requests"][0]["description"]
            and "Acme Corp" in request["action_requests"][0]["description"]
        )
        state = await graph.ainvoke(Command(resume="CONFIRM"), config, context=CONTEXT)
    assert "Applied." in state["messages"][-1].content
    assert "SUMMER20" in state["messages"][-1].content


async def test_create_agent_defaults_to_the_embedded_sandbox_and_offline_planner() -> None:
    settings = Settings()
    async with create_agent(settings) as graph:
        state = await graph.ainvoke(
            {"messages": [HumanMessage("What plans are available?")]},
            {"configurable": {"thread_id": "t"}},
            context=CONTEXT,
        )
    assert "[Enterprise](" in state["messages"][-1].content
    assert settings.sandbox_db_path.is_file() and (settings.home / "conversations.sqlite3").is_file()


async def test_create_agent_takes_the_batch_limits_from_its_settings(
    sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(BILLING_AGENT_BATCH_CONCURRENCY=3, BILLING_AGENT_BATCH_RATE=7.5)
    server = InProcessServer(api_url=sandbox_server.api_url, api_key=DEMO_API_KEY)
    limits: list[Any] = []

    def build_recording(*args: Any, **kwargs: Any) -> Any:
        limits.append(kwargs.get("batch"))
        return build_graph(*args, **kwargs)

    monkeypatch.setattr(billing_agent.agent, "build_graph", build_recording)
    async with create_agent(settings, model="offline", checkpointer=InMemorySaver(), mcp=server):
        pass
    assert [(limit.concurrency, limit.rate) for limit in limits] == [(3, 7.5)]
