"""Against the tool schemas of our real MCP server: every request's calls exist and fit their schemas."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage
from langchain_core.utils.function_calling import convert_to_openai_tool

from billing_agent.tools.connect import InProcessServer, open_mcp_tools

from .helpers import SYSTEM, calls_of, step
from .test_requests import FIRST_CALLS

UNREACHABLE_LAGO = "http://127.0.0.1:9"  # loading tool schemas makes no Lago request


async def _real_schemas() -> list[dict[str, Any]]:
    async with open_mcp_tools(InProcessServer(api_url=UNREACHABLE_LAGO, api_key="schema-only")) as tools:
        return [convert_to_openai_tool(tool) for tool in tools]


async def test_every_request_fits_the_real_server_schemas() -> None:
    schemas = await _real_schemas()
    by_name = {s["function"]["name"]: s["function"]["parameters"] for s in schemas}

    for request_text, expected in FIRST_CALLS:
        reply = step(schemas, [SYSTEM, HumanMessage(content=request_text)])
        assert reply.tool_calls, f"{request_text!r} → {reply.content!r}"
        for name, args in calls_of(reply):
            parameters = by_name[name]
            assert set(args) <= set(parameters.get("properties", {})), (request_text, name, args)
            assert set(parameters.get("required", [])) <= set(args), (request_text, name, args)
        assert [name for name, _ in calls_of(reply)] == [name for name, _ in expected], request_text


async def test_flow_tools_exist_on_the_real_server() -> None:
    names = {s["function"]["name"] for s in await _real_schemas()}
    used = {
        "list_customers", "get_customer", "create_customer", "update_customer", "delete_customer",
        "get_customer_current_usage", "list_subscriptions", "list_customer_subscriptions", "delete_subscription",
        "apply_coupon", "list_applied_coupons", "remove_applied_coupon", "list_coupons", "get_coupon",
        "list_invoices", "get_invoice", "find_invoice_by_number", "download_invoice", "void_invoice",
        "finalize_invoice", "refresh_invoice", "retry_invoice", "retry_invoice_payment", "list_payments",
        "list_customer_payments", "get_payment", "list_plans", "get_plan", "list_activity_logs", "get_activity_log",
        "list_api_logs", "get_api_log", "list_wallets", "get_wallet", "list_events", "get_event",
        "list_credit_notes", "get_credit_note", "list_billable_metrics", "get_billable_metric", "preview_invoice",
    }  # fmt: skip

    assert used <= names, used - names
