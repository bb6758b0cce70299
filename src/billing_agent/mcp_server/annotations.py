"""The one table of tool names → MCP annotations (title and behaviour hints).

Rules the hints follow:
- `readOnlyHint`: the call changes nothing in Lago (reads, previews, PDF download links).
- `destructiveHint`: the call moves money or issues billing documents (invoices, payments, refunds, top-ups,
  subscriptions that start billing or change plan), or terminates, voids or deletes something. Edits of fields
  that can be set back (updates, upserts, catalogue creations, events, coupon applications) are not destructive.
- `idempotentHint`: repeating the same call leaves Lago as one call did (keyed creates, updates, terminations).
- `openWorldHint`: always true — every tool talks to a remote Lago instance whose data also changes outside
  this server (other users, webhooks, payment providers).
"""

from __future__ import annotations

from dataclasses import dataclass

from mcp.types import ToolAnnotations


@dataclass(frozen=True)
class ToolHints:
    """Title and behaviour hints of one tool."""

    title: str
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False

    def annotations(self) -> ToolAnnotations:
        """The MCP `ToolAnnotations` with every hint set explicitly."""
        return ToolAnnotations(
            title=self.title,
            readOnlyHint=self.read_only,
            destructiveHint=self.destructive,
            idempotentHint=self.idempotent or self.read_only,
            openWorldHint=True,
        )


def _read(title: str) -> ToolHints:
    return ToolHints(title, read_only=True, idempotent=True)


def _write(title: str, *, idempotent: bool) -> ToolHints:
    return ToolHints(title, idempotent=idempotent)


def _destructive(title: str, *, idempotent: bool) -> ToolHints:
    return ToolHints(title, destructive=True, idempotent=idempotent)


TOOL_HINTS: dict[str, ToolHints] = {
    # invoices
    "get_invoice": _read("Get invoice"),
    "find_invoice_by_number": _read("Find invoice by number"),
    "list_invoices": _read("List invoices"),
    "list_customer_invoices": _read("List a customer's invoices"),
    "preview_invoice": _read("Preview invoice"),
    "download_invoice": _read("Download invoice PDF"),
    "create_invoice": _destructive("Create one-off invoice", idempotent=False),
    "update_invoice": _write("Update invoice", idempotent=True),
    "refresh_invoice": _write("Refresh draft invoice", idempotent=True),
    "finalize_invoice": _destructive("Finalize draft invoice", idempotent=True),
    "retry_invoice": _destructive("Retry failed invoice", idempotent=True),
    "retry_invoice_payment": _destructive("Retry invoice payment", idempotent=False),
    "void_invoice": _destructive("Void invoice", idempotent=True),
    # customers
    "get_customer": _read("Get customer"),
    "list_customers": _read("List customers"),
    "create_customer": _write("Create or update customer", idempotent=True),
    "update_customer": _write("Update customer", idempotent=True),
    "delete_customer": _destructive("Delete customer", idempotent=True),
    "get_customer_current_usage": _read("Get customer current usage"),
    # subscriptions
    "list_subscriptions": _read("List subscriptions"),
    "get_subscription": _read("Get subscription"),
    "list_customer_subscriptions": _read("List a customer's subscriptions"),
    "create_subscription": _destructive("Create subscription", idempotent=False),
    "update_subscription": _destructive("Update subscription or change its plan", idempotent=True),
    "delete_subscription": _destructive("Terminate subscription", idempotent=True),
    # billable metrics
    "get_billable_metric": _read("Get billable metric"),
    "list_billable_metrics": _read("List billable metrics"),
    "create_billable_metric": _write("Create billable metric", idempotent=True),
    "update_billable_metric": _write("Update billable metric", idempotent=True),
    # logs
    "get_activity_log": _read("Get activity log"),
    "list_activity_logs": _read("List activity logs"),
    "get_api_log": _read("Get API log"),
    "list_api_logs": _read("List API logs"),
    # coupons
    "list_coupons": _read("List coupons"),
    "get_coupon": _read("Get coupon"),
    "create_coupon": _write("Create coupon", idempotent=True),
    "update_coupon": _write("Update coupon", idempotent=True),
    "delete_coupon": _destructive("Terminate coupon", idempotent=True),
    "list_applied_coupons": _read("List applied coupons"),
    "apply_coupon": _write("Apply coupon to customer", idempotent=False),
    "remove_applied_coupon": _destructive("Remove applied coupon", idempotent=True),
    # events
    "get_event": _read("Get event"),
    "create_event": _write("Send usage event", idempotent=True),
    "send_events_batch": _write("Send usage events (batch)", idempotent=True),
    "list_events": _read("List events"),
    # credit notes
    "list_credit_notes": _read("List credit notes"),
    "get_credit_note": _read("Get credit note"),
    "create_credit_note": _destructive("Create credit note", idempotent=False),
    "update_credit_note": _write("Update credit note refund status", idempotent=True),
    "void_credit_note": _destructive("Void credit note", idempotent=True),
    # plans
    "list_plans": _read("List plans"),
    "get_plan": _read("Get plan"),
    "create_plan": _write("Create plan", idempotent=True),
    "update_plan": _write("Update plan", idempotent=True),
    "delete_plan": _destructive("Delete plan", idempotent=True),
    # payments
    "list_payments": _read("List payments"),
    "get_payment": _read("Get payment"),
    "list_customer_payments": _read("List a customer's payments"),
    "create_payment": _destructive("Record manual payment", idempotent=False),
    # wallets
    "list_wallets": _read("List wallets"),
    "get_wallet": _read("Get wallet"),
    "list_wallet_transactions": _read("List wallet transactions"),
    "create_wallet": _destructive("Create wallet", idempotent=False),
    "top_up_wallet": _destructive("Top up wallet", idempotent=False),
    "terminate_wallet": _destructive("Terminate wallet", idempotent=True),
}

OFFICIAL_TOOL_NAMES: frozenset[str] = frozenset(
    {
        "get_invoice",
        "find_invoice_by_number",
        "list_invoices",
        "list_customer_invoices",
        "preview_invoice",
        "create_invoice",
        "update_invoice",
        "refresh_invoice",
        "download_invoice",
        "retry_invoice",
        "retry_invoice_payment",
        "void_invoice",
        "get_customer",
        "list_customers",
        "create_customer",
        "get_customer_current_usage",
        "list_subscriptions",
        "get_subscription",
        "list_customer_subscriptions",
        "create_subscription",
        "update_subscription",
        "delete_subscription",
        "get_billable_metric",
        "list_billable_metrics",
        "create_billable_metric",
        "update_billable_metric",
        "get_activity_log",
        "list_activity_logs",
        "get_api_log",
        "list_api_logs",
        "list_coupons",
        "get_coupon",
        "create_coupon",
        "update_coupon",
        "delete_coupon",
        "list_applied_coupons",
        "apply_coupon",
        "get_event",
        "create_event",
        "list_events",
        "list_credit_notes",
        "get_credit_note",
        "create_credit_note",
        "update_credit_note",
        "list_plans",
        "get_plan",
        "create_plan",
        "update_plan",
        "delete_plan",
        "list_payments",
        "get_payment",
        "list_customer_payments",
        "create_payment",
    }
)
"""The 53 tool names of Lago's official MCP server (getlago/lago-agent-toolkit), all served here too."""


def hints_for(name: str) -> ToolHints:
    """The hints of a tool; a KeyError names the tool missing from the table."""
    try:
        return TOOL_HINTS[name]
    except KeyError:
        raise KeyError(f"tool {name!r} has no entry in TOOL_HINTS; add its title and hints there") from None
