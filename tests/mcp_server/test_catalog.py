"""The tool catalogue: names, the pinned name → hints table, and parameter parity with Lago's official server."""

from __future__ import annotations

import json
from typing import Any

from billing_agent.mcp_server import OFFICIAL_TOOL_NAMES, create_mcp_server

from .conftest import langchain_tools

# name: (readOnlyHint, destructiveHint, idempotentHint, openWorldHint)
EXPECTED_HINTS: dict[str, tuple[bool, bool, bool, bool]] = {
    "get_invoice": (True, False, True, True),
    "find_invoice_by_number": (True, False, True, True),
    "list_invoices": (True, False, True, True),
    "list_customer_invoices": (True, False, True, True),
    "preview_invoice": (True, False, True, True),
    "download_invoice": (True, False, True, True),
    "create_invoice": (False, True, False, True),
    "update_invoice": (False, False, True, True),
    "refresh_invoice": (False, False, True, True),
    "finalize_invoice": (False, True, True, True),
    "retry_invoice": (False, True, True, True),
    "retry_invoice_payment": (False, True, False, True),
    "void_invoice": (False, True, True, True),
    "get_customer": (True, False, True, True),
    "list_customers": (True, False, True, True),
    "create_customer": (False, False, True, True),
    "update_customer": (False, False, True, True),
    "delete_customer": (False, True, True, True),
    "get_customer_current_usage": (True, False, True, True),
    "list_subscriptions": (True, False, True, True),
    "get_subscription": (True, False, True, True),
    "list_customer_subscriptions": (True, False, True, True),
    "create_subscription": (False, True, False, True),
    "update_subscription": (False, True, True, True),
    "delete_subscription": (False, True, True, True),
    "get_billable_metric": (True, False, True, True),
    "list_billable_metrics": (True, False, True, True),
    "create_billable_metric": (False, False, True, True),
    "update_billable_metric": (False, False, True, True),
    "get_activity_log": (True, False, True, True),
    "list_activity_logs": (True, False, True, True),
    "get_api_log": (True, False, True, True),
    "list_api_logs": (True, False, True, True),
    "list_coupons": (True, False, True, True),
    "get_coupon": (True, False, True, True),
    "create_coupon": (False, False, True, True),
    "update_coupon": (False, False, True, True),
    "delete_coupon": (False, True, True, True),
    "list_applied_coupons": (True, False, True, True),
    "apply_coupon": (False, False, False, True),
    "remove_applied_coupon": (False, True, True, True),
    "get_event": (True, False, True, True),
    "create_event": (False, False, True, True),
    "send_events_batch": (False, False, True, True),
    "list_events": (True, False, True, True),
    "list_credit_notes": (True, False, True, True),
    "get_credit_note": (True, False, True, True),
    "create_credit_note": (False, True, False, True),
    "update_credit_note": (False, False, True, True),
    "void_credit_note": (False, True, True, True),
    "list_plans": (True, False, True, True),
    "get_plan": (True, False, True, True),
    "create_plan": (False, False, True, True),
    "update_plan": (False, False, True, True),
    "delete_plan": (False, True, True, True),
    "list_payments": (True, False, True, True),
    "get_payment": (True, False, True, True),
    "list_customer_payments": (True, False, True, True),
    "create_payment": (False, True, False, True),
    "list_wallets": (True, False, True, True),
    "get_wallet": (True, False, True, True),
    "create_wallet": (False, True, False, True),
    "top_up_wallet": (False, True, False, True),
    "list_wallet_transactions": (True, False, True, True),
    "terminate_wallet": (False, True, True, True),
}

OFFICIAL_PARAMETERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "get_invoice": (("invoice_id",), ()),
    "find_invoice_by_number": (("invoice_number",), ()),
    "list_invoices": (
        (),
        (
            "search_term",
            "customer_external_id",
            "issuing_date_from",
            "issuing_date_to",
            "status",
            "payment_status",
            "invoice_type",
            "page",
            "per_page",
        ),
    ),
    "preview_invoice": (
        (),
        (
            "customer_external_id",
            "customer_name",
            "customer_currency",
            "customer_address_line1",
            "customer_address_line2",
            "customer_city",
            "customer_state",
            "customer_country",
            "customer_tax_identification_number",
            "plan_code",
            "subscription_at",
            "billing_time",
            "coupons",
            "subscriptions",
            "billing_entity_code",
        ),
    ),
    "create_invoice": (("external_customer_id", "currency", "fees"), ()),
    "update_invoice": (("lago_id",), ("payment_status", "metadata")),
    "list_customer_invoices": (("external_customer_id",), ("page", "per_page")),
    "refresh_invoice": (("lago_id",), ()),
    "download_invoice": (("lago_id",), ()),
    "retry_invoice": (("lago_id",), ()),
    "retry_invoice_payment": (("lago_id",), ()),
    "void_invoice": (("lago_id",), ()),
    "get_customer": (("external_customer_id",), ()),
    "list_customers": ((), ("external_customer_id", "page", "per_page")),
    "create_customer": (
        ("external_id",),
        (
            "name",
            "firstname",
            "lastname",
            "email",
            "address_line1",
            "address_line2",
            "city",
            "country",
            "state",
            "zipcode",
            "phone",
            "url",
            "legal_name",
            "legal_number",
            "logo_url",
            "tax_identification_number",
            "timezone",
            "currency",
            "net_payment_term",
            "customer_type",
            "finalize_zero_amount_invoice",
        ),
    ),
    "get_customer_current_usage": (("external_customer_id", "external_subscription_id"), ("apply_taxes",)),
    "list_subscriptions": ((), ("plan_code", "status", "page", "per_page")),
    "get_subscription": (("external_id",), ()),
    "list_customer_subscriptions": (("external_customer_id",), ("plan_code", "status", "page", "per_page")),
    "create_subscription": (
        ("external_customer_id", "plan_code"),
        ("name", "external_id", "billing_time", "subscription_at", "ending_at", "plan_overrides"),
    ),
    "update_subscription": (("external_id",), ("name", "ending_at", "plan_code", "subscription_at", "plan_overrides")),
    "delete_subscription": (("external_id",), ("status",)),
    "get_billable_metric": (("code",), ()),
    "list_billable_metrics": ((), ("aggregation_type", "recurring", "page", "per_page")),
    "create_billable_metric": (
        ("name", "code", "aggregation_type"),
        (
            "description",
            "recurring",
            "rounding_function",
            "rounding_precision",
            "expression",
            "field_name",
            "weighted_interval",
            "filters",
        ),
    ),
    "update_billable_metric": (
        ("code",),
        (
            "name",
            "new_code",
            "description",
            "recurring",
            "rounding_function",
            "rounding_precision",
            "expression",
            "field_name",
            "weighted_interval",
            "filters",
        ),
    ),
    "get_activity_log": (("activity_id",), ()),
    "list_activity_logs": (
        (),
        (
            "activity_types",
            "activity_sources",
            "user_emails",
            "external_customer_id",
            "external_subscription_id",
            "resource_ids",
            "resource_types",
            "from_date",
            "to_date",
            "page",
            "per_page",
        ),
    ),
    "get_api_log": (("request_id",), ()),
    "list_api_logs": (
        (),
        ("http_methods", "http_statuses", "api_version", "request_paths", "from_date", "to_date", "page", "per_page"),
    ),
    "list_applied_coupons": ((), ("status", "external_customer_id", "coupon_codes", "page", "per_page")),
    "apply_coupon": (
        ("external_customer_id", "coupon_code"),
        ("frequency", "frequency_duration", "amount_cents", "amount_currency", "percentage_rate"),
    ),
    "list_coupons": ((), ("page", "per_page")),
    "get_coupon": (("code",), ()),
    "create_coupon": (
        ("name", "code", "coupon_type", "frequency", "expiration"),
        (
            "amount_cents",
            "amount_currency",
            "percentage_rate",
            "frequency_duration",
            "reusable",
            "plan_codes",
            "billable_metric_codes",
            "expiration_at",
        ),
    ),
    "update_coupon": (
        ("code",),
        (
            "name",
            "coupon_type",
            "amount_cents",
            "amount_currency",
            "percentage_rate",
            "frequency",
            "frequency_duration",
            "reusable",
            "plan_codes",
            "billable_metric_codes",
            "expiration",
            "expiration_at",
        ),
    ),
    "delete_coupon": (("code",), ()),
    "get_event": (("transaction_id",), ()),
    "create_event": (
        ("transaction_id", "code"),
        ("external_customer_id", "external_subscription_id", "timestamp", "properties", "precise_total_amount_cents"),
    ),
    "list_events": (
        (),
        (
            "external_subscription_id",
            "code",
            "timestamp_from_started_at",
            "timestamp_from",
            "timestamp_to",
            "page",
            "per_page",
        ),
    ),
    "list_credit_notes": (
        (),
        (
            "page",
            "per_page",
            "external_customer_id",
            "issuing_date_from",
            "issuing_date_to",
            "search_term",
            "currency",
            "reason",
            "credit_status",
            "refund_status",
            "invoice_number",
            "amount_from",
            "amount_to",
        ),
    ),
    "get_credit_note": (("lago_id",), ()),
    "create_credit_note": (
        ("invoice_id", "reason", "credit_amount_cents", "refund_amount_cents", "items"),
        ("description",),
    ),
    "update_credit_note": (("lago_id", "refund_status"), ()),
    "list_plans": ((), ("page", "per_page")),
    "get_plan": (("code",), ()),
    "create_plan": (
        ("name", "code", "interval", "amount_cents", "amount_currency"),
        (
            "invoice_display_name",
            "description",
            "trial_period",
            "pay_in_advance",
            "bill_charges_monthly",
            "tax_codes",
            "charges",
            "minimum_commitment",
            "usage_thresholds",
        ),
    ),
    "update_plan": (
        ("code",),
        (
            "name",
            "new_code",
            "interval",
            "amount_cents",
            "amount_currency",
            "invoice_display_name",
            "description",
            "trial_period",
            "pay_in_advance",
            "bill_charges_monthly",
            "tax_codes",
            "charges",
            "minimum_commitment",
            "usage_thresholds",
            "cascade_updates",
        ),
    ),
    "delete_plan": (("code",), ()),
    "list_payments": ((), ("external_customer_id", "invoice_id", "page", "per_page")),
    "get_payment": (("lago_id",), ()),
    "list_customer_payments": (("external_customer_id",), ("invoice_id", "page", "per_page")),
    "create_payment": (("invoice_id", "amount_cents", "reference"), ("paid_at",)),
}


def _server() -> Any:
    return create_mcp_server(api_url="http://127.0.0.1:9/api/v1", api_key="unused")


async def test_served_tools_carry_exactly_the_pinned_hints() -> None:
    async with langchain_tools(_server()) as tools:
        served = {
            name: (
                tool.metadata["readOnlyHint"],
                tool.metadata["destructiveHint"],
                tool.metadata["idempotentHint"],
                tool.metadata["openWorldHint"],
            )
            for name, tool in tools.items()
            if tool.metadata is not None
        }
        titles = {name: (tool.metadata or {}).get("title") for name, tool in tools.items()}
    assert served == EXPECTED_HINTS
    assert all(isinstance(title, str) and title for title in titles.values()), titles


def test_all_53_official_tools_are_served_plus_our_extras() -> None:
    assert len(OFFICIAL_TOOL_NAMES) == 53
    assert set(OFFICIAL_PARAMETERS) == OFFICIAL_TOOL_NAMES
    assert set(EXPECTED_HINTS) >= OFFICIAL_TOOL_NAMES
    assert set(EXPECTED_HINTS) - OFFICIAL_TOOL_NAMES == {
        "finalize_invoice",
        "update_customer",
        "delete_customer",
        "remove_applied_coupon",
        "list_wallets",
        "get_wallet",
        "create_wallet",
        "top_up_wallet",
        "list_wallet_transactions",
        "terminate_wallet",
        "void_credit_note",
        "send_events_batch",
    }


async def test_official_tools_take_the_official_parameter_names() -> None:
    """A client written for the official Rust server can call ours: same names, nothing more required."""
    async with langchain_tools(_server()) as tools:
        schemas = {name: tool.args_schema for name, tool in tools.items()}
    for name, (required, optional) in OFFICIAL_PARAMETERS.items():
        schema = schemas[name]
        assert isinstance(schema, dict)
        properties = set(schema["properties"])
        assert set(required) | set(optional) <= properties, (name, set(required) | set(optional) - properties)
        assert set(schema.get("required", [])) <= set(required), (name, schema.get("required"))


async def test_descriptions_say_when_to_use_and_give_an_example() -> None:
    async with langchain_tools(_server()) as tools:
        for name, tool in tools.items():
            assert "Example: " in tool.description and f"{name}(" in tool.description, name
            assert len(tool.description) <= 400, (name, len(tool.description))


async def test_list_invoices_filters_beyond_the_official_set() -> None:
    async with langchain_tools(_server()) as tools:
        schema = tools["list_invoices"].args_schema
    assert isinstance(schema, dict)
    assert {"payment_overdue", "amount_from", "amount_to", "customer_external_id"} <= set(schema["properties"])


async def test_advertised_schemas_are_compact_but_complete() -> None:
    async with langchain_tools(_server()) as tools:
        schemas = {name: tool.args_schema for name, tool in tools.items()}
    text = json.dumps(schemas)
    assert '"title"' not in text and '{"type": "null"}' not in text and '"default": null' not in text
    fee = schemas["create_invoice"]["$defs"]["InvoiceFee"]  # type: ignore[index]
    assert fee["required"] == ["add_on_code", "units"] and "description" in fee["properties"]
    assert schemas["list_invoices"]["properties"]["status"]["enum"] == [  # type: ignore[index]
        "draft",
        "finalized",
        "voided",
        "pending",
        "failed",
    ]
    assert len(text) < 40_000, "schemas travel with every model call"
