"""The offline planner turns bulk requests into ONE `run_batch` call (with the real tool schemas bound)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from billing_agent.graph.batch.tool import make_batch_tool
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.sandbox import SandboxServer

from .helpers import tools_on

TODAY = date(2026, 11, 26)  # a Thursday: last week is 2026-11-16 … 2026-11-22
SYSTEM = SystemMessage(content="Today is 2026-11-26.")


async def _plan(sandbox: SandboxServer, messages: list[BaseMessage], *, with_batch: bool = True) -> AIMessage:
    async with tools_on(sandbox) as tools:
        bound = OfflinePlanner(today=TODAY).bind_tools([*tools, make_batch_tool()] if with_batch else tools)
        reply = await bound.ainvoke([SYSTEM, *messages])
    assert isinstance(reply, AIMessage)
    return reply


def _batch_args(reply: AIMessage) -> dict[str, Any]:
    assert [c["name"] for c in reply.tool_calls] == ["run_batch"], reply.content
    return dict(reply.tool_calls[0]["args"])


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        (
            "Apply coupon SUMMER20 to all US customers",
            {
                "action": "apply_coupon",
                "targets": {"selection": {"tool": "list_customers", "filters": {"countries": ["US"]}}},
                "args": {"coupon_code": "SUMMER20"},
            },
        ),
        (
            "Generate invoice previews for all customers with active subscriptions",
            {
                "action": "preview_invoice",
                "targets": {"selection": {"tool": "list_subscriptions", "filters": {"status": ["active"]}}},
                "fill": {"customer_external_id": "external_customer_id", "subscriptions.external_ids[]": "external_id"},
            },
        ),
        (
            "List all overdue invoices and retry payments",
            {
                "action": "retry_invoice_payment",
                "targets": {"selection": {"tool": "list_invoices", "filters": {"payment_overdue": True}}},
                "fill": {"lago_id": "lago_id"},
            },
        ),
        (
            "Retry all failed invoices from last week",
            {
                "action": "retry_invoice",
                "targets": {
                    "selection": {
                        "tool": "list_invoices",
                        "filters": {
                            "status": "failed",
                            "issuing_date_from": "2026-11-16",
                            "issuing_date_to": "2026-11-22",
                        },
                    }
                },
                "fill": {"lago_id": "lago_id"},
            },
        ),
        (
            "Apply coupon WELCOME10 to every customer in France",
            {
                "action": "apply_coupon",
                "targets": {"selection": {"tool": "list_customers", "filters": {"countries": ["FR"]}}},
                "args": {"coupon_code": "WELCOME10"},
            },
        ),
    ],
)
async def test_bulk_requests_become_one_batch_call(
    sandbox_server: SandboxServer, request_text: str, expected: dict[str, Any]
) -> None:
    assert _batch_args(await _plan(sandbox_server, [HumanMessage(request_text)])) == expected


async def test_retry_all_of_these_targets_the_latest_list(sandbox_server: SandboxServer) -> None:
    listed = AIMessage(
        content="",
        tool_calls=[
            {"name": "list_invoices", "args": {"payment_overdue": True}, "id": "call00001", "type": "tool_call"}
        ],
    )
    answer = ToolMessage(
        content="{}",
        artifact={"structured_content": {"invoices": [{"lago_id": "i1"}], "pagination": {"total_count": 1}}},
        tool_call_id="call00001",
        name="list_invoices",
    )
    history = [HumanMessage("Show me overdue invoices"), listed, answer, AIMessage("Found 1 overdue invoice.")]
    reply = await _plan(sandbox_server, [*history, HumanMessage("Retry all of these")])
    assert _batch_args(reply) == {
        "action": "retry_invoice_payment",
        "targets": {"previous": "these"},
        "fill": {"lago_id": "lago_id"},
    }


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("retry the failed ones", {"targets": {"previous": "failed"}}),
        ("Undo that", {"undo": True}),
        ("show me the failures", {"show": "failures"}),
    ],
)
async def test_follow_ups_after_a_batch(sandbox_server: SandboxServer, request_text: str, expected: Any) -> None:
    batch = AIMessage(
        content="",
        tool_calls=[{"name": "run_batch", "args": {"action": "apply_coupon"}, "id": "c1", "type": "tool_call"}],
    )
    report = ToolMessage(
        content="Batch `apply_coupon` on 3 customers: 2 done, 1 failed.", tool_call_id="c1", name="run_batch"
    )
    history = [HumanMessage("Apply coupon SUMMER20 to all US customers"), batch, report, AIMessage("report")]
    assert _batch_args(await _plan(sandbox_server, [*history, HumanMessage(request_text)])) == expected


async def test_without_the_batch_tool_or_for_unknown_bulk_requests_it_says_so(sandbox_server: SandboxServer) -> None:
    unbound = await _plan(sandbox_server, [HumanMessage("Apply coupon SUMMER20 to all US customers")], with_batch=False)
    assert not unbound.tool_calls and "not available in offline mode" in str(unbound.content)
    unknown = await _plan(sandbox_server, [HumanMessage("Delete all the plans")])
    assert not unknown.tool_calls and "can't run the bulk request" in str(unknown.content)
    assert "Apply coupon SUMMER20 to all US customers" in str(unknown.content)
