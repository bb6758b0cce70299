"""Sandbox routes: subscriptions (create, plan change, list with `status[]` defaulting to active, update, terminate)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.http import Ctx, list_response, not_found, ok
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.lookups import find_subscription, require
from billing_agent.sandbox.periods import current_period
from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow
from billing_agent.sandbox.validation import Checker, parse_datetime, single_error

LIVE_STATUSES = ("active", "pending")
STATUSES = ("active", "pending", "terminated", "canceled")


def new_subscription(
    customer: Record,
    plan: Record,
    external_id: str,
    *,
    subscription_at: datetime,
    now: datetime,
    name: str | None = None,
    billing_time: str = "calendar",
    ending_at: datetime | None = None,
) -> Record:
    """A subscription of `customer` to `plan`: active when `subscription_at` has come, else pending."""
    active = subscription_at <= now
    return {
        "lago_id": new_id(),
        "external_id": external_id,
        "lago_customer_id": customer["lago_id"],
        "external_customer_id": customer["external_id"],
        "billing_entity_code": customer.get("billing_entity_code") or "default",
        "billing_time": billing_time,
        "name": name,
        "plan_code": plan["code"],
        "plan_amount_cents": plan["amount_cents"],
        "plan_amount_currency": plan["amount_currency"],
        "status": "active" if active else "pending",
        "created_at": iso(now),
        "canceled_at": None,
        "started_at": iso(subscription_at) if active else None,
        "activated_at": iso(subscription_at) if active else None,
        "ending_at": iso(ending_at) if ending_at else None,
        "subscription_at": iso(subscription_at),
        "terminated_at": None,
        "previous_plan_code": None,
        "next_plan_code": None,
        "downgrade_plan_date": None,
        "trial_ended_at": None,
        "current_billing_period_started_at": None,
        "current_billing_period_ending_at": None,
        "on_termination_credit_note": "credit" if plan.get("pay_in_advance") else None,
        "on_termination_invoice": "generate",
        "purchase_order_number": None,
        "applied_invoice_custom_sections": [],
        "consolidate_invoice": False,
    }


def billing_period(subscription: Record, plan: Record | None, now: datetime) -> tuple[datetime, datetime] | None:
    """The current billing period of an active subscription, None otherwise."""
    if subscription["status"] != "active" or plan is None or not subscription.get("started_at"):
        return None
    started = parse_datetime(subscription["started_at"]) or now
    return current_period(plan["interval"], subscription["billing_time"], started, now)


def render(subscription: Record, plan: Record | None, now: datetime, *, with_plan: bool = False) -> Record:
    """The API form: the current billing period filled in, and the plan when `with_plan`."""
    shown = dict(subscription)
    period = billing_period(subscription, plan, now)
    if period:
        shown["current_billing_period_started_at"] = iso(period[0])
        shown["current_billing_period_ending_at"] = iso(period[1])
    if with_plan and plan is not None:
        shown["plan"] = plan
    return shown


def end_subscription(store: SandboxStore, org_id: str, subscription: Record, moment: datetime | None = None) -> Record:
    """Terminate an active subscription, cancel a pending one; saves it and logs the activity."""
    when = iso(moment or utcnow())
    if subscription["status"] == "pending":
        subscription.update(status="canceled", canceled_at=when)
        activity = "subscription.canceled"
    else:
        subscription.update(status="terminated", terminated_at=when)
        activity = "subscription.terminated"
    store.put(org_id, kinds.SUBSCRIPTION, subscription["lago_id"], subscription)
    record_activity(
        store,
        org_id,
        activity,
        "Subscription",
        subscription,
        external_customer_id=subscription["external_customer_id"],
        external_subscription_id=subscription["external_id"],
    )
    return subscription


def _validate(data: dict[str, Any]) -> None:
    check = Checker(data)
    check.mandatory("external_customer_id", "plan_code", "external_id")
    check.one_of("billing_time", ("calendar", "anniversary"))
    check.datetime("subscription_at")
    check.datetime("ending_at")
    check.done()


def _ensure_currency(store: SandboxStore, org_id: str, customer: Record, plan: Record) -> None:
    currency = plan["amount_currency"]
    if customer.get("currency") and customer["currency"] != currency:
        raise single_error("currency", "currencies_does_not_match")
    if not customer.get("currency"):
        customer["currency"] = currency
        store.put(org_id, kinds.CUSTOMER, customer["external_id"], customer)


def _log(
    store: SandboxStore, org_id: str, activity: str, subscription: Record, changes: dict[str, Any] | None = None
) -> None:
    record_activity(
        store,
        org_id,
        activity,
        "Subscription",
        subscription,
        changes=changes,
        external_customer_id=subscription["external_customer_id"],
        external_subscription_id=subscription["external_id"],
    )


def _change_plan(
    store: SandboxStore, org_id: str, current: Record, customer: Record, plan: Record, now: datetime
) -> Record:
    """Upgrade now (old one terminated) or downgrade at the end of the period (new one pending)."""
    old_plan = store.get(org_id, kinds.PLAN, current["plan_code"])
    if current["status"] == "pending":
        current.update(plan_code=plan["code"], plan_amount_cents=plan["amount_cents"])
        store.put(org_id, kinds.SUBSCRIPTION, current["lago_id"], current)
        _log(store, org_id, "subscription.updated", current)
        return current
    if plan["amount_cents"] >= current["plan_amount_cents"]:
        current["next_plan_code"] = plan["code"]
        end_subscription(store, org_id, current, now)
        upgraded = new_subscription(
            customer,
            plan,
            current["external_id"],
            subscription_at=now,
            now=now,
            name=current["name"],
            billing_time=current["billing_time"],
        )
        upgraded["previous_plan_code"] = current["plan_code"]
        store.put(org_id, kinds.SUBSCRIPTION, upgraded["lago_id"], upgraded)
        _log(store, org_id, "subscription.started", upgraded)
        return upgraded
    period = billing_period(current, old_plan, now)
    switch_at = period[1] + timedelta(seconds=1) if period else now
    downgraded = new_subscription(
        customer,
        plan,
        current["external_id"],
        subscription_at=switch_at,
        now=now,
        name=current["name"],
        billing_time=current["billing_time"],
    )
    downgraded["previous_plan_code"] = current["plan_code"]
    store.put(org_id, kinds.SUBSCRIPTION, downgraded["lago_id"], downgraded)
    current.update(next_plan_code=plan["code"], downgrade_plan_date=switch_at.date().isoformat())
    store.put(org_id, kinds.SUBSCRIPTION, current["lago_id"], current)
    _log(store, org_id, "subscription.updated", current)
    return current


async def create_subscription(ctx: Ctx) -> Response:
    """POST /subscriptions: subscribe a customer to a plan (a new plan on a live `external_id` changes plans)."""
    data = await ctx.envelope("subscription")
    _validate(data)
    store, org_id, now = ctx.store, ctx.org_id, utcnow()
    with store.transaction():
        customer = require(store, org_id, kinds.CUSTOMER, str(data["external_customer_id"]))
        plan = require(store, org_id, kinds.PLAN, str(data["plan_code"]))
        _ensure_currency(store, org_id, customer, plan)
        current = find_subscription(store, org_id, str(data["external_id"]), LIVE_STATUSES)
        if current is not None:
            if current["external_customer_id"] != customer["external_id"] or current["plan_code"] == plan["code"]:
                raise single_error("external_id", "value_already_exist")
            subscription = _change_plan(store, org_id, current, customer, plan, now)
        else:
            subscription = new_subscription(
                customer,
                plan,
                str(data["external_id"]),
                subscription_at=parse_datetime(data.get("subscription_at")) or now,
                now=now,
                name=data.get("name"),
                billing_time=data.get("billing_time") or "calendar",
                ending_at=parse_datetime(data.get("ending_at")),
            )
            store.put(org_id, kinds.SUBSCRIPTION, subscription["lago_id"], subscription)
            activity = "subscription.started" if subscription["status"] == "active" else "subscription.created"
            _log(store, org_id, activity, subscription)
    plan_now = store.get(org_id, kinds.PLAN, subscription["plan_code"])
    return ok({"subscription": render(subscription, plan_now, now, with_plan=True)})


def _list(ctx: Ctx, external_customer_id: str | None) -> Response:
    statuses = set(ctx.query_list("status") or ["active"])
    plan_code, currency = ctx.query("plan_code"), ctx.query("currency")
    plans = {plan["code"]: plan for plan in ctx.store.snapshot(ctx.org_id, kinds.PLAN)}
    now = utcnow()
    selected = [
        s
        for s in reversed(ctx.store.snapshot(ctx.org_id, kinds.SUBSCRIPTION))
        if s["status"] in statuses
        and (external_customer_id is None or s["external_customer_id"] == external_customer_id)
        and (plan_code is None or s["plan_code"] == plan_code)
        and (currency is None or s["plan_amount_currency"] == currency)
    ]
    return list_response(ctx, "subscriptions", selected, lambda s: render(s, plans.get(s["plan_code"]), now))


async def list_subscriptions(ctx: Ctx) -> Response:
    """GET /subscriptions: filters `external_customer_id`, `plan_code`, `currency`, `status[]` (default active)."""
    return _list(ctx, ctx.query("external_customer_id"))


async def list_customer_subscriptions(ctx: Ctx) -> Response:
    """GET /customers/{external_customer_id}/subscriptions."""
    external_customer_id = ctx.path("external_customer_id")
    require(ctx.store, ctx.org_id, kinds.CUSTOMER, external_customer_id)
    return _list(ctx, external_customer_id)


def _addressed(ctx: Ctx) -> Record:
    status = ctx.query("status") or "active"
    subscription = find_subscription(ctx.store, ctx.org_id, ctx.path("external_id"), (status,))
    if subscription is None:
        raise not_found("subscription")
    return subscription


async def get_subscription(ctx: Ctx) -> Response:
    """GET /subscriptions/{external_id}?status=… (default active)."""
    subscription = _addressed(ctx)
    plan = ctx.store.get(ctx.org_id, kinds.PLAN, subscription["plan_code"])
    return ok({"subscription": render(subscription, plan, utcnow(), with_plan=True)})


async def update_subscription(ctx: Ctx) -> Response:
    """PUT /subscriptions/{external_id}: name, ending_at, and subscription_at while pending."""
    data = await ctx.envelope("subscription")
    check = Checker(data)
    check.datetime("ending_at")
    check.datetime("subscription_at")
    check.done()
    store, org_id, now = ctx.store, ctx.org_id, utcnow()
    with store.transaction():
        subscription = _addressed(ctx)
        before = dict(subscription)
        if "name" in data:
            subscription["name"] = data["name"]
        if "ending_at" in data:
            ending = parse_datetime(data["ending_at"])
            subscription["ending_at"] = iso(ending) if ending else None
        starts = parse_datetime(data.get("subscription_at"))
        if starts and subscription["status"] == "pending":
            subscription["subscription_at"] = iso(starts)
            if starts <= now:
                subscription.update(status="active", started_at=iso(starts), activated_at=iso(now))
        changes = {k: [before[k], v] for k, v in subscription.items() if before.get(k) != v}
        store.put(org_id, kinds.SUBSCRIPTION, subscription["lago_id"], subscription)
        _log(store, org_id, "subscription.updated", subscription, changes)
    plan = store.get(org_id, kinds.PLAN, subscription["plan_code"])
    return ok({"subscription": render(subscription, plan, now)})


async def terminate_subscription(ctx: Ctx) -> Response:
    """DELETE /subscriptions/{external_id}: terminates it (`?status=pending` cancels a pending one)."""
    store, org_id = ctx.store, ctx.org_id
    with store.transaction():
        subscription = end_subscription(store, org_id, _addressed(ctx))
    return ok({"subscription": render(subscription, None, utcnow())})


ROUTES: list[BaseRoute] = [
    api_route("/subscriptions", "POST", create_subscription),
    api_route("/subscriptions", "GET", list_subscriptions),
    api_route("/subscriptions/{external_id}", "GET", get_subscription),
    api_route("/subscriptions/{external_id}", "PUT", update_subscription),
    api_route("/subscriptions/{external_id}", "DELETE", terminate_subscription),
    api_route("/customers/{external_customer_id}/subscriptions", "GET", list_customer_subscriptions),
]
