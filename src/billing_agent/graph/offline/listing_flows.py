"""Plain listing flows: plans, coupons, subscriptions, logs, events, credit notes, metrics, wallets."""

from __future__ import annotations

from datetime import date
from typing import Any

from billing_agent.graph.offline.catalog import PlannedCall
from billing_agent.graph.offline.dates import DateRange, parse_date_range
from billing_agent.graph.offline.entities import CustomerRef
from billing_agent.graph.offline.flows import Flow, Step
from billing_agent.graph.offline.lookups import resolve_customer
from billing_agent.graph.offline.replies import count_sentence, plural
from billing_agent.graph.offline.request import Request
from billing_agent.graph.offline.results import ToolResult

MAX_PER_PAGE = 100
MAX_NAMED = 10
ALL_SUBSCRIPTION_STATUSES = ["active", "pending", "canceled", "terminated"]
CREATED_FIELDS = ("created_at", "started_at", "subscription_at")

# tool → noun used in answers, for tools listed without arguments.
SIMPLE_LISTS = {
    "list_plans": "plan",
    "list_coupons": "coupon",
    "list_billable_metrics": "billable metric",
    "list_credit_notes": "credit note",
    "list_events": "event",
}


def simple_list_flow(request: Request, tool: str) -> Flow:
    """Lists one kind of record without filters."""
    results = yield Step((PlannedCall.of(tool),), f"Listing {SIMPLE_LISTS[tool]}s.")
    return count_sentence(results[0], SIMPLE_LISTS[tool])


def logs_flow(request: Request, api: bool) -> Flow:
    """Latest activity logs or API logs, optionally within a time range."""
    tool, noun = ("list_api_logs", "API log") if api else ("list_activity_logs", "activity log")
    period = parse_date_range(request.lower, request.today)
    args = {"from_date": period.start.isoformat(), "to_date": period.end.isoformat()} if period else {}
    results = yield Step((PlannedCall((tool,), args),), f"Listing {noun}s.")
    return count_sentence(results[0], noun, period.describe() if period else "")


def wallets_flow(request: Request, ref: CustomerRef | None) -> Flow:
    """A customer's wallets (Lago lists wallets per customer only)."""
    if ref is None:
        return "Wallets are listed per customer: say e.g. 'Show wallets for customer acme_corp'."
    customer = yield from resolve_customer(request, ref)
    call = PlannedCall.of("list_wallets", external_customer_id=customer.external_id)
    results = yield Step((call,), f"Listing the wallets of {customer.label}.")
    return count_sentence(results[0], "wallet", f"for {customer.label}")


def subscriptions_flow(request: Request, ref: CustomerRef | None) -> Flow:
    """Subscriptions, optionally of one customer and created within a time range."""
    args: dict[str, Any] = {}
    optional: dict[str, Any] = {}
    qualifiers: list[str] = []
    if ref is not None:
        customer = yield from resolve_customer(request, ref)
        args["external_customer_id"] = customer.external_id
        qualifiers.append(f"for {customer.label}")
    if "all" in request.lower.split() or "any status" in request.lower:
        optional["status"] = ALL_SUBSCRIPTION_STATUSES
    period = parse_date_range(request.lower, request.today)
    server_filters_dates = period is not None and request.catalog.accepts("list_subscriptions", "created_at_from")
    if period is not None and server_filters_dates:
        args.update(created_at_from=period.start.isoformat(), created_at_to=period.end.isoformat())
    elif period is not None:
        optional["per_page"] = MAX_PER_PAGE  # filtered here by creation date: check as many as one page holds
    names = ("list_subscriptions", "list_customer_subscriptions") if ref else ("list_subscriptions",)
    results = yield Step((PlannedCall(names, args, optional),), "Listing subscriptions.")
    if period is None or server_filters_dates:
        if period is not None:
            qualifiers.append(f"created {period.describe()}")
        return count_sentence(results[0], "subscription", " ".join(qualifiers))
    return _created_within(results[0], period, " ".join(qualifiers))


def _created_within(result: ToolResult, period: DateRange, qualifier: str) -> str:
    """Counts the listed subscriptions created in the period (the tool has no date filter)."""
    matching = [str(r.get("external_id")) for r in result.records if _created_in(r, period)]
    listed = len(result.records)
    suffix = f" {qualifier}" if qualifier else ""
    named = ", ".join(matching[:MAX_NAMED]) + (
        f" and {len(matching) - MAX_NAMED} more" if len(matching) > MAX_NAMED else ""
    )
    sentence = f"{plural(len(matching), 'subscription')}{suffix} created {period.describe()}"
    sentence += f": {named}." if matching else "."
    total = result.total_count
    if total is not None and total > listed:
        sentence += f" I checked the first {listed:,} of {total:,} subscriptions; ask for the next page to check more."
    return sentence


def _created_in(record: dict[str, Any], period: DateRange) -> bool:
    created = _created_on(record)
    return created is not None and period.contains(created)


def _created_on(record: dict[str, Any]) -> date | None:
    for key in CREATED_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None
