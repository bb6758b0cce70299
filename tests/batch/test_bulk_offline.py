"""The product page's five bulk requests, end to end offline: offline planner → graph → real MCP → sandbox."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest
from langchain_core.messages import AIMessage

from billing_agent.sandbox import SandboxServer
from billing_agent.sandbox.invoicing import retry_payment_succeeds

from .helpers import Chat, coupon_holders, list_all, tools_on


def _model_calls(messages: list[object]) -> int:
    return sum(1 for m in messages if isinstance(m, AIMessage) and m.tool_calls)


async def test_apply_coupon_to_all_us_customers(sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient) -> None:
    customers = await list_all(sandbox_http, "/customers", "customers")
    us = {c["external_id"] for c in customers if c.get("country") == "US"}
    before = await coupon_holders(sandbox_http, "SUMMER20")
    assert us and not us & set(before)
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools)
        await chat.send("Apply coupon SUMMER20 to all US customers")
        request = await chat.pending()
        assert request is not None
        action = request["action_requests"][0]
        assert action["args"]["count"] == len(us) and len(action["args"]["sample"]) == 5
        assert "apply_coupon" in action["description"] and "Estimated duration" in action["description"]
        await chat.confirm()
        answer = await chat.answer()
        messages = (await chat.values())["messages"]
    after = await coupon_holders(sandbox_http, "SUMMER20")
    assert {c: n for c, n in after.items() if c in us} == dict.fromkeys(us, 1)
    assert {c: n for c, n in after.items() if c not in us} == before
    assert f"on {len(us)} customers: {len(us)} done" in answer
    assert _model_calls(messages) == 1
    assert chat.events[-1] == {
        "type": "batch_progress",
        "batch_id": chat.events[-1]["batch_id"],
        "done": len(us),
        "total": len(us),
        "failed": 0,
    }


async def test_previews_for_all_customers_with_active_subscriptions(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    active = await list_all(sandbox_http, "/subscriptions", "subscriptions", **{"status[]": "active"})
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools)
        await chat.send("Generate invoice previews for all customers with active subscriptions")
        assert await chat.pending() is None, "previews are read-only: no confirmation"
        answer = await chat.answer()
        values = await chat.values()
    outcomes = values["batch_outcomes"]["items"]
    assert len(outcomes) == len(active) > 0
    assert all(o["status"] == "ok" and "total_amount_cents" in o["summary"] for o in outcomes.values())
    assert f"on {len(active)} subscriptions: {len(active)} done" in answer
    assert "| " in answer  # the results table


async def test_retry_payments_of_all_overdue_invoices(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    overdue = await list_all(sandbox_http, "/invoices", "invoices", payment_overdue="true")
    assert overdue
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools)
        await chat.send("List all overdue invoices and retry payments")
        request = await chat.pending()
        assert request is not None and request["action_requests"][0]["args"]["action"] == "retry_invoice_payment"
        assert request["action_requests"][0]["args"]["count"] == len(overdue)
        await chat.confirm()
        values = await chat.values()
    outcomes = values["batch_outcomes"]["items"]
    assert len(outcomes) == len(overdue)
    assert all(o["status"] == "ok" for o in outcomes.values())
    for invoice in overdue:
        after = (await sandbox_http.get(f"/invoices/{invoice['lago_id']}")).json()["invoice"]
        expected = "succeeded" if retry_payment_succeeds(invoice["lago_id"]) else "failed"
        assert after["payment_status"] == expected


async def test_retry_all_failed_invoices_from_last_week(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    today = date.today()
    monday = today - timedelta(days=today.weekday() + 7)
    window = {"issuing_date_from": monday.isoformat(), "issuing_date_to": (monday + timedelta(days=6)).isoformat()}
    failed = await list_all(sandbox_http, "/invoices", "invoices", status="failed", **window)
    if not failed:
        pytest.fail("the small demo seed should hold failed invoices from last week")
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools)
        await chat.send("Retry all failed invoices from last week")
        request = await chat.pending()
        assert request is not None and request["action_requests"][0]["args"]["count"] == len(failed)
        await chat.confirm()
        answer = await chat.answer()
    for invoice in failed:
        response = await sandbox_http.get(f"/invoices/{invoice['lago_id']}")
        assert response.json()["invoice"]["status"] == "finalized"
    assert f"{len(failed)} done" in answer


async def test_retry_all_of_these_after_a_list(sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient) -> None:
    overdue = await list_all(sandbox_http, "/invoices", "invoices", payment_overdue="true")
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools)
        await chat.send("Show me draft invoices")
        await chat.send("Show me overdue invoices")
        await chat.send("Retry all of these")
        request = await chat.pending()
        assert request is not None
        assert request["action_requests"][0]["args"]["action"] == "retry_invoice_payment"
        assert request["action_requests"][0]["args"]["count"] == len(overdue)
        await chat.confirm()
        answer = await chat.answer()
    assert f"on {len(overdue)} invoices: {len(overdue)} done" in answer
    for invoice in overdue:
        after = (await sandbox_http.get(f"/invoices/{invoice['lago_id']}")).json()["invoice"]
        assert after["payment_status"] == ("succeeded" if retry_payment_succeeds(invoice["lago_id"]) else "failed")


async def test_declining_a_batch_changes_nothing(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    before = await coupon_holders(sandbox_http, "SUMMER20")
    async with tools_on(sandbox_server) as tools:
        chat = Chat(tools)
        await chat.send("Apply coupon SUMMER20 to all US customers")
        await chat.send(__import__("langgraph.types", fromlist=["Command"]).Command(resume="no"))
        answer = await chat.answer()
    assert "NOT run" in answer and "Nothing was changed" in answer
    assert await coupon_holders(sandbox_http, "SUMMER20") == before
