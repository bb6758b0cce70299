"""The offline planner in the real graph: real MCP session (in-process) → sandbox over HTTP, checked both ways."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.tools import BaseTool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from billing_agent.graph import Context, build_graph
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer
from billing_agent.tools.connect import InProcessServer, open_mcp_tools

pytestmark = pytest.mark.slow


class Chat:
    """One conversation thread of the real graph driven by the offline planner."""

    def __init__(self, tools: list[BaseTool]) -> None:
        self.graph = build_graph(tools, OfflinePlanner(), checkpointer=InMemorySaver())
        self.config: dict[str, Any] = {"configurable": {"thread_id": str(uuid.uuid4())}}

    async def send(self, text: str | Command[Any]) -> dict[str, Any]:
        payload: Any = text if isinstance(text, Command) else {"messages": [HumanMessage(text)]}
        return await self.graph.ainvoke(payload, self.config, context=Context())

    async def pending(self) -> dict[str, Any] | None:
        snapshot = await self.graph.aget_state(self.config)
        return snapshot.interrupts[0].value if snapshot.interrupts else None


@asynccontextmanager
async def chat_on(sandbox: SandboxServer) -> AsyncIterator[Chat]:
    """A chat over one in-process MCP session to the sandbox (opened and closed in the test's own task)."""
    async with open_mcp_tools(InProcessServer(api_url=sandbox.url, api_key=DEMO_API_KEY)) as tools:
        yield Chat(tools)


def _answer(state: dict[str, Any]) -> str:
    last = state["messages"][-1]
    assert isinstance(last, AIMessage) and not last.tool_calls
    return str(last.content)


def _calls(messages: list[BaseMessage]) -> list[str]:
    return [call["name"] for m in messages if isinstance(m, AIMessage) for call in m.tool_calls]


async def _total(http: httpx.AsyncClient, path: str, **params: Any) -> int:
    response = await http.get(path, params=params)
    response.raise_for_status()
    return int(response.json()["meta"]["total_count"])


def _found(total: int, noun: str, qualifier: str) -> str:
    if total == 0:
        return f"No {noun}s {qualifier}."
    return f"Found {total:,} {noun if total == 1 else noun + 's'} {qualifier}."


async def test_read_only_examples_answer_from_the_sandbox(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    today = date.today()
    thirty_days_ago = (today - timedelta(days=30)).isoformat()
    last_monday = today - timedelta(days=today.weekday() + 7)
    last_sunday = last_monday + timedelta(days=6)
    overdue_total = await _total(
        sandbox_http,
        "/invoices",
        payment_overdue="true",
        issuing_date_from=thirty_days_ago,
        issuing_date_to=today.isoformat(),
    )
    week_total = await _total(
        sandbox_http, "/invoices", issuing_date_from=last_monday.isoformat(), issuing_date_to=last_sunday.isoformat()
    )
    plans_total = await _total(sandbox_http, "/plans")
    payments_total = await _total(sandbox_http, "/payments", external_customer_id="acme_corp")

    async with chat_on(sandbox_server) as chat:
        overdue = _answer(await chat.send("Show me overdue invoices for the last 30 days"))
        plans = _answer(await chat.send("What plans are available?"))
        payments = _answer(await chat.send("Show me payment history for customer ID acme_corp"))
        logs = _answer(await chat.send("List the latest activity logs"))
        usage = _answer(await chat.send("What is the current usage for customer Acme Corp?"))
        count = _answer(await chat.send("What are the number of invoices generated last week?"))
        subs = _answer(await chat.send("Show me all subscriptions created this month"))
        preview = _answer(await chat.send("Preview the next invoice for customer Acme Corp"))
        pending = await chat.pending()

    assert overdue.startswith(
        _found(overdue_total, "overdue invoice", f"issued from {thirty_days_ago} to {today.isoformat()}")
    )
    assert plans.startswith(_found(plans_total, "plan", "").replace(" .", "."))
    assert payments.startswith(_found(payments_total, "payment", "for acme_corp"))
    assert "activity log" in logs
    assert usage.startswith("Current usage of Acme Corp (acme_corp) for 1 subscription.")
    assert count.startswith(f"{week_total:,} invoice")
    assert f"issued from {last_monday.isoformat()} to {last_sunday.isoformat()}." in count
    assert f"created from {today.replace(day=1).isoformat()} to {today.isoformat()}" in subs
    assert preview.startswith("Preview of the next invoice of Acme Corp (acme_corp) (nothing was saved).")
    assert pending is None


async def test_invoices_over_an_amount_match_the_sandbox(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    first_of_month = date.today().replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    start, end = last_month_end.replace(day=1).isoformat(), last_month_end.isoformat()
    total = await _total(sandbox_http, "/invoices", amount_from=100000, issuing_date_from=start, issuing_date_to=end)

    async with chat_on(sandbox_server) as chat:
        state = await chat.send("Show invoices over $1,000 from last month")

    qualifier = f"of at least 1,000.00 in total issued from {start} to {end}"
    assert _answer(state).startswith(_found(total, "invoice", qualifier))


async def test_followups_fetch_the_first_record_and_the_next_page(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    logs_total = await _total(sandbox_http, "/activity_logs", per_page=20)
    async with chat_on(sandbox_server) as chat:
        await chat.send("What plans are available?")
        detail = await chat.send("Tell me more about the first one")
        await chat.send("List the latest activity logs")
        page_two = await chat.send("next page")

    assert _calls(detail["messages"])[-1] == "get_plan"
    assert _answer(detail).startswith("Here are the details of plan")
    last_call = [m for m in page_two["messages"] if isinstance(m, AIMessage) and m.tool_calls][-1].tool_calls[0]
    assert (last_call["name"], last_call["args"]) == ("list_activity_logs", {"page": 2})
    assert _answer(page_two).startswith(f"Page 2: {min(20, logs_total - 20)} more records of ")


async def test_apply_coupon_waits_for_confirm_then_applies(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    async with chat_on(sandbox_server) as chat:
        await chat.send("Apply coupon SUMMER20 to customer Acme Corp")
        pending = await chat.pending()
        assert pending is not None
        assert [a["name"] for a in pending["action_requests"]] == ["apply_coupon"]
        assert pending["action_requests"][0]["args"] == {"external_customer_id": "acme_corp", "coupon_code": "SUMMER20"}
        before = await sandbox_http.get("/applied_coupons", params={"external_customer_id": "acme_corp"})

        state = await chat.send(Command(resume="CONFIRM"))

        after = await sandbox_http.get("/applied_coupons", params={"external_customer_id": "acme_corp"})
        codes = [c["coupon_code"] for c in after.json()["applied_coupons"]]
        assert "SUMMER20" in codes
        assert len(after.json()["applied_coupons"]) == len(before.json()["applied_coupons"]) + 1
        assert "Applied coupon SUMMER20 to Acme Corp (acme_corp)." in _answer(state)


async def test_rejected_termination_leaves_the_subscription_active(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    async with chat_on(sandbox_server) as chat:
        await chat.send("Terminate subscription for Acme Corp")
        pending = await chat.pending()
        assert pending is not None
        request = pending["action_requests"][0]
        assert request["name"] == "delete_subscription"
        external_id = request["args"]["external_id"]

        state = await chat.send(Command(resume="no"))

        subscription = (await sandbox_http.get(f"/subscriptions/{external_id}")).json()["subscription"]
        assert subscription["status"] == "active"
        assert "declined" in _answer(state)


async def test_create_customer_and_update_billing_email(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    async with chat_on(sandbox_server) as chat:
        await chat.send("Create a new customer with email gavin@hooli.com")
        await chat.send(Command(resume="CONFIRM"))
        ask = _answer(await chat.send("Update the billing email for customer gavin_hooli_com"))
        await chat.send("Update the billing email for customer gavin_hooli_com to gavin.b@hooli.com")
        state = await chat.send(Command(resume="CONFIRM"))

        customer = (await sandbox_http.get("/customers/gavin_hooli_com")).json()["customer"]
        assert "What should the new billing email" in ask
        assert customer["email"] == "gavin.b@hooli.com"
        assert "Updated the billing email of" in _answer(state)


async def test_download_invoice_by_number(sandbox_server: SandboxServer) -> None:
    async with chat_on(sandbox_server) as chat:
        state = await chat.send("Download invoice INV-001")

        assert _calls(state["messages"])[-2:] == ["find_invoice_by_number", "download_invoice"]
        answer = _answer(state)
        assert "INV-001" in answer
