"""The graph drives ChatMistralAI over the real wire format, replayed from cassettes (no network).

Modes: replay (default; cassettes in tests/cassettes/), synthesize (BILLING_AGENT_SYNTHESIZE_CASSETTES=1 and
--record-mode=all: a scripted fake Mistral API answers), record for real (BILLING_AGENT_RECORD_MISTRAL_KEY=<key>
and --record-mode=rewrite, see `make record-cassettes`). Every replayed request body is checked against Mistral's
message rules by the `mistral_rules` matcher.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_mistralai import ChatMistralAI
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from billing_agent.graph import Context, build_graph

from .billing_tools import Billing
from .mistral_wire import CASSETTE_DIR, ENDPOINT, fake_mistral, text_reply, tool_call_reply

CONTEXT = Context(today=date(2026, 11, 29))
SYNTHESIZE = os.environ.get("BILLING_AGENT_SYNTHESIZE_CASSETTES") == "1"
REAL_KEY = os.environ.get("BILLING_AGENT_RECORD_MISTRAL_KEY")

SCRIPTS: dict[str, list[dict[str, Any]]] = {
    "tool_call": [
        tool_call_reply("Lq4ZBv2xN", "list_invoices", {"payment_status": "pending"}),
        text_reply("There is one invoice waiting for payment."),
    ],
    "confirm": [
        tool_call_reply("T7mkP0qWe", "delete_subscription", {"external_id": "sub_acme_corp"}),
        text_reply("The subscription sub_acme_corp is terminated."),
    ],
    "reject": [
        tool_call_reply("R2dcX8uYa", "delete_subscription", {"external_id": "sub_acme_corp"}),
        text_reply("Understood, I did not terminate the subscription."),
    ],
}


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTE_DIR)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization"],
        "match_on": ["method", "scheme", "host", "port", "path", "mistral_rules"],
        "decode_compressed_response": True,
    }


def _model(scenario: str) -> ChatMistralAI:
    if REAL_KEY:
        return ChatMistralAI(model="mistral-large-latest", api_key=REAL_KEY, endpoint=ENDPOINT, max_retries=0)
    model = ChatMistralAI(model="mistral-large-latest", api_key="replayed", endpoint=ENDPOINT, max_retries=0)
    if SYNTHESIZE:
        model.async_client = httpx.AsyncClient(
            base_url=ENDPOINT, transport=httpx.MockTransport(fake_mistral(SCRIPTS[scenario]))
        )
    return model


def _agent(scenario: str, billing: Billing) -> tuple[Any, dict[str, Any]]:
    graph = build_graph(billing.tools(), _model(scenario), checkpointer=InMemorySaver())
    return graph, {"configurable": {"thread_id": uuid.uuid4().hex}}


async def _ask(graph: Any, config: dict[str, Any], text: str | Command[Any]) -> dict[str, Any]:
    payload = text if isinstance(text, Command) else {"messages": [HumanMessage(text)]}
    result: dict[str, Any] = await graph.ainvoke(payload, config, context=CONTEXT)
    return result


@pytest.mark.vcr
async def test_tool_call_turn(billing: Billing) -> None:
    graph, config = _agent("tool_call", billing)
    state = await _ask(graph, config, "Which invoices are still waiting for payment? Use the payment status filter.")
    assert ("list_invoices", {"payment_status": "pending"}) in billing.calls
    answer = state["messages"][-1].content
    assert "[INV-001](https://app.getlago.com/customer/c-1/invoice/inv-1/overview)" in answer
    assert "$1,200.00" in answer


async def _terminate(billing: Billing, scenario: str, reply: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    graph, config = _agent(scenario, billing)
    await _ask(graph, config, "Terminate subscription sub_acme_corp now.")
    snapshot = await graph.aget_state(config)
    (pending,) = snapshot.interrupts
    request = pending.value
    assert request["action_requests"][0]["name"] == "delete_subscription"
    assert billing.data["subscriptions"]["sub_acme_corp"]["status"] == "active"
    state = await _ask(graph, config, Command(resume=reply))
    return request, state


@pytest.mark.vcr
async def test_confirm_then_resume_turn(billing: Billing) -> None:
    request, state = await _terminate(billing, "confirm", "CONFIRM")
    assert "Acme Corp is active on plan Enterprise ($2,500/month)" in request["action_requests"][0]["description"]
    assert billing.data["subscriptions"]["sub_acme_corp"]["status"] == "terminated"
    assert state["messages"][-1].content


@pytest.mark.vcr
async def test_reject_turn(billing: Billing) -> None:
    _, state = await _terminate(billing, "reject", "no, keep it")
    assert billing.data["subscriptions"]["sub_acme_corp"]["status"] == "active"
    declined = [m for m in state["messages"] if isinstance(m, ToolMessage) and m.status == "error"]
    assert declined and "declined" in declined[0].content
    assert "delete_subscription" not in [name for name, _ in billing.calls]


def test_synthesized_cassettes_say_so() -> None:
    for name in ("test_tool_call_turn", "test_confirm_then_resume_turn", "test_reject_turn"):
        text = (CASSETTE_DIR / f"{name}.yaml").read_text()
        assert text.startswith("# SYNTHESIZED") or "api.mistral.ai" in text
        assert "Bearer" not in text, "no credentials in cassettes"
