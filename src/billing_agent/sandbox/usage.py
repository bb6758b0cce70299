"""Current usage of a subscription: its period's events aggregated per charge and priced by the plan."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from billing_agent.sandbox import kinds
from billing_agent.sandbox.charges import price_cents
from billing_agent.sandbox.http import not_allowed, not_found
from billing_agent.sandbox.lookups import customer_subscriptions
from billing_agent.sandbox.periods import current_period
from billing_agent.sandbox.store import Record, SandboxStore, iso
from billing_agent.sandbox.validation import decimal_text, parse_datetime, to_decimal


def current_usage(
    store: SandboxStore, org_id: str, external_customer_id: str, external_subscription_id: str | None, now: datetime
) -> Record:
    """Lago's `customer_usage` object for the subscription's current billing period.

    Raises 404 `customer_not_found` / `subscription_not_found`, and 405 `no_active_subscription` when the
    subscription exists for the customer but is not active.
    """
    customer = store.get(org_id, kinds.CUSTOMER, external_customer_id)
    if customer is None:
        raise not_found("customer")
    candidates = [
        s
        for s in customer_subscriptions(store, org_id, external_customer_id)
        if s["external_id"] == external_subscription_id
    ]
    if not candidates:
        raise not_found("subscription")
    subscription = next((s for s in reversed(candidates) if s["status"] == "active"), None)
    plan = store.get(org_id, kinds.PLAN, subscription["plan_code"]) if subscription else None
    if subscription is None or plan is None:
        raise not_allowed("no_active_subscription")
    started = parse_datetime(subscription["started_at"]) or now
    start, end = current_period(plan["interval"], subscription["billing_time"], started, now)
    start = max(start, started)
    events = [
        e
        for e in store.snapshot(org_id, kinds.EVENT)
        if e["lago_subscription_id"] == subscription["lago_id"] and iso(start) <= e["timestamp"] <= iso(end)
    ]
    metrics = {m["code"]: m for m in store.snapshot(org_id, kinds.BILLABLE_METRIC)}
    charges_usage = [
        _charge_usage(charge, metrics[charge["billable_metric_code"]], events, plan["amount_currency"])
        for charge in plan["charges"]
        if charge["billable_metric_code"] in metrics
    ]
    amount = sum(item["amount_cents"] for item in charges_usage)
    return {
        "from_datetime": iso(start),
        "to_datetime": iso(end),
        "issuing_date": (end + timedelta(seconds=1)).date().isoformat(),
        "lago_invoice_id": None,
        "currency": plan["amount_currency"],
        "amount_cents": amount,
        "taxes_amount_cents": 0,
        "total_amount_cents": amount,
        "charges_usage": charges_usage,
    }


def aggregate(metric: Record, events: list[Record]) -> Decimal:
    """The metric's aggregation over `events` (weighted sums are approximated by plain sums)."""
    aggregation = metric["aggregation_type"]
    if aggregation == "count_agg":
        return Decimal(len(events))
    field = metric.get("field_name") or ""
    raw = [e["properties"].get(field) for e in sorted(events, key=lambda e: e["timestamp"])]
    if aggregation == "unique_count_agg":
        return Decimal(len({str(value) for value in raw if value is not None}))
    values = [number for number in (to_decimal(value) for value in raw) if number is not None]
    if not values:
        return Decimal(0)
    if aggregation == "max_agg":
        return max(values)
    if aggregation == "latest_agg":
        return values[-1]
    return sum(values, Decimal(0))


def _charge_usage(charge: Record, metric: Record, events: list[Record], currency: str) -> Record:
    matching = [e for e in events if e["code"] == metric["code"]]
    units = aggregate(metric, matching)
    return {
        "units": decimal_text(units),
        "total_aggregated_units": decimal_text(units),
        "events_count": len(matching),
        "amount_cents": price_cents(charge, units),
        "amount_currency": currency,
        "charge": {
            "lago_id": charge["lago_id"],
            "charge_model": charge["charge_model"],
            "invoice_display_name": charge.get("invoice_display_name"),
        },
        "billable_metric": {
            "lago_id": metric["lago_id"],
            "name": metric["name"],
            "code": metric["code"],
            "aggregation_type": metric["aggregation_type"],
        },
        "filters": [],
        "grouped_usage": [],
    }
