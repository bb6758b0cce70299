"""Sandbox routes: plans (create, list, get, update, delete), their charges embedded."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.charges import build_charge, validate_charge
from billing_agent.sandbox.http import Ctx, list_response, ok
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.lookups import require
from billing_agent.sandbox.resources.subscriptions import end_subscription
from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow
from billing_agent.sandbox.validation import Checker, single_error

INTERVALS = ("weekly", "monthly", "quarterly", "semiannual", "yearly")
_LOCKED_WHEN_SUBSCRIBED = ("code", "interval", "amount_cents", "amount_currency", "pay_in_advance")


def new_plan(
    code: str,
    name: str,
    interval: str,
    amount_cents: int,
    currency: str,
    created_at: str,
    charges: list[Record] | None = None,
) -> Record:
    """A plan with every field of Lago's plan object."""
    return {
        "lago_id": new_id(),
        "name": name,
        "invoice_display_name": name,
        "created_at": created_at,
        "code": code,
        "interval": interval,
        "description": "",
        "amount_cents": amount_cents,
        "amount_currency": currency,
        "trial_period": 0.0,
        "pay_in_advance": False,
        "bill_charges_monthly": False if interval in ("yearly", "semiannual") else None,
        "bill_fixed_charges_monthly": None,
        "minimum_commitment": None,
        "charges": charges or [],
        "fixed_charges": [],
        "taxes": [],
        "usage_thresholds": [],
        "entitlements": [],
        "metadata": None,
    }


def _validate(data: dict[str, Any], *, creating: bool) -> None:
    check = Checker(data)
    if creating:
        check.mandatory("name", "code", "interval", "amount_cents", "amount_currency")
    check.one_of("interval", INTERVALS)
    check.currency("amount_currency")
    check.integer("amount_cents")
    check.decimal("trial_period")
    check.boolean("pay_in_advance")
    charges = data.get("charges")
    if charges is not None and not isinstance(charges, list):
        check.add("charges", "value_is_invalid")
    for charge in charges or []:
        validate_charge(charge if isinstance(charge, dict) else {}, check)
    check.done()


def _apply(store: SandboxStore, org_id: str, plan: Record, data: dict[str, Any], *, subscribed: bool) -> None:
    for field in ("name", "invoice_display_name", "description", "bill_charges_monthly"):
        if field in data and data[field] is not None:
            plan[field] = data[field]
    for field in _LOCKED_WHEN_SUBSCRIBED[1:]:
        if field in data and data[field] is not None and not subscribed:
            plan[field] = data[field]
    if data.get("trial_period") is not None:
        plan["trial_period"] = float(data["trial_period"])
    if isinstance(data.get("charges"), list):
        plan["charges"] = [build_charge(store, org_id, charge, plan["created_at"]) for charge in data["charges"]]


def _subscriptions_on(store: SandboxStore, org_id: str, code: str) -> list[Record]:
    return [s for s in store.snapshot(org_id, kinds.SUBSCRIPTION) if s["plan_code"] == code]


async def create_plan(ctx: Ctx) -> Response:
    """POST /plans (422 `value_already_exist` on a taken code)."""
    data = await ctx.envelope("plan")
    _validate(data, creating=True)
    store, org_id = ctx.store, ctx.org_id
    code = str(data["code"])
    with store.transaction():
        if store.get(org_id, kinds.PLAN, code) is not None:
            raise single_error("code", "value_already_exist")
        plan = new_plan(
            code, str(data["name"]), data["interval"], data["amount_cents"], data["amount_currency"], iso(utcnow())
        )
        _apply(store, org_id, plan, data, subscribed=False)
        store.put(org_id, kinds.PLAN, code, plan)
        record_activity(store, org_id, "plan.created", "Plan", plan)
    return ok({"plan": plan})


async def list_plans(ctx: Ctx) -> Response:
    """GET /plans, newest first."""
    return list_response(ctx, "plans", list(reversed(ctx.store.snapshot(ctx.org_id, kinds.PLAN))))


async def get_plan(ctx: Ctx) -> Response:
    """GET /plans/{code}."""
    return ok({"plan": require(ctx.store, ctx.org_id, kinds.PLAN, ctx.path("code"))})


async def update_plan(ctx: Ctx) -> Response:
    """PUT /plans/{code}: code, interval, price and currency only change while nobody subscribes to it."""
    data = await ctx.envelope("plan")
    _validate(data, creating=False)
    store, org_id, code = ctx.store, ctx.org_id, ctx.path("code")
    with store.transaction():
        plan = require(store, org_id, kinds.PLAN, code)
        before = dict(plan)
        subscribed = bool(_subscriptions_on(store, org_id, code))
        _apply(store, org_id, plan, data, subscribed=subscribed)
        new_code = str(data.get("code") or code)
        if new_code != code and not subscribed:
            if store.get(org_id, kinds.PLAN, new_code) is not None:
                raise single_error("code", "value_already_exist")
            store.delete(org_id, kinds.PLAN, code)
            plan["code"] = new_code
        store.put(org_id, kinds.PLAN, plan["code"], plan)
        changes = {k: [before[k], v] for k, v in plan.items() if k != "charges" and before.get(k) != v}
        record_activity(store, org_id, "plan.updated", "Plan", plan, changes=changes)
    return ok({"plan": plan})


async def delete_plan(ctx: Ctx) -> Response:
    """DELETE /plans/{code}: removes the plan and ends the subscriptions still on it; returns the plan."""
    store, org_id, code = ctx.store, ctx.org_id, ctx.path("code")
    with store.transaction():
        plan = require(store, org_id, kinds.PLAN, code)
        for subscription in _subscriptions_on(store, org_id, code):
            if subscription["status"] in ("active", "pending"):
                end_subscription(store, org_id, dict(subscription))
        store.delete(org_id, kinds.PLAN, code)
        record_activity(store, org_id, "plan.deleted", "Plan", plan)
    return ok({"plan": plan})


ROUTES: list[BaseRoute] = [
    api_route("/plans", "POST", create_plan),
    api_route("/plans", "GET", list_plans),
    api_route("/plans/{code}", "GET", get_plan),
    api_route("/plans/{code}", "PUT", update_plan),
    api_route("/plans/{code}", "DELETE", delete_plan),
]
