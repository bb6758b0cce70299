"""Fixtures for graph tests: the in-memory billing tools and a graph factory with a memory checkpointer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from langchain_core.messages import BaseMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.state import CompiledStateGraph

from billing_agent.graph import Context, Limits, build_graph

from .billing_tools import Billing
from .mistral_rules import assert_mistral_valid
from .scripted import Script, ScriptedChatModel

CONTEXT = Context(today=date(2026, 11, 29))
LIMITS = Limits(max_tool_rounds=4)


@pytest.fixture
def billing() -> Billing:
    """A fresh in-memory billing backend."""
    return Billing()


class Harness:
    """A compiled graph with a scripted model, one thread, and helpers to send and resume."""

    def __init__(self, graph: CompiledStateGraph[Any, Any, Any, Any], model: ScriptedChatModel) -> None:
        self.graph = graph
        self.model = model
        self.config: dict[str, Any] = {"configurable": {"thread_id": str(uuid.uuid4())}}

    async def send(self, text: str) -> dict[str, Any]:
        """Send one user message; returns the final state values."""
        return await self.graph.ainvoke({"messages": [HumanMessage(text)]}, self.config, context=CONTEXT)

    async def resume(self, answer: Any) -> dict[str, Any]:
        """Answer the pending confirmation."""
        from langgraph.types import Command

        return await self.graph.ainvoke(Command(resume=answer), self.config, context=CONTEXT)

    async def pending(self) -> dict[str, Any] | None:
        """The pending interrupt payload, if the thread waits for a confirmation."""
        snapshot = await self.graph.aget_state(self.config)
        return snapshot.interrupts[0].value if snapshot.interrupts else None

    async def messages(self) -> list[BaseMessage]:
        """The thread's messages."""
        snapshot = await self.graph.aget_state(self.config)
        return list(snapshot.values.get("messages", []))


@pytest.fixture
def harness(billing: Billing) -> Callable[..., Harness]:
    """Build a harness from a script; every prompt the model gets is checked against Mistral's rules."""

    def make(script: Script, *, tools: list[Any] | None = None) -> Harness:
        def checked(messages: list[BaseMessage]) -> Any:
            assert_mistral_valid(messages)
            return script(messages)

        model = ScriptedChatModel(script=checked)
        graph = build_graph(
            tools if tools is not None else billing.tools(), model, checkpointer=InMemorySaver(), limits=LIMITS
        )
        return Harness(graph, model)

    return make


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    """Check every replayed Mistral request against the wire rules; mark synthesized cassettes."""
    import os

    from .mistral_wire import SynthesizedPersister, mistral_rules_matcher

    vcr.register_matcher("mistral_rules", mistral_rules_matcher)
    if os.environ.get("BILLING_AGENT_SYNTHESIZE_CASSETTES") == "1":
        vcr.register_persister(SynthesizedPersister)
