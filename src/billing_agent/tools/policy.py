"""Risk policy: which tool calls run freely (read-only) and which need a human's confirmation.

Order of precedence: the explicit table below (our tools and the 53 names of Lago's official MCP server),
then the tool's MCP annotations (`readOnlyHint`, `destructiveHint`), and anything unknown or unannotated
counts as destructive (the MCP specification's default).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from langchain_core.tools import BaseTool

from billing_agent.mcp_server.annotations import OFFICIAL_TOOL_NAMES


class Risk(StrEnum):
    """How much a tool call can change: reads run freely, writes and destructive calls are confirmed."""

    READ = "read"
    WRITE = "write"
    DESTRUCTIVE = "destructive"

    @property
    def needs_confirmation(self) -> bool:
        """True for every risk but READ."""
        return self is not Risk.READ


_READ_ONLY = {
    # invoices
    "get_invoice",
    "find_invoice_by_number",
    "list_invoices",
    "list_customer_invoices",
    "preview_invoice",
    "download_invoice",
    # customers
    "get_customer",
    "list_customers",
    "get_customer_current_usage",
    # subscriptions
    "list_subscriptions",
    "get_subscription",
    "list_customer_subscriptions",
    # billable metrics
    "get_billable_metric",
    "list_billable_metrics",
    # logs
    "get_activity_log",
    "list_activity_logs",
    "get_api_log",
    "list_api_logs",
    # coupons
    "list_coupons",
    "get_coupon",
    "list_applied_coupons",
    # events
    "get_event",
    "list_events",
    # credit notes
    "list_credit_notes",
    "get_credit_note",
    # plans
    "list_plans",
    "get_plan",
    # payments
    "list_payments",
    "get_payment",
    "list_customer_payments",
    # wallets (ours)
    "list_wallets",
    "get_wallet",
    "list_wallet_transactions",
}

_WRITE = {
    "update_invoice",
    "refresh_invoice",
    "create_customer",
    "update_customer",
    "create_billable_metric",
    "update_billable_metric",
    "create_coupon",
    "update_coupon",
    "apply_coupon",
    "create_event",
    "send_events_batch",
    "update_credit_note",
    "create_plan",
    "update_plan",
}

_DESTRUCTIVE = {
    # money moves, documents are issued, or something is terminated, voided or deleted
    "create_invoice",
    "finalize_invoice",
    "retry_invoice",
    "retry_invoice_payment",
    "void_invoice",
    "create_subscription",
    "update_subscription",  # a plan_code changes what the customer is billed
    "delete_subscription",
    "delete_customer",
    "delete_coupon",
    "remove_applied_coupon",
    "create_credit_note",
    "void_credit_note",
    "delete_plan",
    "create_payment",
    "create_wallet",
    "top_up_wallet",
    "terminate_wallet",
}

# Kept apart from the MCP server's annotations on purpose: a tool only runs without confirmation when both
# declarations call it read-only (tests/graph/test_policy.py pins that they agree).
RISK_TABLE: Mapping[str, Risk] = {
    **{name: Risk.READ for name in _READ_ONLY},
    **{name: Risk.WRITE for name in _WRITE},
    **{name: Risk.DESTRUCTIVE for name in _DESTRUCTIVE},
}


def risk_from_annotations(metadata: Mapping[str, Any] | None) -> Risk:
    """Risk from MCP annotations alone; missing hints mean destructive (MCP default)."""
    hints = metadata or {}
    if hints.get("readOnlyHint") is True:
        return Risk.READ
    if hints.get("destructiveHint") is False:
        return Risk.WRITE
    return Risk.DESTRUCTIVE


class ToolPolicy:
    """Risk per tool name for one tool set; names the set does not know are destructive."""

    def __init__(self, tools: Iterable[BaseTool] = (), table: Mapping[str, Risk] = RISK_TABLE) -> None:
        self._risks: dict[str, Risk] = {}
        for tool in tools:
            self._risks[tool.name] = self._resolve(tool, table)

    @staticmethod
    def _resolve(tool: BaseTool, table: Mapping[str, Risk]) -> Risk:
        known = table.get(tool.name)
        if known is None:
            return risk_from_annotations(tool.metadata)
        if known is Risk.READ and (tool.metadata or {}).get("readOnlyHint") is False:
            # The server says this tool writes: trust the stricter answer.
            return risk_from_annotations({**(tool.metadata or {}), "readOnlyHint": None})
        return known

    def risk(self, tool_name: str) -> Risk:
        """The risk of calling `tool_name`; unknown names count as destructive."""
        return self._risks.get(tool_name, RISK_TABLE.get(tool_name, Risk.DESTRUCTIVE))

    def is_read_only(self, tool_name: str) -> bool:
        """True when a call to `tool_name` may run without confirmation."""
        return self.risk(tool_name) is Risk.READ


__all__ = ["OFFICIAL_TOOL_NAMES", "RISK_TABLE", "Risk", "ToolPolicy", "risk_from_annotations"]
