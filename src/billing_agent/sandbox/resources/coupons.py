"""Sandbox routes: coupons (create, list, get, update, terminate) and coupons applied to customers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.http import Ctx, list_response, not_found, ok
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.lookups import require
from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow
from billing_agent.sandbox.validation import Checker, decimal_text, parse_datetime, single_error, to_decimal

FREQUENCIES = ("once", "recurring", "forever")


def new_coupon(code: str, name: str, coupon_type: str, frequency: str, created_at: str) -> Record:
    """A coupon with every field of Lago's coupon object (amounts and limits unset)."""
    return {
        "lago_id": new_id(),
        "name": name,
        "code": code,
        "description": None,
        "coupon_type": coupon_type,
        "amount_cents": None,
        "amount_currency": None,
        "percentage_rate": None,
        "reusable": True,
        "limited_plans": False,
        "plan_codes": [],
        "limited_billable_metrics": False,
        "billable_metric_codes": [],
        "frequency": frequency,
        "frequency_duration": None,
        "expiration": "no_expiration",
        "expiration_at": None,
        "created_at": created_at,
        "terminated_at": None,
    }


def is_active(coupon: Record, now: datetime) -> bool:
    """Not terminated and not past its expiration date."""
    if coupon.get("terminated_at"):
        return False
    expires = parse_datetime(coupon.get("expiration_at")) if coupon.get("expiration") == "time_limit" else None
    return expires is None or expires > now


def new_applied_coupon(coupon: Record, customer: Record, created_at: str, overrides: dict[str, Any]) -> Record:
    """A coupon applied to a customer; the request may override amount, rate and frequency."""
    amount = overrides.get("amount_cents", coupon["amount_cents"])
    rate = overrides.get("percentage_rate", coupon["percentage_rate"])
    duration = overrides.get("frequency_duration", coupon["frequency_duration"])
    return {
        "lago_id": new_id(),
        "lago_coupon_id": coupon["lago_id"],
        "coupon_code": coupon["code"],
        "coupon_name": coupon["name"],
        "lago_customer_id": customer["lago_id"],
        "external_customer_id": customer["external_id"],
        "status": "active",
        "amount_cents": amount,
        "amount_cents_remaining": amount if coupon["coupon_type"] == "fixed_amount" else None,
        "amount_currency": overrides.get("amount_currency", coupon["amount_currency"]),
        "percentage_rate": decimal_text(to_decimal(rate) or Decimal(0)) if rate is not None else None,
        "frequency": overrides.get("frequency", coupon["frequency"]),
        "frequency_duration": duration,
        "frequency_duration_remaining": duration,
        "expiration_at": coupon["expiration_at"],
        "created_at": created_at,
        "terminated_at": None,
        "credits": [],
    }


def _validate(data: dict[str, Any], current: Record | None) -> None:
    check = Checker(data)
    if current is None:
        check.mandatory("name", "code", "coupon_type", "frequency", "expiration")
    check.one_of("coupon_type", ("fixed_amount", "percentage"))
    check.one_of("frequency", FREQUENCIES)
    check.one_of("expiration", ("no_expiration", "time_limit"))
    check.currency("amount_currency")
    check.integer("amount_cents")
    check.decimal("percentage_rate")
    check.integer("frequency_duration", minimum=1)
    check.boolean("reusable")
    check.datetime("expiration_at")
    merged = {**(current or {}), **{k: v for k, v in data.items() if v is not None}}
    if merged.get("coupon_type") == "fixed_amount":
        for field in ("amount_cents", "amount_currency"):
            if merged.get(field) in (None, ""):
                check.add(field, "value_is_mandatory")
    if merged.get("coupon_type") == "percentage" and merged.get("percentage_rate") in (None, ""):
        check.add("percentage_rate", "value_is_mandatory")
    if merged.get("frequency") == "recurring" and not merged.get("frequency_duration"):
        check.add("frequency_duration", "value_is_mandatory")
    if merged.get("expiration") == "time_limit":
        expires = parse_datetime(merged.get("expiration_at"))
        if expires is None or expires <= utcnow():
            check.add("expiration_at", "invalid_date")
    check.done()


def _apply(store: SandboxStore, org_id: str, coupon: Record, data: dict[str, Any]) -> None:
    for field in ("name", "description", "frequency_duration"):
        if field in data:
            coupon[field] = data[field]
    for field in ("coupon_type", "amount_cents", "amount_currency", "frequency", "reusable", "expiration"):
        if data.get(field) is not None:
            coupon[field] = data[field]
    if data.get("percentage_rate") is not None:
        coupon["percentage_rate"] = decimal_text(to_decimal(data["percentage_rate"]) or Decimal(0))
    if coupon["coupon_type"] == "percentage":
        coupon.update(amount_cents=None, amount_currency=None)
    else:
        coupon["percentage_rate"] = None
    expires = parse_datetime(data.get("expiration_at"))
    coupon["expiration_at"] = iso(expires) if expires and coupon["expiration"] == "time_limit" else None
    applies_to = data.get("applies_to")
    if isinstance(applies_to, dict):
        plan_codes = [str(code) for code in applies_to.get("plan_codes") or []]
        metric_codes = [str(code) for code in applies_to.get("billable_metric_codes") or []]
        for code in plan_codes:
            require(store, org_id, kinds.PLAN, code)
        for code in metric_codes:
            require(store, org_id, kinds.BILLABLE_METRIC, code)
        coupon.update(plan_codes=plan_codes, limited_plans=bool(plan_codes))
        coupon.update(billable_metric_codes=metric_codes, limited_billable_metrics=bool(metric_codes))


async def create_coupon(ctx: Ctx) -> Response:
    """POST /coupons (422 `value_already_exist` on a taken code)."""
    data = await ctx.envelope("coupon")
    _validate(data, None)
    store, org_id, code = ctx.store, ctx.org_id, str(data["code"])
    with store.transaction():
        if store.get(org_id, kinds.COUPON, code) is not None:
            raise single_error("code", "value_already_exist")
        coupon = new_coupon(code, str(data["name"]), data["coupon_type"], data["frequency"], iso(utcnow()))
        _apply(store, org_id, coupon, data)
        store.put(org_id, kinds.COUPON, code, coupon)
        record_activity(store, org_id, "coupon.created", "Coupon", coupon)
    return ok({"coupon": coupon})


async def list_coupons(ctx: Ctx) -> Response:
    """GET /coupons, newest first."""
    return list_response(ctx, "coupons", list(reversed(ctx.store.snapshot(ctx.org_id, kinds.COUPON))))


async def get_coupon(ctx: Ctx) -> Response:
    """GET /coupons/{code}."""
    return ok({"coupon": require(ctx.store, ctx.org_id, kinds.COUPON, ctx.path("code"))})


async def update_coupon(ctx: Ctx) -> Response:
    """PUT /coupons/{code}."""
    data = await ctx.envelope("coupon")
    store, org_id, code = ctx.store, ctx.org_id, ctx.path("code")
    with store.transaction():
        coupon = require(store, org_id, kinds.COUPON, code)
        _validate(data, coupon)
        before = dict(coupon)
        _apply(store, org_id, coupon, data)
        new_code = str(data.get("code") or code)
        if new_code != code:
            if store.get(org_id, kinds.COUPON, new_code) is not None:
                raise single_error("code", "value_already_exist")
            store.delete(org_id, kinds.COUPON, code)
            coupon["code"] = new_code
        store.put(org_id, kinds.COUPON, new_code, coupon)
        changes = {k: [before.get(k), v] for k, v in coupon.items() if before.get(k) != v}
        record_activity(store, org_id, "coupon.updated", "Coupon", coupon, changes=changes)
    return ok({"coupon": coupon})


async def terminate_coupon(ctx: Ctx) -> Response:
    """DELETE /coupons/{code}: terminates it (it can no longer be applied; applied ones keep running)."""
    store, org_id = ctx.store, ctx.org_id
    with store.transaction():
        coupon = require(store, org_id, kinds.COUPON, ctx.path("code"))
        if coupon["terminated_at"] is None:
            coupon["terminated_at"] = iso(utcnow())
            store.put(org_id, kinds.COUPON, coupon["code"], coupon)
            record_activity(store, org_id, "coupon.terminated", "Coupon", coupon)
    return ok({"coupon": coupon})


async def apply_coupon(ctx: Ctx) -> Response:
    """POST /applied_coupons: 404 for an unknown customer or a missing/terminated coupon; 422 when not reusable."""
    data = await ctx.envelope("applied_coupon")
    check = Checker(data)
    check.mandatory("external_customer_id", "coupon_code")
    check.integer("amount_cents")
    check.currency("amount_currency")
    check.decimal("percentage_rate")
    check.one_of("frequency", FREQUENCIES)
    check.done()
    store, org_id, now = ctx.store, ctx.org_id, utcnow()
    with store.transaction():
        customer = require(store, org_id, kinds.CUSTOMER, str(data["external_customer_id"]))
        coupon = store.get(org_id, kinds.COUPON, str(data["coupon_code"]))
        if coupon is None or not is_active(coupon, now):
            raise not_found("coupon")
        already = [
            a for a in store.snapshot(org_id, kinds.APPLIED_COUPON) if a["lago_customer_id"] == customer["lago_id"]
        ]
        if not coupon["reusable"] and any(a["lago_coupon_id"] == coupon["lago_id"] for a in already):
            raise single_error("coupon", "coupon_is_not_reusable")
        overrides = {
            k: data[k]
            for k in ("amount_cents", "amount_currency", "percentage_rate", "frequency", "frequency_duration")
            if data.get(k) is not None
        }
        applied = new_applied_coupon(coupon, customer, iso(now), overrides)
        _adopt_currency(store, org_id, customer, applied["amount_currency"])
        store.put(org_id, kinds.APPLIED_COUPON, applied["lago_id"], applied)
        record_activity(
            store,
            org_id,
            "applied_coupon.created",
            "AppliedCoupon",
            applied,
            external_customer_id=customer["external_id"],
        )
    return ok({"applied_coupon": _without_credits(applied)})


def _adopt_currency(store: SandboxStore, org_id: str, customer: Record, currency: str | None) -> None:
    if currency is None:
        return
    if customer.get("currency") and customer["currency"] != currency:
        raise single_error("currency", "currencies_does_not_match")
    if not customer.get("currency"):
        customer["currency"] = currency
        store.put(org_id, kinds.CUSTOMER, customer["external_id"], customer)


def _without_credits(applied: Record) -> Record:
    return {k: v for k, v in applied.items() if k != "credits"}


def _list_applied(ctx: Ctx, external_customer_id: str | None) -> Response:
    status, codes = ctx.query("status"), set(ctx.query_list("coupon_code"))
    selected = [
        a
        for a in reversed(ctx.store.snapshot(ctx.org_id, kinds.APPLIED_COUPON))
        if (status is None or a["status"] == status)
        and (external_customer_id is None or a["external_customer_id"] == external_customer_id)
        and (not codes or a["coupon_code"] in codes)
    ]
    return list_response(ctx, "applied_coupons", selected)


async def list_applied_coupons(ctx: Ctx) -> Response:
    """GET /applied_coupons: filters `status`, `external_customer_id`, `coupon_code[]`."""
    return _list_applied(ctx, ctx.query("external_customer_id"))


async def list_customer_applied_coupons(ctx: Ctx) -> Response:
    """GET /customers/{external_customer_id}/applied_coupons."""
    external_customer_id = ctx.path("external_customer_id")
    require(ctx.store, ctx.org_id, kinds.CUSTOMER, external_customer_id)
    return _list_applied(ctx, external_customer_id)


def _terminate_applied(store: SandboxStore, org_id: str, applied: Record, when: str) -> Record:
    applied.update(status="terminated", terminated_at=when)
    store.put(org_id, kinds.APPLIED_COUPON, applied["lago_id"], applied)
    record_activity(
        store,
        org_id,
        "applied_coupon.deleted",
        "AppliedCoupon",
        applied,
        external_customer_id=applied["external_customer_id"],
    )
    return applied


async def remove_applied_coupon(ctx: Ctx) -> Response:
    """DELETE /customers/{external_customer_id}/applied_coupons/{applied_coupon_id}: terminates it."""
    store, org_id = ctx.store, ctx.org_id
    with store.transaction():
        customer = require(store, org_id, kinds.CUSTOMER, ctx.path("external_customer_id"))
        applied = store.get(org_id, kinds.APPLIED_COUPON, ctx.path("applied_coupon_id"))
        if applied is None or applied["lago_customer_id"] != customer["lago_id"]:
            raise not_found("applied_coupon")
        if applied["status"] == "active":
            _terminate_applied(store, org_id, applied, iso(utcnow()))
    return ok({"applied_coupon": _without_credits(applied)})


def terminate_customer_coupons(store: SandboxStore, org_id: str, external_customer_id: str) -> None:
    """Terminate every active coupon applied to a customer (the customer is being deleted)."""
    when = iso(utcnow())
    for shared in list(store.snapshot(org_id, kinds.APPLIED_COUPON)):
        if shared["external_customer_id"] == external_customer_id and shared["status"] == "active":
            _terminate_applied(store, org_id, dict(shared), when)


ROUTES: list[BaseRoute] = [
    api_route("/coupons", "POST", create_coupon),
    api_route("/coupons", "GET", list_coupons),
    api_route("/coupons/{code}", "GET", get_coupon),
    api_route("/coupons/{code}", "PUT", update_coupon),
    api_route("/coupons/{code}", "DELETE", terminate_coupon),
    api_route("/applied_coupons", "POST", apply_coupon),
    api_route("/applied_coupons", "GET", list_applied_coupons),
    api_route("/customers/{external_customer_id}/applied_coupons", "GET", list_customer_applied_coupons),
    api_route("/customers/{external_customer_id}/applied_coupons/{applied_coupon_id}", "DELETE", remove_applied_coupon),
]
