"""Tool schemas (OpenAI format) shaped like our MCP server's and like Lago's official server's."""

from __future__ import annotations

from typing import Any

STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
BOOL: dict[str, Any] = {"type": "boolean"}
STR_LIST: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
PAGE = {"page": INT, "per_page": INT}


def tool(name: str, required: tuple[str, ...] = (), /, **properties: dict[str, Any]) -> dict[str, Any]:
    """One OpenAI-format tool definition."""
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": f"{name} (test schema)",
            "parameters": {"type": "object", "properties": properties, "required": list(required)},
        },
    }


OFFICIAL_TOOLS = [
    tool(
        "list_invoices",
        customer_external_id=STR,
        status=STR,
        payment_status=STR,
        issuing_date_from=STR,
        issuing_date_to=STR,
        search_term=STR,
        invoice_type=STR,
        **PAGE,
    ),
    tool("get_invoice", ("invoice_id",), invoice_id=STR),
    tool("find_invoice_by_number", ("invoice_number",), invoice_number=STR),
    tool("download_invoice", ("lago_id",), lago_id=STR),
    tool("void_invoice", ("lago_id",), lago_id=STR),
    tool("refresh_invoice", ("lago_id",), lago_id=STR),
    tool("retry_invoice", ("lago_id",), lago_id=STR),
    tool("retry_invoice_payment", ("lago_id",), lago_id=STR),
    tool("list_customers", external_customer_id=STR, **PAGE),
    tool("get_customer", ("external_customer_id",), external_customer_id=STR),
    tool("create_customer", ("external_id",), external_id=STR, name=STR, email=STR),
    tool(
        "get_customer_current_usage",
        ("external_customer_id", "external_subscription_id"),
        external_customer_id=STR,
        external_subscription_id=STR,
        apply_taxes=BOOL,
    ),
    tool("list_subscriptions", plan_code=STR, status=STR_LIST, **PAGE),
    tool("get_subscription", ("external_id",), external_id=STR),
    tool(
        "list_customer_subscriptions",
        ("external_customer_id",),
        external_customer_id=STR,
        plan_code=STR,
        status=STR_LIST,
        **PAGE,
    ),
    tool("delete_subscription", ("external_id",), external_id=STR, status=STR),
    tool("list_activity_logs", from_date=STR, to_date=STR, external_customer_id=STR, **PAGE),
    tool("get_activity_log", ("activity_id",), activity_id=STR),
    tool("list_api_logs", from_date=STR, to_date=STR, **PAGE),
    tool("get_api_log", ("request_id",), request_id=STR),
    tool("list_coupons", **PAGE),
    tool("get_coupon", ("code",), code=STR),
    tool("list_applied_coupons", external_customer_id=STR, status=STR, **PAGE),
    tool("apply_coupon", ("external_customer_id", "coupon_code"), external_customer_id=STR, coupon_code=STR),
    tool("list_plans", **PAGE),
    tool("get_plan", ("code",), code=STR),
    tool("list_payments", external_customer_id=STR, invoice_id=STR, **PAGE),
    tool("get_payment", ("lago_id",), lago_id=STR),
    tool("list_customer_payments", ("external_customer_id",), external_customer_id=STR, invoice_id=STR, **PAGE),
    tool("list_events", **PAGE),
    tool("list_credit_notes", **PAGE),
    tool("list_billable_metrics", **PAGE),
]

_EXTRAS = {
    "list_invoices": {"payment_overdue": BOOL, "amount_from": INT, "amount_to": INT},
    "list_customers": {"search_term": STR},
}

OUR_TOOLS = [
    tool(
        t["function"]["name"],
        tuple(t["function"]["parameters"]["required"]),
        **t["function"]["parameters"]["properties"],
        **_EXTRAS.get(t["function"]["name"], {}),
    )
    for t in OFFICIAL_TOOLS
] + [
    tool("finalize_invoice", ("lago_id",), lago_id=STR),
    tool("update_customer", ("external_customer_id",), external_customer_id=STR, email=STR, name=STR),
    tool("list_wallets", ("external_customer_id",), external_customer_id=STR),
    tool(
        "remove_applied_coupon",
        ("external_customer_id", "applied_coupon_id"),
        external_customer_id=STR,
        applied_coupon_id=STR,
    ),
    tool("delete_customer", ("external_id",), external_id=STR),
    tool(
        "preview_invoice",
        customer_external_id=STR,
        plan_code=STR,
        subscriptions={"type": "object", "properties": {"external_ids": STR_LIST}},
    ),
]
