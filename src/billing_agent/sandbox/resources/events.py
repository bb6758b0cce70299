"""Sandbox routes: usage events (create, batch of at most 100, get, list)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.http import Ctx, LagoError, bad_request, list_response, not_found, ok
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.lookups import find_subscription, require
from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow
from billing_agent.sandbox.validation import Checker, parse_datetime, to_decimal

MAX_BATCH = 100
_SUBSCRIPTION_STATUSES = ("active", "pending", "terminated", "canceled")


def new_event(
    subscription: Record,
    code: str,
    transaction_id: str,
    timestamp: datetime,
    properties: Record,
    *,
    lago_id: str | None = None,
    created_at: str | None = None,
    precise_total_amount_cents: str | None = None,
) -> Record:
    """A stored event, linked to its subscription and customer."""
    return {
        "lago_id": lago_id or new_id(),
        "transaction_id": transaction_id,
        "lago_customer_id": subscription["lago_customer_id"],
        "code": code,
        "timestamp": iso(timestamp),
        "precise_total_amount_cents": precise_total_amount_cents,
        "properties": properties,
        "lago_subscription_id": subscription["lago_id"],
        "external_subscription_id": subscription["external_id"],
        "created_at": created_at or iso(utcnow()),
    }


def event_time(value: Any, default: datetime) -> datetime | None:
    """An event timestamp: Unix seconds (number or numeric text) or ISO 8601; `default` when absent."""
    if value in (None, ""):
        return default
    number = to_decimal(value)
    if number is not None:
        try:
            return datetime.fromtimestamp(float(number), UTC).replace(microsecond=0)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_datetime(value)


def _build(store: SandboxStore, org_id: str, data: dict[str, Any], seen: set[str]) -> Record:
    """Validate one event payload and build its record (raises Lago's error on the first problem)."""
    check = Checker(data)
    check.mandatory("transaction_id", "code", "external_subscription_id")
    timestamp = event_time(data.get("timestamp"), utcnow())
    if timestamp is None:
        check.add("timestamp", "invalid_format")
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        check.add("properties", "invalid_format")
    amount = data.get("precise_total_amount_cents")
    if amount is not None and to_decimal(amount) is None:
        check.add("precise_total_amount_cents", "invalid_format")
    transaction_id = str(data.get("transaction_id") or "")
    if transaction_id and (transaction_id in seen or store.get(org_id, kinds.EVENT, transaction_id) is not None):
        check.add("transaction_id", "value_already_exist")
    check.done()
    subscription = find_subscription(store, org_id, str(data["external_subscription_id"]), _SUBSCRIPTION_STATUSES)
    if subscription is None:
        raise not_found("subscription")
    require(store, org_id, kinds.BILLABLE_METRIC, str(data["code"]))
    assert timestamp is not None
    precise = None if amount is None else str(amount)
    return new_event(
        subscription, str(data["code"]), transaction_id, timestamp, properties, precise_total_amount_cents=precise
    )


def _as_created(event: Record) -> Record:
    """The creation answer: Lago ingests asynchronously, so the customer id is not resolved yet."""
    return {**event, "lago_customer_id": None}


def _save(store: SandboxStore, org_id: str, event: Record) -> None:
    store.put(org_id, kinds.EVENT, event["transaction_id"], event)
    record_activity(
        store, org_id, "event.created", "Event", event, external_subscription_id=event["external_subscription_id"]
    )


async def create_event(ctx: Ctx) -> Response:
    """POST /events (422 `{"transaction_id": ["value_already_exist"]}` on a duplicate)."""
    data = await ctx.envelope("event")
    with ctx.store.transaction():
        event = _build(ctx.store, ctx.org_id, data, set())
        _save(ctx.store, ctx.org_id, event)
    return ok({"event": _as_created(event)})


async def create_events_batch(ctx: Ctx) -> Response:
    """POST /events/batch: at most 100 events, all or none (errors keyed by the event's index)."""
    body = await ctx.body()
    items = body.get("events")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise bad_request("param is missing or the value is empty: events")
    if len(items) > MAX_BATCH:
        raise LagoError(422, "validation_errors", {"events": ["too_many_events"]})
    if not items:
        raise LagoError(422, "validation_errors", {"events": ["value_is_mandatory"]})
    errors: dict[str, Any] = {}
    built: list[Record] = []
    seen: set[str] = set()
    store, org_id = ctx.store, ctx.org_id
    with store.transaction():
        for index, item in enumerate(items):
            try:
                event = _build(store, org_id, item, seen)
            except LagoError as error:
                errors[str(index)] = error.details if error.details is not None else {"base": [error.code]}
                continue
            seen.add(event["transaction_id"])
            built.append(event)
        if errors:
            raise LagoError(422, "validation_errors", cast(dict[str, list[str]], errors))
        for event in built:
            _save(store, org_id, event)
    return ok({"events": [_as_created(event) for event in built]})


async def get_event(ctx: Ctx) -> Response:
    """GET /events/{transaction_id}."""
    event = ctx.store.get(ctx.org_id, kinds.EVENT, ctx.path("transaction_id"))
    if event is None:
        raise not_found("event")
    return ok({"event": event})


async def list_events(ctx: Ctx) -> Response:
    """GET /events, newest timestamp first: filters `external_subscription_id`, `code`, `timestamp_from/to`."""
    subscription_id, code = ctx.query("external_subscription_id"), ctx.query("code")
    bounds = []
    for name in ("timestamp_from", "timestamp_to"):
        raw = ctx.query(name)
        moment = parse_datetime(raw) if raw else None
        if raw and moment is None:
            raise LagoError(422, "validation_errors", {name: ["invalid_date"]})
        bounds.append(iso(moment) if moment else None)
    start, end = bounds
    selected = [
        e
        for e in ctx.store.snapshot(ctx.org_id, kinds.EVENT)
        if (subscription_id is None or e["external_subscription_id"] == subscription_id)
        and (code is None or e["code"] == code)
        and (start is None or e["timestamp"] >= start)
        and (end is None or e["timestamp"] <= end)
    ]
    selected.sort(key=lambda e: e["timestamp"], reverse=True)
    return list_response(ctx, "events", selected)


ROUTES: list[BaseRoute] = [
    api_route("/events", "POST", create_event),
    api_route("/events/batch", "POST", create_events_batch),
    api_route("/events", "GET", list_events),
    api_route("/events/{transaction_id}", "GET", get_event),
]
