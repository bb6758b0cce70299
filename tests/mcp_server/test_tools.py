"""Every tool, one success and one error path, through a real MCP session (langchain-mcp-adapters, in-process).

Read-only tools share one sandbox per module; tools that change data each get a fresh sandbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from billing_agent.mcp_server import TOOL_HINTS, LagoMcpServer
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

from .conftest import FRONT_URL, call, langchain_tools, make_server, structured, text_of
from .facts import Facts, gather_facts

UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"
Args = Callable[[Facts], dict[str, Any]]


@dataclass
class Case:
    """A tool call, what its structured result is keyed by (success) or what its error says (failure)."""

    args: Args
    expect: str
    setup: list[tuple[str, Args]] = field(default_factory=list)


def _add_on_fee(f: Facts) -> dict[str, Any]:
    return {
        "external_customer_id": f.customer,
        "currency": f.customer_currency,
        "fees": [{"add_on_code": "setup_fee", "units": 1}],
    }


SPRING_COUPON = {
    "name": "Spring 10%",
    "code": "SPRING10",
    "coupon_type": "percentage",
    "percentage_rate": "10",
    "frequency": "once",
    "expiration": "no_expiration",
}

SUCCESS: dict[str, Case] = {
    # invoices
    "get_invoice": Case(lambda f: {"invoice_id": f.paid_invoice}, "invoice"),
    "find_invoice_by_number": Case(lambda f: {"invoice_number": f.paid_invoice_number}, "invoice"),
    "list_invoices": Case(lambda f: {"payment_overdue": True, "per_page": 5}, "invoices"),
    "list_customer_invoices": Case(lambda f: {"external_customer_id": f.customer}, "invoices"),
    "preview_invoice": Case(lambda f: {"customer_external_id": f.customer, "plan_code": f.plan_code}, "invoice"),
    "create_invoice": Case(_add_on_fee, "invoice"),
    "update_invoice": Case(lambda f: {"lago_id": f.unpaid_invoice, "payment_status": "succeeded"}, "invoice"),
    "refresh_invoice": Case(lambda f: {"lago_id": f.paid_invoice}, "invoice"),
    "finalize_invoice": Case(lambda f: {"lago_id": f.failed_invoice}, "invoice"),  # made a draft by the test
    "download_invoice": Case(lambda f: {"lago_id": f.paid_invoice}, "invoice"),
    "retry_invoice": Case(lambda f: {"lago_id": f.failed_invoice}, "invoice"),
    "retry_invoice_payment": Case(lambda f: {"lago_id": f.unpaid_invoice}, "invoice"),
    "void_invoice": Case(lambda f: {"lago_id": f.voidable_invoice}, "invoice"),
    # customers
    "get_customer": Case(lambda f: {"external_customer_id": f.customer}, "customer"),
    "list_customers": Case(lambda f: {"countries": ["US"], "per_page": 5}, "customers"),
    "create_customer": Case(lambda f: {"external_id": "new_co", "name": "New Co", "currency": "USD"}, "customer"),
    "update_customer": Case(lambda f: {"external_id": f.customer, "email": "ap@example.com"}, "customer"),
    "delete_customer": Case(lambda f: {"external_id": f.customer}, "customer"),
    "get_customer_current_usage": Case(
        lambda f: {"external_customer_id": f.subscription_customer, "external_subscription_id": f.subscription},
        "customer_usage",
    ),
    # subscriptions
    "list_subscriptions": Case(lambda f: {"plan_code": f.plan_code}, "subscriptions"),
    "get_subscription": Case(lambda f: {"external_id": f.subscription}, "subscription"),
    "list_customer_subscriptions": Case(lambda f: {"external_customer_id": f.subscription_customer}, "subscriptions"),
    "create_subscription": Case(
        lambda f: {"external_customer_id": f.subscription_customer, "plan_code": f.plan_code, "external_id": "sub_new"},
        "subscription",
    ),
    "update_subscription": Case(lambda f: {"external_id": f.subscription, "name": "Renamed"}, "subscription"),
    "delete_subscription": Case(lambda f: {"external_id": f.subscription}, "subscription"),
    # billable metrics
    "get_billable_metric": Case(lambda f: {"code": f.metric_code}, "billable_metric"),
    "list_billable_metrics": Case(lambda f: {}, "billable_metrics"),
    "create_billable_metric": Case(
        lambda f: {"name": "GPU minutes", "code": "gpu_minutes", "aggregation_type": "max_agg", "field_name": "gb"},
        "billable_metric",
    ),
    "update_billable_metric": Case(lambda f: {"code": f.metric_code, "description": "Updated"}, "billable_metric"),
    # logs
    "get_activity_log": Case(lambda f: {"activity_id": f.activity_id}, "activity_log"),
    "list_activity_logs": Case(lambda f: {"activity_types": ["invoice.created"]}, "activity_logs"),
    "get_api_log": Case(lambda f: {"request_id": f.request_id}, "api_log"),
    "list_api_logs": Case(lambda f: {"http_methods": ["post"]}, "api_logs"),
    # coupons
    "list_coupons": Case(lambda f: {}, "coupons"),
    "get_coupon": Case(lambda f: {"code": f.coupon_code}, "coupon"),
    "create_coupon": Case(lambda f: dict(SPRING_COUPON), "coupon"),
    "update_coupon": Case(lambda f: {"code": f.coupon_code, "name": "Renamed coupon"}, "coupon"),
    "delete_coupon": Case(lambda f: {"code": f.coupon_code}, "coupon"),
    "list_applied_coupons": Case(lambda f: {"status": "active"}, "applied_coupons"),
    "apply_coupon": Case(
        lambda f: {"external_customer_id": f.customer, "coupon_code": "SPRING10"},
        "applied_coupon",
        setup=[("create_coupon", lambda f: dict(SPRING_COUPON))],
    ),
    "remove_applied_coupon": Case(
        lambda f: {"external_customer_id": f.applied_coupon_customer, "applied_coupon_id": f.applied_coupon_id},
        "applied_coupon",
    ),
    # events
    "get_event": Case(lambda f: {"transaction_id": f.event_transaction_id}, "event"),
    "create_event": Case(
        lambda f: {
            "transaction_id": "evt_new_1",
            "external_subscription_id": f.event_subscription,
            "code": f.event_code,
        },
        "event",
    ),
    "send_events_batch": Case(
        lambda f: {
            "events": [
                {
                    "transaction_id": f"evt_batch_{n}",
                    "external_subscription_id": f.event_subscription,
                    "code": f.event_code,
                }
                for n in range(3)
            ]
        },
        "events",
    ),
    "list_events": Case(lambda f: {"external_subscription_id": f.event_subscription}, "events"),
    # credit notes
    "list_credit_notes": Case(lambda f: {}, "credit_notes"),
    "get_credit_note": Case(lambda f: {"lago_id": f.voidable_credit_note}, "credit_note"),
    "create_credit_note": Case(
        lambda f: {
            "invoice_id": f.unpaid_invoice,
            "reason": "other",
            "credit_amount_cents": 100,
            "refund_amount_cents": 0,
            "items": [{"fee_id": f.unpaid_invoice_fee, "amount_cents": 100}],
        },
        "credit_note",
    ),
    "update_credit_note": Case(
        lambda f: {"lago_id": f.voidable_credit_note, "refund_status": "succeeded"}, "credit_note"
    ),
    "void_credit_note": Case(lambda f: {"lago_id": f.voidable_credit_note}, "credit_note"),
    # plans
    "list_plans": Case(lambda f: {}, "plans"),
    "get_plan": Case(lambda f: {"code": f.plan_code}, "plan"),
    "create_plan": Case(
        lambda f: {
            "name": "Scale",
            "code": "scale",
            "interval": "monthly",
            "amount_cents": 99900,
            "amount_currency": "USD",
            "charges": [
                {"billable_metric_id": f.metric_lago_id, "charge_model": "standard", "properties": {"amount": "0.01"}}
            ],
        },
        "plan",
    ),
    "update_plan": Case(lambda f: {"code": f.plan_code, "description": "Updated"}, "plan"),
    "delete_plan": Case(lambda f: {"code": f.plan_code}, "plan"),
    # payments
    "list_payments": Case(lambda f: {"external_customer_id": f.customer}, "payments"),
    "get_payment": Case(lambda f: {"lago_id": f.payment_id}, "payment"),
    "list_customer_payments": Case(lambda f: {"external_customer_id": f.customer}, "payments"),
    "create_payment": Case(
        lambda f: {"invoice_id": f.unpaid_invoice, "amount_cents": 100, "reference": "wire-1"}, "payment"
    ),
    # wallets
    "list_wallets": Case(lambda f: {"external_customer_id": f.customer_with_wallet}, "wallets"),
    "get_wallet": Case(lambda f: {"lago_id": f.wallet_id}, "wallet"),
    "create_wallet": Case(
        lambda f: {"external_customer_id": f.customer, "currency": f.customer_currency, "granted_credits": "10"},
        "wallet",
    ),
    "top_up_wallet": Case(lambda f: {"wallet_id": f.wallet_id, "granted_credits": "5"}, "wallet_transactions"),
    "list_wallet_transactions": Case(lambda f: {"wallet_id": f.wallet_id}, "wallet_transactions"),
    "terminate_wallet": Case(lambda f: {"lago_id": f.wallet_id}, "wallet"),
}

FAILURE: dict[str, Case] = {
    # invoices
    "get_invoice": Case(lambda f: {"invoice_id": UNKNOWN_UUID}, f"No invoice with lago_id '{UNKNOWN_UUID}'"),
    "find_invoice_by_number": Case(lambda f: {"invoice_number": "NOPE-0000"}, "No invoice numbered 'NOPE-0000'"),
    "list_invoices": Case(lambda f: {"status": "paid"}, "Invalid arguments for list_invoices: status"),
    "list_customer_invoices": Case(lambda f: {"external_customer_id": "ghost"}, "No customer with external_id 'ghost'"),
    "preview_invoice": Case(lambda f: {"customer_external_id": f.customer, "plan_code": "no_plan"}, "no_plan"),
    "create_invoice": Case(
        lambda f: {**_add_on_fee(f), "fees": [{"add_on_code": "nope", "units": 1}]}, "No add-on with code 'nope'"
    ),
    "update_invoice": Case(
        lambda f: {"lago_id": f.voided_invoice, "payment_status": "succeeded"}, "(update_on_voided_invoice)"
    ),
    "refresh_invoice": Case(lambda f: {"lago_id": UNKNOWN_UUID}, "(invoice_not_found)"),
    "finalize_invoice": Case(lambda f: {"lago_id": f.paid_invoice}, "finalize_invoice only works on draft invoices"),
    "download_invoice": Case(lambda f: {"lago_id": f.failed_invoice}, "only works on finalized invoices"),
    "retry_invoice": Case(lambda f: {"lago_id": f.paid_invoice}, "Lago refused retry_invoice (invalid_status)"),
    "retry_invoice_payment": Case(
        lambda f: {"lago_id": f.paid_invoice}, "refused retry_invoice_payment (invalid_status)"
    ),
    "void_invoice": Case(lambda f: {"lago_id": f.paid_invoice}, "Lago refused void_invoice (not_voidable)"),
    # customers
    "get_customer": Case(
        lambda f: {"external_customer_id": "acme_nope"},
        "No customer with external_id 'acme_nope' (customer_not_found). "
        "Use list_customers with search_term to find it.",
    ),
    "list_customers": Case(lambda f: {"per_page": 1000}, "Invalid arguments for list_customers: per_page"),
    "create_customer": Case(lambda f: {"external_id": "bad_co", "currency": "EURO"}, "Lago rejected create_customer"),
    "update_customer": Case(
        lambda f: {"external_id": "ghost", "email": "a@b.co"}, "No customer with external_id 'ghost'"
    ),
    "delete_customer": Case(lambda f: {"external_id": "ghost"}, "No customer with external_id 'ghost'"),
    "get_customer_current_usage": Case(
        lambda f: {"external_customer_id": f.subscription_customer, "external_subscription_id": "sub_ghost"},
        "sub_ghost",
    ),
    # subscriptions
    "list_subscriptions": Case(lambda f: {"status": ["paused"]}, "Invalid arguments for list_subscriptions: status"),
    "get_subscription": Case(lambda f: {"external_id": "sub_ghost"}, "No subscription with external_id 'sub_ghost'"),
    "list_customer_subscriptions": Case(lambda f: {"external_customer_id": "ghost"}, "No customer with external_id"),
    "create_subscription": Case(
        lambda f: {"external_customer_id": f.customer, "plan_code": "no_plan", "external_id": "sub_x"},
        "No plan with code 'no_plan'",
    ),
    "update_subscription": Case(lambda f: {"external_id": f.subscription}, "Nothing to update"),
    "delete_subscription": Case(lambda f: {"external_id": "sub_ghost"}, "No subscription with external_id 'sub_ghost'"),
    # billable metrics
    "get_billable_metric": Case(lambda f: {"code": "ghost"}, "No billable metric with code 'ghost'"),
    "list_billable_metrics": Case(lambda f: {"aggregation_type": "avg"}, "Invalid arguments for list_billable_metrics"),
    "create_billable_metric": Case(
        lambda f: {"name": "Dup", "code": f.metric_code, "aggregation_type": "count_agg"}, "code already exists"
    ),
    "update_billable_metric": Case(lambda f: {"code": "ghost", "name": "x"}, "No billable metric with code 'ghost'"),
    # logs
    "get_activity_log": Case(lambda f: {"activity_id": UNKNOWN_UUID}, "No activity log with activity_id"),
    "list_activity_logs": Case(lambda f: {"activity_sources": ["email"]}, "Invalid arguments for list_activity_logs"),
    "get_api_log": Case(lambda f: {"request_id": UNKNOWN_UUID}, "No API log with request_id"),
    "list_api_logs": Case(lambda f: {"http_methods": ["get"]}, "Invalid arguments for list_api_logs"),
    # coupons
    "list_coupons": Case(lambda f: {"page": 0}, "Invalid arguments for list_coupons: page"),
    "get_coupon": Case(lambda f: {"code": "GHOST"}, "No coupon with code 'GHOST' (coupon_not_found)"),
    "create_coupon": Case(lambda f: {**SPRING_COUPON, "code": f.coupon_code}, "code already exists"),
    "update_coupon": Case(lambda f: {"code": "GHOST", "name": "x"}, "No coupon with code 'GHOST'"),
    "delete_coupon": Case(lambda f: {"code": "GHOST"}, "No coupon with code 'GHOST'"),
    "list_applied_coupons": Case(lambda f: {"status": "paused"}, "Invalid arguments for list_applied_coupons"),
    "apply_coupon": Case(
        lambda f: {"external_customer_id": f.customer, "coupon_code": "GHOST"}, "No coupon with code 'GHOST'"
    ),
    "remove_applied_coupon": Case(
        lambda f: {"external_customer_id": f.applied_coupon_customer, "applied_coupon_id": UNKNOWN_UUID},
        "No applied coupon with lago_id",
    ),
    # events
    "get_event": Case(lambda f: {"transaction_id": "evt_ghost"}, "No event with transaction_id 'evt_ghost'"),
    "create_event": Case(
        lambda f: {
            "transaction_id": f.event_transaction_id,
            "external_subscription_id": f.event_subscription,
            "code": f.event_code,
        },
        "already exists (value_already_exist)",
    ),
    "send_events_batch": Case(lambda f: {"events": []}, "Invalid arguments for send_events_batch: events"),
    "list_events": Case(lambda f: {"timestamp_from_started_at": True}, "needs external_subscription_id"),
    # credit notes
    "list_credit_notes": Case(lambda f: {"reason": "bored"}, "Invalid arguments for list_credit_notes: reason"),
    "get_credit_note": Case(lambda f: {"lago_id": UNKNOWN_UUID}, "No credit note with lago_id"),
    "create_credit_note": Case(
        lambda f: {
            "invoice_id": UNKNOWN_UUID,
            "reason": "other",
            "credit_amount_cents": 100,
            "refund_amount_cents": 0,
            "items": [{"fee_id": f.unpaid_invoice_fee, "amount_cents": 100}],
        },
        f"No invoice with lago_id '{UNKNOWN_UUID}'",
    ),
    "update_credit_note": Case(lambda f: {"lago_id": UNKNOWN_UUID, "refund_status": "succeeded"}, "No credit note"),
    "void_credit_note": Case(lambda f: {"lago_id": UNKNOWN_UUID}, "No credit note with lago_id"),
    # plans
    "list_plans": Case(lambda f: {"per_page": 0}, "Invalid arguments for list_plans: per_page"),
    "get_plan": Case(lambda f: {"code": "ghost"}, "No plan with code 'ghost' (plan_not_found). Use list_plans"),
    "create_plan": Case(
        lambda f: {
            "name": "Dup",
            "code": f.plan_code,
            "interval": "monthly",
            "amount_cents": 100,
            "amount_currency": "USD",
        },
        "code already exists",
    ),
    "update_plan": Case(lambda f: {"code": "ghost", "name": "x"}, "No plan with code 'ghost'"),
    "delete_plan": Case(lambda f: {"code": "ghost"}, "No plan with code 'ghost'"),
    # payments
    "list_payments": Case(lambda f: {"page": "first"}, "Invalid arguments for list_payments: page"),
    "get_payment": Case(lambda f: {"lago_id": UNKNOWN_UUID}, "No payment with lago_id"),
    "list_customer_payments": Case(lambda f: {"external_customer_id": "ghost"}, "No customer with external_id 'ghost'"),
    "create_payment": Case(
        lambda f: {"invoice_id": UNKNOWN_UUID, "amount_cents": 100, "reference": "wire-2"}, "No invoice with lago_id"
    ),
    # wallets
    "list_wallets": Case(lambda f: {"external_customer_id": "ghost"}, "No customer with external_id 'ghost'"),
    "get_wallet": Case(lambda f: {"lago_id": UNKNOWN_UUID}, "No wallet with lago_id"),
    "create_wallet": Case(
        lambda f: {"external_customer_id": "ghost", "currency": "USD", "granted_credits": "1"}, "No customer"
    ),
    "top_up_wallet": Case(lambda f: {"wallet_id": f.wallet_id}, "Nothing to add"),
    "list_wallet_transactions": Case(lambda f: {"wallet_id": UNKNOWN_UUID}, "No wallet with lago_id"),
    "terminate_wallet": Case(lambda f: {"lago_id": UNKNOWN_UUID}, "No wallet with lago_id"),
}

READ_ONLY = sorted(name for name, hints in TOOL_HINTS.items() if hints.read_only)
WRITES = sorted(name for name, hints in TOOL_HINTS.items() if not hints.read_only)


def test_every_tool_has_a_success_and_a_failure_case() -> None:
    assert set(SUCCESS) == set(TOOL_HINTS) == set(FAILURE)


@pytest.fixture(scope="module")
def read_facts(read_only_sandbox: SandboxServer) -> Facts:
    return asyncio.run(gather_facts(read_only_sandbox.api_url))


@pytest.fixture(scope="module")
def read_server(read_only_sandbox: SandboxServer) -> LagoMcpServer:
    return make_server(read_only_sandbox)


@pytest.fixture(scope="module")
def write_sandbox() -> Iterator[SandboxServer]:
    """One sandbox for the module's writing tests, reseeded before each of them."""
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=60)) as server:
        yield server


@pytest.fixture(scope="module")
def write_server(write_sandbox: SandboxServer) -> LagoMcpServer:
    return make_server(write_sandbox)


@pytest.fixture
def reseeded(write_sandbox: SandboxServer) -> SandboxServer:
    httpx.post(f"{write_sandbox.url}/_sandbox/reset").raise_for_status()
    return write_sandbox


async def _run(server: LagoMcpServer, facts: Facts, name: str, case: Case, *, success: bool) -> None:
    async with langchain_tools(server) as tools:
        for tool, args in case.setup:
            assert (await call(tools, tool, args(facts))).status == "success"
        message = await call(tools, name, case.args(facts))
    text = text_of(message)
    if success:
        content = structured(message)
        assert case.expect in content, f"{name}: {sorted(content)}"
        _assert_linked(content[case.expect])
        assert text.strip()
    else:
        assert message.status == "error", text
        assert case.expect in text, text


def _assert_linked(value: Any) -> None:
    records = value if isinstance(value, list) else [value]
    assert records, "expected at least one record"
    for record in records:
        assert str(record.get("dashboard_url", "")).startswith(FRONT_URL), record


@pytest.mark.parametrize("name", READ_ONLY)
async def test_read_only_tool_succeeds(name: str, read_server: LagoMcpServer, read_facts: Facts) -> None:
    await _run(read_server, read_facts, name, SUCCESS[name], success=True)


@pytest.mark.parametrize("name", READ_ONLY)
async def test_read_only_tool_fails_with_an_actionable_error(
    name: str, read_server: LagoMcpServer, read_facts: Facts
) -> None:
    await _run(read_server, read_facts, name, FAILURE[name], success=False)


@pytest.mark.parametrize("name", WRITES)
async def test_write_tool_succeeds(name: str, reseeded: SandboxServer, write_server: LagoMcpServer) -> None:
    facts = await gather_facts(reseeded.api_url)
    if name == "finalize_invoice":
        _make_draft(reseeded, facts.failed_invoice)
    await _run(write_server, facts, name, SUCCESS[name], success=True)


@pytest.mark.parametrize("name", WRITES)
async def test_write_tool_fails_with_an_actionable_error(
    name: str, reseeded: SandboxServer, write_server: LagoMcpServer
) -> None:
    facts = await gather_facts(reseeded.api_url)
    await _run(write_server, facts, name, FAILURE[name], success=False)


def _make_draft(server: SandboxServer, invoice_id: str) -> None:
    """The sandbox's API never leaves an invoice in draft (Lago does with a grace period): arrange one in the store."""
    store = server.app.state.sandbox.store
    org = store.org_by_key(DEMO_API_KEY)
    assert org is not None
    invoice = store.get(org.id, "invoice", invoice_id)
    assert invoice is not None
    invoice["status"] = "draft"
    store.put(org.id, "invoice", invoice_id, invoice)


async def test_update_subscription_with_a_plan_code_changes_the_plan(
    reseeded: SandboxServer, write_server: LagoMcpServer
) -> None:
    facts = await gather_facts(reseeded.api_url)
    async with langchain_tools(write_server) as tools:
        before = structured(await call(tools, "get_subscription", {"external_id": facts.subscription}))["subscription"]
        plans = structured(await call(tools, "list_plans", {}))["plans"]
        target = next(
            p["code"]
            for p in plans
            if p["amount_currency"] == before["plan_amount_currency"] and p["code"] != before["plan_code"]
        )
        message = await call(
            tools, "update_subscription", {"external_id": facts.subscription, "plan_code": target, "name": "Moved"}
        )
        after = structured(await call(tools, "get_subscription", {"external_id": facts.subscription}))["subscription"]
    assert text_of(message).startswith(f"Subscription plan changed to {target}; updated name.")
    assert (after["plan_code"], after["name"]) == (target, "Moved")


@pytest.mark.parametrize("amount", [123456, "1234.56"], ids=["integer", "decimal-string"])
async def test_create_event_takes_the_precise_amount_as_a_number_or_a_string(
    amount: Any, reseeded: SandboxServer, write_server: LagoMcpServer
) -> None:
    """The official server's schema has an integer; Lago's API a decimal string: both are accepted."""
    facts = await gather_facts(reseeded.api_url)
    args = {"transaction_id": f"evt_amount_{amount}", "external_subscription_id": facts.event_subscription}
    async with langchain_tools(write_server) as tools:
        message = await call(
            tools, "create_event", {**args, "code": facts.event_code, "precise_total_amount_cents": amount}
        )
    assert message.status == "success", text_of(message)
    assert structured(message)["event"]["precise_total_amount_cents"] == str(amount)


async def test_an_oversized_search_term_is_named_with_its_limit(read_server: LagoMcpServer) -> None:
    async with langchain_tools(read_server) as tools:
        message = await call(tools, "list_customers", {"search_term": "x" * 100_000})
    assert message.status == "error"
    assert "'search_term' has 100,000 characters; at most 2,000" in text_of(message), text_of(message)
