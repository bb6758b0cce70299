"""A crash between an approved call's Lago write and its checkpoint: the resumed run must not repeat the write.

The crash is reproduced exactly where it hurts: the run is stopped right after the confirmation was saved
(`interrupt_before=["executor"]`, the checkpoint a kill -9 during the executor leaves), the approved call is
sent to Lago as the executor would send it, and the thread is continued with `ainvoke(None)` as the CLI does.
Real MCP tools over HTTP against the sandbox; only the chat model is scripted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolCall, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from billing_agent.graph import Context, build_graph
from billing_agent.graph.idempotency import stamped
from billing_agent.graph.toolcall import run_tool
from billing_agent.sandbox import SandboxServer
from tests.batch.helpers import tools_on
from tests.graph.scripted import ScriptedChatModel, call
from tests.mcp_server.facts import Facts, gather_facts

Count = Callable[[httpx.AsyncClient, Facts], Any]


async def _wallet_transactions(http: httpx.AsyncClient, f: Facts) -> int:
    body = (await http.get(f"/wallets/{f.wallet_id}/wallet_transactions", params={"per_page": 100})).json()
    return len(body["wallet_transactions"])


async def _payments(http: httpx.AsyncClient, f: Facts) -> int:
    body = (await http.get("/payments", params={"invoice_id": f.unpaid_invoice, "per_page": 100})).json()
    return len(body["payments"])


async def _credit_notes(http: httpx.AsyncClient, f: Facts) -> int:
    body = (await http.get("/credit_notes", params={"per_page": 100})).json()
    return sum(1 for note in body["credit_notes"] if note["lago_invoice_id"] == f.unpaid_invoice)


async def _invoices(http: httpx.AsyncClient, f: Facts) -> int:
    body = (await http.get("/invoices", params={"external_customer_id": f.customer, "per_page": 100})).json()
    return int(body["meta"]["total_count"])


CASES: dict[str, tuple[Callable[[Facts], dict[str, Any]], Count, str]] = {
    "top_up_wallet": (lambda f: {"wallet_id": f.wallet_id, "granted_credits": "5"}, _wallet_transactions, "already"),
    "create_payment": (
        lambda f: {"invoice_id": f.unpaid_invoice, "amount_cents": 100, "reference": "wire-crash"},
        _payments,
        "already",
    ),
    "create_credit_note": (
        lambda f: {
            "invoice_id": f.unpaid_invoice,
            "reason": "other",
            "credit_amount_cents": 100,
            "refund_amount_cents": 0,
            "items": [{"fee_id": f.unpaid_invoice_fee, "amount_cents": 100}],
        },
        _credit_notes,
        "already",
    ),
    "create_invoice": (
        lambda f: {
            "external_customer_id": f.customer,
            "currency": f.customer_currency,
            "fees": [{"add_on_code": "setup_fee", "units": 1}],
        },
        _invoices,
        "unknown",
    ),
}


def _one_call(tool_call: ToolCall) -> ScriptedChatModel:
    def script(messages: list[BaseMessage]) -> AIMessage:
        if isinstance(messages[-1], HumanMessage):
            return AIMessage(content="", tool_calls=[tool_call])
        return AIMessage(content="Done.")

    return ScriptedChatModel(script=script)


async def _crash_after_confirm(
    name: str, sandbox_server: SandboxServer, http: httpx.AsyncClient, *, reached_lago: bool
) -> tuple[int, int, str]:
    facts = await gather_facts(sandbox_server.api_url)
    make_args, count, _ = CASES[name]
    tool_call = call(name, **make_args(facts))
    before = await count(http, facts)
    config: Any = {"configurable": {"thread_id": f"crash-{name}-{reached_lago}"}}
    async with tools_on(sandbox_server) as tools:
        graph = build_graph(tools, _one_call(tool_call), checkpointer=InMemorySaver())
        await graph.ainvoke({"messages": [HumanMessage(f"please {name}")]}, config, context=Context())
        await graph.ainvoke(Command(resume="CONFIRM"), config, context=Context(), interrupt_before=["executor"])
        assert (await graph.aget_state(config)).next == ("executor",)
        if reached_lago:  # the write landed, then the process died before the executor's checkpoint
            assert (await run_tool({t.name: t for t in tools}, stamped(tool_call))).ok
        await graph.ainvoke(None, config, context=Context())
        messages = (await graph.aget_state(config)).values["messages"]
    reply = next(m for m in messages if isinstance(m, ToolMessage) and m.tool_call_id == tool_call["id"])
    return before, await count(http, facts), str(reply.content)


@pytest.mark.parametrize("name", list(CASES))
async def test_a_write_that_reached_lago_before_the_crash_is_not_repeated_on_resume(
    name: str, sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    before, after, reply = await _crash_after_confirm(name, sandbox_server, sandbox_http, reached_lago=True)
    assert after == before + 1, f"{name} ran {after - before} times"
    if CASES[name][2] == "already":
        assert "already reached Lago" in reply
    else:
        assert "outcome is unknown" in reply and "NOT run again" in reply


@pytest.mark.parametrize("name", ["top_up_wallet", "create_payment", "create_credit_note"])
async def test_a_write_that_had_not_reached_lago_runs_once_on_resume(
    name: str, sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    before, after, reply = await _crash_after_confirm(name, sandbox_server, sandbox_http, reached_lago=False)
    assert after == before + 1, reply
    assert "already reached Lago" not in reply
