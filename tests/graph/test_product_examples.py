"""The product page's non-bulk example requests, end to end offline: offline planner → graph → in-process MCP
session → our MCP server → sandbox over HTTP. Answers are checked against the sandbox read independently."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from billing_agent.graph import Context, build_graph
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer
from billing_agent.tools.connect import InProcessServer, open_mcp_tools

FRONT = "https://app.getlago.com"


class Conversation:
    """One thread of the offline agent."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.config = {"configurable": {"thread_id": uuid.uuid4().hex}}

    async def say(self, text: str) -> str:
        """Send a message (or answer a pending confirmation); the answer, or the confirmation request text."""
        snapshot = await self.graph.aget_state(self.config)
        payload: Any = Command(resume=text) if snapshot.interrupts else {"messages": [HumanMessage(text)]}
        await self.graph.ainvoke(payload, self.config, context=Context())
        snapshot = await self.graph.aget_state(self.config)
        if snapshot.interrupts:
            return " ".join(a["description"] for a in snapshot.interrupts[0].value["action_requests"])
        return str(snapshot.values["messages"][-1].content)


@asynccontextmanager
async def offline_agent(server: SandboxServer) -> AsyncIterator[Conversation]:
    async with open_mcp_tools(InProcessServer(api_url=server.api_url, api_key=DEMO_API_KEY)) as tools:
        yield Conversation(build_graph(tools, OfflinePlanner(), checkpointer=InMemorySaver()))


def listed_total(answer: str) -> int:
    """How many records the answer's first table covers ("Showing k of N", else its rows)."""
    shown = re.search(r"_Showing \d+ of (\d+)\.", answer)
    if shown:
        return int(shown.group(1))
    return sum(1 for line in answer.splitlines() if line.startswith("| ["))


async def total(http: httpx.AsyncClient, path: str, **params: Any) -> int:
    response = await http.get(path, params={**params, "per_page": 1})
    response.raise_for_status()
    return int(response.json()["meta"]["total_count"])


async def test_overdue_invoices_for_the_last_30_days(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    today = date.today()
    expected = await total(
        sandbox_http,
        "/invoices",
        payment_overdue="true",
        issuing_date_from=str(today - timedelta(days=30)),
        issuing_date_to=str(today),
    )
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("Show me overdue invoices for the last 30 days")
    assert expected > 0 and listed_total(answer) == expected
    assert f"]({FRONT}/customer/" in answer and "/invoice/" in answer


async def test_latest_activity_logs(sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient) -> None:
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("List the latest activity logs")
    assert "| Logged at | Activity type |" in answer
    assert listed_total(answer) == await total(sandbox_http, "/activity_logs")


async def test_current_usage_for_acme_corp(sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient) -> None:
    usage = (
        await sandbox_http.get(
            "/customers/acme_corp/current_usage", params={"external_subscription_id": "sub_acme_corp"}
        )
    ).json()["customer_usage"]
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("What is the current usage for customer Acme Corp?")
    dollars = f"${usage['total_amount_cents'] / 100:,.2f}"
    assert "Acme Corp" in answer and dollars in answer


async def test_subscriptions_created_this_month(sandbox_server: SandboxServer) -> None:
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("Show me all subscriptions created this month")
    assert "| External id |" in answer and f"]({FRONT}/customer/" in answer


async def test_number_of_invoices_generated_last_week(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    today = date.today()
    monday = today - timedelta(days=today.weekday() + 7)
    expected = await total(
        sandbox_http, "/invoices", issuing_date_from=str(monday), issuing_date_to=str(monday + timedelta(days=6))
    )
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("What are the number of invoices generated last week?")
    assert str(expected) in answer.split("\n")[0]


async def test_create_customer_with_email_after_confirm(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    async with offline_agent(sandbox_server) as chat:
        request = await chat.say("Create a new customer with email gavin@hooli.com")
        assert "create_customer" in request and "Type CONFIRM to proceed." in request
        assert (await sandbox_http.get("/customers", params={"search_term": "gavin@hooli.com"})).json()[
            "customers"
        ] == []
        answer = await chat.say("CONFIRM")
    (created,) = (await sandbox_http.get("/customers", params={"search_term": "gavin@hooli.com"})).json()["customers"]
    assert created["email"] == "gavin@hooli.com"
    assert f"({FRONT}/customer/{created['lago_id']})" in answer


@pytest.mark.parametrize("approve", [True, False])
async def test_apply_coupon_to_acme_corp(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient, approve: bool
) -> None:
    async with offline_agent(sandbox_server) as chat:
        request = await chat.say("Apply coupon SUMMER20 to customer Acme Corp")
        assert "SUMMER20" in request and "Acme Corp" in request
        await chat.say("CONFIRM" if approve else "cancel")
    applied = (await sandbox_http.get("/applied_coupons", params={"external_customer_id": "acme_corp"})).json()
    codes = [a["coupon_code"] for a in applied["applied_coupons"]]
    assert ("SUMMER20" in codes) is approve


async def test_update_billing_email(sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient) -> None:
    async with offline_agent(sandbox_server) as chat:
        request = await chat.say("Update the billing email for customer acme_corp to ap@acme.example")
        assert "billing email billing@acme.example" in request
        answer = await chat.say("CONFIRM")
    assert (await sandbox_http.get("/customers/acme_corp")).json()["customer"]["email"] == "ap@acme.example"
    assert "ap@acme.example" in answer


async def test_download_invoice(sandbox_server: SandboxServer) -> None:
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("Download invoice INV-001")
    assert "INV-001" in answer and "| PDF | [Download](http" in answer


async def test_plans_available(sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient) -> None:
    plans = (await sandbox_http.get("/plans")).json()["plans"]
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("What plans are available?")
    for plan in plans:
        assert f"[{plan['name']}]({FRONT}/plan/{plan['lago_id']}" in answer


async def test_payment_history_for_customer_id(sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient) -> None:
    expected = await total(sandbox_http, "/payments", external_customer_id="acme_corp")
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("Show me payment history for customer ID acme_corp")
    assert listed_total(answer) == expected


@pytest.mark.parametrize("approve", [True, False])
async def test_terminate_subscription_for_acme_corp(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient, approve: bool
) -> None:
    async with offline_agent(sandbox_server) as chat:
        request = await chat.say("Terminate subscription for Acme Corp")
        assert request.startswith(
            "Subscription `sub_acme_corp` for Acme Corp is active on plan Enterprise ($2,500/month)."
        )
        await chat.say("CONFIRM" if approve else "CONFIRM?")
    subs = await sandbox_http.get(
        "/subscriptions", params={"external_customer_id": "acme_corp", "status[]": ["active", "terminated"]}
    )
    (sub,) = [s for s in subs.json()["subscriptions"] if s["external_id"] == "sub_acme_corp"]
    assert sub["status"] == ("terminated" if approve else "active")


async def test_invoices_over_1000_last_month_then_the_first_one(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    first_of_month = date.today().replace(day=1)
    last_month_start = (first_of_month - timedelta(days=1)).replace(day=1)
    params = {"issuing_date_from": str(last_month_start), "issuing_date_to": str(first_of_month - timedelta(days=1))}
    async with offline_agent(sandbox_server) as chat:
        answer = await chat.say("Show invoices over $1,000 from last month")
        first = re.search(r"\| \[(INV-\d+)\]\(", answer)
        assert first, answer
        invoices = (
            await sandbox_http.get("/invoices", params={**params, "amount_from": 100_000, "per_page": 100})
        ).json()
        assert first.group(1) in [i["number"] for i in invoices["invoices"]]
        more = await chat.say("Tell me more about the first one")
    assert f"| Number | {first.group(1)} |" in more
