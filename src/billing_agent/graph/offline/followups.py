"""Follow-ups on an earlier list: "Tell me more about the first one", "the third invoice", "the last one"."""

from __future__ import annotations

import re
from typing import Any

from billing_agent.graph.offline.catalog import PlannedCall
from billing_agent.graph.offline.flows import Flow, Step
from billing_agent.graph.offline.request import Request
from billing_agent.graph.offline.results import ToolResult

ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
}
_RECORD_NOUNS = (
    r"(?:one|item|record|row|result|entry|invoice|customer|subscription|plan|coupon|payment|log|event|"
    r"credit note|wallet|metric)"
)
_ORDINAL = re.compile(r"\b(?:the\s+)?(" + "|".join(ORDINALS) + r")\s+" + _RECORD_NOUNS + r"\b")
_NUMBERED = re.compile(r"\b(?:number|no\.?|#|item|row)\s*(\d{1,3})\b")
_FOLLOWUP_HINT = re.compile(r"\b(?:more|details?|about|show|open|tell|what|which|describe|expand)\b")

# list tool prefix → (get tool, its id parameter, the record field holding that id, noun).
DETAIL_TOOLS: dict[str, tuple[str, str, str, str]] = {
    "invoice": ("get_invoice", "invoice_id", "lago_id", "invoice"),
    "customer": ("get_customer", "external_customer_id", "external_id", "customer"),
    "subscription": ("get_subscription", "external_id", "external_id", "subscription"),
    "plan": ("get_plan", "code", "code", "plan"),
    "coupon": ("get_coupon", "code", "code", "coupon"),
    "billable_metric": ("get_billable_metric", "code", "code", "billable metric"),
    "payment": ("get_payment", "lago_id", "lago_id", "payment"),
    "activity_log": ("get_activity_log", "activity_id", "activity_id", "activity log"),
    "api_log": ("get_api_log", "request_id", "request_id", "API log"),
    "credit_note": ("get_credit_note", "lago_id", "lago_id", "credit note"),
    "event": ("get_event", "transaction_id", "transaction_id", "event"),
    "wallet": ("get_wallet", "lago_id", "lago_id", "wallet"),
}


LIST_KINDS = {
    "list_invoices": "invoice",
    "list_customer_invoices": "invoice",
    "find_invoice_by_number": "invoice",
    "list_customers": "customer",
    "list_subscriptions": "subscription",
    "list_customer_subscriptions": "subscription",
    "list_plans": "plan",
    "list_coupons": "coupon",
    "list_billable_metrics": "billable_metric",
    "list_payments": "payment",
    "list_customer_payments": "payment",
    "list_activity_logs": "activity_log",
    "list_api_logs": "api_log",
    "list_credit_notes": "credit_note",
    "list_events": "event",
    "list_wallets": "wallet",
}


def followup_position(lower: str) -> int | None:
    """The 1-based position (−1 for last) of "the first one", "number 3", …; None when not a follow-up."""
    match = _ORDINAL.search(lower)
    if match and _FOLLOWUP_HINT.search(lower):
        return ORDINALS[match.group(1)]
    match = _NUMBERED.search(lower)
    if match and _FOLLOWUP_HINT.search(lower) and int(match.group(1)) > 0:
        return int(match.group(1))
    return None


def followup_flow(request: Request, position: int) -> Flow:
    """Fetches the details of the record at `position` in the most recent earlier list."""
    listing = _latest_listing(request.earlier)
    if listing is None:
        return (
            "There is no earlier list in this conversation to pick from; "
            "ask for one first, e.g. 'Show me overdue invoices'."
        )
    records = listing.records
    if position > len(records):
        return f"The last list had only {len(records)} item{'s' if len(records) != 1 else ''}."
    record = records[position - 1] if position > 0 else records[-1]
    detail = _detail_tool(listing.name)
    if detail is None:
        return f"Item {position if position > 0 else len(records)} of the last list: {_label(record)}."
    tool, param, field, noun = detail
    value = record.get(field)
    if not isinstance(value, str) or not value:
        return f"That {noun} has no {field} to look it up by."
    yield Step((PlannedCall.of(tool, **{param: value}),), f"Fetching {noun} {_label(record)}.")
    return f"Here are the details of {noun} {_label(record)}."


def _latest_listing(results: tuple[ToolResult, ...]) -> ToolResult | None:
    for result in reversed(results):
        if not result.is_error and result.name.startswith(("list_", "find_")) and result.records:
            return result
    return None


def _detail_tool(list_tool: str) -> tuple[str, str, str, str] | None:
    return DETAIL_TOOLS.get(LIST_KINDS.get(list_tool, ""))


def _label(record: dict[str, Any]) -> str:
    for key in ("number", "name", "external_id", "code", "activity_type", "request_id", "lago_id"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return value
    return "(unnamed)"


_NEXT_PAGE = re.compile(r"\b(?:next|following)\s+(?:page|results|ones|\d{1,3})\b|\b(?:show|list|see)\s+more\b")
_PAGE_NUMBER = re.compile(r"^(?:show |list |go to |see )?(?:the )?page\s+(\d{1,4})\b")


def page_request(lower: str) -> int | None:
    """0 for "next page" / "show more", n for "page n"; None when the request is not about paging."""
    match = _PAGE_NUMBER.search(lower)
    if match and int(match.group(1)) > 0:
        return int(match.group(1))
    return 0 if _NEXT_PAGE.search(lower) else None


def page_flow(request: Request, wanted: int) -> Flow:
    """Repeats the most recent list call for the next (or the given) page."""
    listing = _latest_listing(request.earlier)
    if listing is None:
        return "There is no earlier list in this conversation to page through; ask for one first."
    page = wanted or listing.next_page
    if page is None:
        return "That was the last page of the list."
    results = yield Step((PlannedCall((listing.name,), {**listing.args, "page": page}),), f"Fetching page {page}.")
    shown = len(results[0].records)
    total = results[0].total_count
    if shown == 0:
        return (
            f"Page {page} is empty; the list has {total:,} records." if total is not None else f"Page {page} is empty."
        )
    more = " Ask for the next page to see more." if results[0].next_page else ""
    of_total = f" of {total:,}" if total is not None else ""
    return f"Page {page}: {shown:,} more records{of_total} in total.{more}"
