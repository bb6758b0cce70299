"""Bulk requests: one `run_batch` call (action + target selection), never one call per record."""

from __future__ import annotations

import re
from typing import Any

from billing_agent.graph.offline.catalog import PlannedCall
from billing_agent.graph.offline.dates import parse_date_range
from billing_agent.graph.offline.entities import find_coupon_code
from billing_agent.graph.offline.flows import Flow, Step
from billing_agent.graph.offline.invoice_flows import INVOICE_FILTERS, invoice_action_tool
from billing_agent.graph.offline.request import Request
from billing_agent.graph.offline.results import ToolResult

BATCH_TOOL = "run_batch"
COUNTRIES = {
    "us": "US",
    "usa": "US",
    "american": "US",
    "united states": "US",
    "french": "FR",
    "france": "FR",
    "german": "DE",
    "germany": "DE",
    "uk": "GB",
    "british": "GB",
    "united kingdom": "GB",
    "canadian": "CA",
    "canada": "CA",
    "spanish": "ES",
    "spain": "ES",
    "italian": "IT",
    "italy": "IT",
    "dutch": "NL",
    "netherlands": "NL",
}
_COUNTRY = re.compile(
    r"\b("
    + "|".join(sorted(COUNTRIES, key=len, reverse=True))
    + r")[- ]based customers?\b|\b("
    + "|".join(sorted(COUNTRIES, key=len, reverse=True))
    + r") customers?\b|\bcustomers? (?:in|from|based in) (?:the )?("
    + "|".join(sorted(COUNTRIES, key=len, reverse=True))
    + r")\b"
)
_THESE = re.compile(r"\b(?:these|those|them)\b")
_RETRY_FAILED = re.compile(
    r"\bretry\b.*\b(?:failed|failures|failing)\b.*\b(?:ones?|items?|again)\b|\bretry the failures\b"
)
_CONTINUE = re.compile(r"\b(?:continue|resume|finish)\b.*\b(?:batch|rest)\b|\brun the rest\b")
_UNDO = re.compile(r"^(?:please\s+)?(?:undo|revert|roll ?back|reverse)\b")
_SHOW_FAILURES = re.compile(r"\b(?:show|list|see|which|what)\b.*\b(?:failures|failed ones|failed items|errors)\b")


def batch_call(**args: Any) -> PlannedCall:
    """A `run_batch` call with the given arguments (None values left out)."""
    return PlannedCall.of(BATCH_TOOL, **args)


def had_batch(request: Request) -> bool:
    """True when an earlier turn of this conversation ran a batch."""
    return any(result.name == BATCH_TOOL for result in request.earlier)


def batch_followup(request: Request) -> Flow | None:
    """'Retry the failed ones', 'undo that', 'show me the failures', 'continue the batch' after a batch."""
    if not had_batch(request):
        return None
    lower = request.lower
    if _SHOW_FAILURES.search(lower):
        return _run(batch_call(show="failures"), "Showing the failures of the last batch.")
    if _UNDO.search(lower):
        return _run(batch_call(undo=True), "Undoing the last batch.")
    if _CONTINUE.search(lower):
        return _run(batch_call(targets={"previous": "remaining"}), "Continuing the last batch with the items not run.")
    if _RETRY_FAILED.search(lower):
        return _run(batch_call(targets={"previous": "failed"}), "Retrying the failed items of the last batch.")
    return None


def _run(call: PlannedCall, say: str) -> Flow:
    results = yield Step((call,), say)
    return _done(results)


def _done(results: list[ToolResult]) -> str:
    return results[0].text if results else "Done."


def coupon_bulk_flow(request: Request) -> Flow:
    """Apply a coupon to every customer (of a country, when one is named), or to the customers listed before."""
    code = find_coupon_code(request.text)
    if code is None:
        return "Which coupon? Say e.g. 'Apply coupon SUMMER20 to all US customers'."
    if _THESE.search(request.lower):
        targets: dict[str, Any] = {"previous": "these"}
    else:
        filters = {"countries": [country]} if (country := find_country(request.lower)) else {}
        targets = {"selection": {"tool": "list_customers", "filters": filters}}
    call = batch_call(action="apply_coupon", targets=targets, args={"coupon_code": code})
    return (yield from _run(call, f"Applying coupon {code} in one batch."))


def find_country(lower: str) -> str | None:
    """The ISO country of "US customers", "customers in France", …"""
    match = _COUNTRY.search(lower)
    if match is None:
        return None
    name = next(group for group in match.groups() if group)
    return COUNTRIES[name]


def preview_bulk_flow(request: Request) -> Flow:
    """Preview the next invoice of every active subscription (read-only: no confirmation)."""
    call = batch_call(
        action="preview_invoice",
        targets={"selection": {"tool": "list_subscriptions", "filters": {"status": ["active"]}}},
        fill={"customer_external_id": "external_customer_id", "subscriptions.external_ids[]": "external_id"},
    )
    return (yield from _run(call, "Previewing the next invoices in one batch."))


def invoice_bulk_flow(request: Request, tool: str) -> Flow:
    """One invoice action on every invoice of a selection (status, overdue, dates), or on the ones listed before."""
    if _THESE.search(request.lower) and not re.search(r"\ball\b.*\binvoices\b", request.lower):
        call = batch_call(action=tool, targets={"previous": "these"}, fill={"lago_id": "lago_id"})
        return (yield from _run(call, f"Running {tool} on the listed invoices in one batch."))
    filters: dict[str, Any] = {}
    if tool == "retry_invoice" and re.search(r"\bfailed\b|\bfailing\b", request.lower):
        filters["status"] = "failed"
    for pattern, name, value, _ in INVOICE_FILTERS:
        if pattern.search(request.lower) and name not in filters and not (name == "payment_status" and filters):
            filters[name] = value
    period = parse_date_range(request.lower, request.today)
    if period is not None:
        filters.update(issuing_date_from=period.start.isoformat(), issuing_date_to=period.end.isoformat())
    call = batch_call(
        action=tool, targets={"selection": {"tool": "list_invoices", "filters": filters}}, fill={"lago_id": "lago_id"}
    )
    return (yield from _run(call, f"Running {tool} on the selected invoices in one batch."))


def these_action(request: Request) -> str | None:
    """The invoice action for "retry all of these": payment retries, or finalization retries after a failed list."""
    listing = next((r for r in reversed(request.earlier) if r.name.startswith("list_") and not r.is_error), None)
    if listing is None or "invoice" not in listing.name:
        return None
    if listing.args.get("status") == "failed":
        return "retry_invoice"
    return "retry_invoice_payment"


def bulk_flow(request: Request) -> Flow | None:
    """The flow for a bulk request, or None when the request is not one of the bulk requests understood."""
    lower = request.lower
    if "coupon" in lower and re.search(r"\b(?:apply|give|add)\b", lower):
        return coupon_bulk_flow(request)
    if re.search(r"\bpreviews?\b", lower) and "subscription" in lower:
        return preview_bulk_flow(request)
    action = invoice_action_tool(lower)
    if re.search(r"\bretry\b.*\bpayments?\b|\bpayments?\b.*\bretry\b", lower):
        action = ("retry_invoice_payment", "Retried the payment of")
    if action is not None and action[0] != "download_invoice":
        tool = action[0]
        if _THESE.search(lower) and "invoice" not in lower:
            tool = these_action(request) or tool
        if "invoice" in lower or _THESE.search(lower) or "payment" in lower:
            return invoice_bulk_flow(request, tool)
    return None
