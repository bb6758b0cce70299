"""`POST /invoices/preview`: the next invoice of a customer for a plan or existing subscriptions; nothing is saved.

Simplifications (documented for users of the sandbox): one full billing period of each plan's base amount
(no proration, no usage charges), coupons applied in order on what is left, no taxes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from billing_agent.sandbox import kinds
from billing_agent.sandbox.http import bad_request, not_found, validation_error
from billing_agent.sandbox.invoicing import (
    NUMBER_PREFIX,
    make_fee,
    make_invoice,
    strip_private,
)
from billing_agent.sandbox.lookups import find_subscription
from billing_agent.sandbox.resources.subscriptions import render as render_subscription
from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow

INTERVAL_DAYS = {"weekly": 7, "monthly": 30, "quarterly": 91, "semiannual": 182, "yearly": 365}


def preview_invoice(store: SandboxStore, org_id: str, body: dict[str, Any]) -> Record:
    """Compute the preview invoice described by Lago's preview payload (the body is not wrapped)."""
    params = body.get("customer")
    if not isinstance(params, dict):
        raise validation_error(customer=["value_is_mandatory"])
    coupons = body.get("coupons")
    if coupons is not None and not isinstance(coupons, list):
        raise bad_request("coupons_must_be_an_array")
    subscriptions_param = body.get("subscriptions")
    if subscriptions_param is not None and not isinstance(subscriptions_param, dict):
        raise bad_request("subscriptions_must_be_an_object")
    customer, known = _customer(store, org_id, params)
    start = _start(body.get("subscription_at"))
    lines = _billed_plans(store, org_id, customer, body, subscriptions_param or {})
    currency = str(customer.get("currency") or lines[0][0].get("amount_currency") or "USD")
    invoice_id = new_id()
    fees = [
        make_fee(
            invoice_id=invoice_id,
            currency=currency,
            item_type="subscription",
            code=str(plan["code"]),
            name=str(plan.get("name") or plan["code"]),
            unit_amount_cents=int(plan.get("amount_cents") or 0),
            customer=customer,
            subscription=subscription,
            period=(start, start + timedelta(days=INTERVAL_DAYS.get(str(plan.get("interval")), 30))),
            item_id=plan.get("lago_id"),
        )
        for plan, subscription in lines
    ]
    fees_amount = sum(int(fee["amount_cents"]) for fee in fees)
    coupon_records = _coupons(store, org_id, customer, coupons, known)
    invoice = make_invoice(
        lago_id=invoice_id,
        sequential_id=0,
        customer=customer,
        currency=currency,
        fees=fees,
        invoice_type="subscription",
        status="draft",
        issued_at=start,
        net_payment_term=int(customer.get("net_payment_term") or 0),
        coupons_amount_cents=discount(fees_amount, coupon_records),
    )
    view = strip_private(invoice)
    view["number"] = f"{NUMBER_PREFIX}-DRAFT"
    view.pop("sequential_id")
    view["credits"] = [_credit(coupon, currency, invoice_id) for coupon in coupon_records]
    view["subscriptions"] = [render_subscription(sub, plan, utcnow()) for plan, sub in lines if sub is not None]
    view["customer"] = customer
    return view


def discount(amount_cents: int, coupons: list[Record]) -> int:
    """Total reduction of `coupons` applied one after another to `amount_cents`."""
    remaining = amount_cents
    for coupon in coupons:
        kind = coupon.get("coupon_type") or ("percentage" if coupon.get("percentage_rate") else "fixed_amount")
        if kind == "percentage":
            cut = round(remaining * float(coupon.get("percentage_rate") or 0) / 100)
        else:
            cut = int(coupon.get("amount_cents") or 0)
        cut = min(cut, remaining)
        coupon["_applied_cents"] = cut
        remaining -= cut
    return amount_cents - remaining


def _customer(store: SandboxStore, org_id: str, params: dict[str, Any]) -> tuple[Record, bool]:
    external_id = params.get("external_id")
    if external_id:
        existing = store.get(org_id, kinds.CUSTOMER, str(external_id))
        if existing is not None:
            return strip_private(existing), True
    now = iso(utcnow())
    customer: Record = {
        "lago_id": new_id(),
        "sequential_id": 0,
        "slug": "",
        "external_id": str(external_id or ""),
        "applicable_timezone": params.get("timezone") or "UTC",
        "created_at": now,
        "updated_at": now,
    }
    for key in ("name", "currency", "tax_identification_number", "address_line1", "address_line2", "city"):
        customer[key] = params.get(key)
    for key in ("zipcode", "state", "country", "timezone"):
        customer[key] = params.get(key)
    return customer, False


def _start(raw: Any) -> datetime:
    if raw in (None, ""):
        return utcnow()
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise validation_error(subscription_at=["invalid_date"]) from None


def _billed_plans(
    store: SandboxStore, org_id: str, customer: Record, body: dict[str, Any], subscriptions: dict[str, Any]
) -> list[tuple[Record, Record | None]]:
    """(plan, subscription or None) for each line of the preview."""
    external_ids = subscriptions.get("external_ids") or []
    if external_ids:
        override = subscriptions.get("plan_code")
        lines: list[tuple[Record, Record | None]] = []
        for external_id in external_ids:
            sub = find_subscription(store, org_id, str(external_id), ("active", "pending"))
            if sub is None or sub.get("external_customer_id") != customer.get("external_id"):
                raise not_found("subscription")
            lines.append((_plan(store, org_id, str(override or sub.get("plan_code"))), sub))
        return lines
    plan_code = body.get("plan_code")
    if not plan_code:
        raise validation_error(plan_code=["value_is_mandatory"])
    return [(_plan(store, org_id, str(plan_code)), None)]


def _plan(store: SandboxStore, org_id: str, code: str) -> Record:
    plan = store.get(org_id, kinds.PLAN, code)
    if plan is None:
        raise not_found("plan")
    return plan


def _coupons(
    store: SandboxStore, org_id: str, customer: Record, coupons: list[Any] | None, known_customer: bool
) -> list[Record]:
    """Coupons of the payload (inline values, else the stored coupon), else the customer's active applied ones."""
    if coupons:
        chosen: list[Record] = []
        for entry in coupons:
            if not isinstance(entry, dict) or not entry.get("code"):
                raise validation_error(coupons=["invalid_coupon"])
            if entry.get("coupon_type"):
                chosen.append(dict(entry))
                continue
            stored = store.get(org_id, kinds.COUPON, str(entry["code"]))
            if stored is None:
                raise not_found("coupon")
            chosen.append(dict(stored))
        return chosen
    if not known_customer:
        return []
    return [
        dict(applied)
        for applied in store.snapshot(org_id, kinds.APPLIED_COUPON)
        if applied.get("external_customer_id") == customer.get("external_id") and applied.get("status") == "active"
    ]


def _credit(coupon: Record, currency: str, invoice_id: str) -> Record:
    return {
        "lago_id": new_id(),
        "amount_cents": int(coupon.get("_applied_cents") or 0),
        "amount_currency": currency,
        "before_taxes": True,
        "item": {
            "lago_item_id": coupon.get("lago_id") or new_id(),
            "type": "coupon",
            "code": coupon.get("coupon_code") or coupon.get("code"),
            "name": coupon.get("coupon_name") or coupon.get("name") or coupon.get("code"),
        },
        "invoice": {"lago_id": invoice_id, "payment_status": "pending"},
    }
