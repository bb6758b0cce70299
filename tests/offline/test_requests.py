"""First step of each product-page request (and neighbours): the exact tool calls and arguments."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from .helpers import SYSTEM, calls_of, step
from .schemas import OUR_TOOLS

Call = tuple[str, dict[str, Any]]

# Today is Thursday 2026-11-26 (tests.offline.helpers.TODAY).
FIRST_CALLS: list[tuple[str, list[Call]]] = [
    (
        "Show me overdue invoices for the last 30 days",
        [
            (
                "list_invoices",
                {"payment_overdue": True, "issuing_date_from": "2026-10-27", "issuing_date_to": "2026-11-26"},
            )
        ],
    ),
    ("List the latest activity logs", [("list_activity_logs", {})]),
    ("What is the current usage for customer Acme Corp?", [("list_customers", {"search_term": "Acme Corp"})]),
    (
        "What are the number of invoices generated last week?",
        [("list_invoices", {"issuing_date_from": "2026-11-16", "issuing_date_to": "2026-11-22"})],
    ),
    (
        "Create a new customer with email `gavin@hooli.com`",
        [("create_customer", {"external_id": "gavin_hooli_com", "email": "gavin@hooli.com"})],
    ),
    ("Apply coupon `SUMMER20` to customer Acme Corp", [("list_customers", {"search_term": "Acme Corp"})]),
    ("Update the billing email for customer xyz to billing@xyz.io", [("list_customers", {"search_term": "xyz"})]),
    ("Download invoice `INV-001`", [("find_invoice_by_number", {"invoice_number": "INV-001"})]),
    ("What plans are available?", [("list_plans", {})]),
    ("Show me payment history for customer ID xyz", [("list_customer_payments", {"external_customer_id": "xyz"})]),
    ("Terminate subscription for Acme Corp", [("list_customers", {"search_term": "Acme Corp"})]),
    (
        "Show invoices over $1,000 from last month",
        [
            (
                "list_invoices",
                {"amount_from": 100000, "issuing_date_from": "2026-10-01", "issuing_date_to": "2026-10-31"},
            )
        ],
    ),
    # neighbours
    ("List customers", [("list_customers", {})]),
    ("Show customers named Hooli", [("list_customers", {"search_term": "Hooli"})]),
    ("List coupons", [("list_coupons", {})]),
    ("Show failed invoices", [("list_invoices", {"payment_status": "failed"})]),
    ("Show draft invoices", [("list_invoices", {"status": "draft"})]),
    (
        "Show API logs from Q3",
        [("list_api_logs", {"from_date": "2026-07-01", "to_date": "2026-09-30"})],
    ),
    (
        "Show activity logs since 2026-11-01",
        [("list_activity_logs", {"from_date": "2026-11-01", "to_date": "2026-11-26"})],
    ),
    (
        "Show invoice 5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f",
        [("get_invoice", {"invoice_id": "5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f"})],
    ),
    ("Void invoice INV-002", [("find_invoice_by_number", {"invoice_number": "INV-002"})]),
    (
        "Finalize invoice 5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f",
        [("finalize_invoice", {"lago_id": "5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f"})],
    ),
    (
        "Refresh draft invoice 5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f",
        [("refresh_invoice", {"lago_id": "5f0c1a8e-9c7d-4a51-8f0e-3b2d1c4e5a6f"})],
    ),
    ("Retry invoice INV-9", [("find_invoice_by_number", {"invoice_number": "INV-9"})]),
    ("Terminate subscription sub_123", [("delete_subscription", {"external_id": "sub_123"})]),
    ("Show customer ID acme_corp", [("get_customer", {"external_customer_id": "acme_corp"})]),
    ("List payments", [("list_payments", {})]),
    (
        "Create customer named Hooli XYZ with id hooli_xyz and email ap@hooli.com",
        [("create_customer", {"external_id": "hooli_xyz", "email": "ap@hooli.com", "name": "Hooli XYZ"})],
    ),
    ("How many customers do we have?", [("list_customers", {})]),
    (
        "Show coupons applied to customer ID acme_corp",
        [("list_applied_coupons", {"external_customer_id": "acme_corp"})],
    ),
    (
        "Show subscriptions for customer ID acme_corp",
        [("list_customer_subscriptions", {"external_customer_id": "acme_corp"})],
    ),
    ("list events", [("list_events", {})]),
    ("show credit notes", [("list_credit_notes", {})]),
    ("show billable metrics", [("list_billable_metrics", {})]),
    ("Show wallets for customer ID acme_corp", [("list_wallets", {"external_customer_id": "acme_corp"})]),
    (
        "How many unpaid invoices of at least $50 this year?",
        [
            (
                "list_invoices",
                {
                    "payment_status": "pending",
                    "amount_from": 5000,
                    "issuing_date_from": "2026-01-01",
                    "issuing_date_to": "2026-11-26",
                },
            )
        ],
    ),
]


@pytest.mark.parametrize(("request_text", "expected"), FIRST_CALLS, ids=[r for r, _ in FIRST_CALLS])
def test_first_calls(request_text: str, expected: list[Call]) -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content=request_text)])

    assert calls_of(reply) == expected
    assert len(reply.content) < 120  # at most one short sentence beside the calls


def test_subscriptions_created_this_month_without_a_server_date_filter_lists_all_statuses() -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content="Show me all subscriptions created this month")])

    assert calls_of(reply) == [
        ("list_subscriptions", {"status": ["active", "pending", "canceled", "terminated"], "per_page": 100})
    ]


def test_subscriptions_created_this_month_uses_a_server_date_filter_when_there_is_one() -> None:
    from .schemas import INT, STR, STR_LIST, tool

    tools = [tool("list_subscriptions", status=STR_LIST, created_at_from=STR, created_at_to=STR, page=INT)]
    reply = step(tools, [SYSTEM, HumanMessage(content="Show me all subscriptions created this month")])

    assert calls_of(reply) == [
        (
            "list_subscriptions",
            {
                "created_at_from": "2026-11-01",
                "created_at_to": "2026-11-26",
                "status": ["active", "pending", "canceled", "terminated"],
            },
        )
    ]


@pytest.mark.parametrize(
    "request_text",
    [
        "Retry all failed invoices from last week",
        "Apply coupon SUMMER20 to all US customers",
        "Generate invoice previews for all customers with active subscriptions",
        "List all overdue invoices and retry payments",
        "Retry all of these",
        "Void every draft invoice",
    ],
)
def test_bulk_requests_answer_that_bulk_is_not_available_offline(request_text: str) -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content=request_text)])

    assert reply.tool_calls == []
    assert "Bulk operations" in reply.content and "not available in offline mode" in reply.content


def test_billing_email_without_a_new_address_asks_for_it() -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content="Update the billing email for customer xyz")])

    assert reply.tool_calls == []
    assert "What should the new billing email of customer xyz be?" in reply.content


@pytest.mark.parametrize("request_text", ["hello", "make it rain", "?"])
def test_unknown_requests_get_the_list_of_understood_requests(request_text: str) -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content=request_text)])

    assert reply.tool_calls == []
    assert "I couldn't match" in reply.content
    assert "Show me overdue invoices for the last 30 days" in reply.content


def test_empty_and_too_long_messages_get_plain_answers() -> None:
    empty = step(OUR_TOOLS, [SYSTEM, HumanMessage(content="   ")])
    long = step(OUR_TOOLS, [SYSTEM, HumanMessage(content="show invoices " * 1000)])

    assert empty.tool_calls == [] and "empty" in empty.content
    assert long.tool_calls == [] and "13,999 characters" in long.content


def test_confirm_with_nothing_pending_does_nothing() -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content="CONFIRM")])

    assert reply.tool_calls == []
    assert reply.content.startswith("Nothing is waiting for confirmation")


@pytest.mark.parametrize(
    "request_text", ["Create a plan called Gold", "delete everything now", "Please update plan pro"]
)
def test_changes_it_cannot_make_are_refused_plainly(request_text: str) -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content=request_text)])

    assert reply.tool_calls == []
    assert reply.content.startswith(f"I can't make the change '{request_text}' in offline mode.")


def test_create_customer_without_email_or_id_asks_for_one() -> None:
    reply = step(OUR_TOOLS, [SYSTEM, HumanMessage(content="Create a new customer")])

    assert reply.tool_calls == []
    assert reply.content.startswith("To create a customer I need at least an email or an external id")
