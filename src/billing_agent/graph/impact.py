"""Describe what a pending call will change, read BEFORE asking the human (read-only lookups only)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from langchain_core.messages import ToolCall
from langchain_core.tools import BaseTool

from billing_agent.graph.records import extract_records
from billing_agent.graph.render import format_money
from billing_agent.graph.toolcall import run_tool
from billing_agent.tools.policy import Risk

CONFIRM_HINT = "Type CONFIRM to proceed."
_VERBS = {
    "delete_subscription": "Terminate",
    "void_invoice": "Void",
    "finalize_invoice": "Finalize",
    "retry_invoice_payment": "Retry the payment of",
    "retry_invoice": "Retry",
    "refresh_invoice": "Refresh",
    "update_invoice": "Update",
    "delete_customer": "Delete",
    "update_customer": "Update",
    "delete_coupon": "Terminate",
    "delete_plan": "Delete",
    "update_plan": "Update",
    "create_payment": "Record a payment on",
    "create_credit_note": "Issue a credit note on",
}
_INTERVALS = {"monthly": "month", "yearly": "year", "weekly": "week", "quarterly": "quarter", "semiannual": "half-year"}


async def _read(tools: Mapping[str, BaseTool], name: str, **args: Any) -> dict[str, Any] | None:
    if name not in tools or any(v in (None, "") for v in args.values()):
        return None
    outcome = await run_tool(tools, ToolCall(name=name, args=args, id=f"impact_{name}"))
    records = extract_records(name, outcome.data) if outcome.ok else None
    return records.items[0] if records and records.items else None


def _first(args: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = args.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _price(plan: Mapping[str, Any]) -> str | None:
    cents = plan.get("amount_cents")
    if not isinstance(cents, int | float):
        return None
    period = _INTERVALS.get(str(plan.get("interval")), str(plan.get("interval") or "period"))
    return f"{format_money(cents, plan.get('amount_currency'), compact=True)}/{period}"


def _customer_label(customer: Mapping[str, Any] | None, external_id: str | None) -> str:
    name = (customer or {}).get("name")
    if name and external_id:
        return f"{name} (`{external_id}`)"
    return str(name or (f"`{external_id}`" if external_id else "an unknown customer"))


async def _subscription(tools: Mapping[str, BaseTool], args: Mapping[str, Any]) -> str | None:
    external_id = _first(args, "external_id", "subscription_id")
    sub = await _read(tools, "get_subscription", external_id=external_id)
    if sub is None:
        return (
            f"Subscription `{external_id}` could not be read before asking; the call may fail." if external_id else None
        )
    plan = sub.get("plan") if isinstance(sub.get("plan"), dict) else None
    customer = sub.get("customer") if isinstance(sub.get("customer"), dict) else None
    plan_code, customer_id = sub.get("plan_code"), sub.get("external_customer_id")
    plan, customer = await asyncio.gather(
        _read(tools, "get_plan", code=plan_code) if plan is None else _const(plan),
        _read(tools, "get_customer", external_customer_id=customer_id) if customer is None else _const(customer),
    )
    owner = (customer or {}).get("name") or customer_id or "an unknown customer"
    plan_name = (plan or {}).get("name") or plan_code or "an unknown plan"
    price = _price(plan or {})
    on_plan = f"on plan {plan_name}" + (f" ({price})" if price else "")
    status = sub.get("status", "in an unknown state")
    return f"Subscription `{sub.get('external_id', external_id)}` for {owner} is {status} {on_plan}."


async def _const(value: dict[str, Any]) -> dict[str, Any]:
    return value


async def _invoice(tools: Mapping[str, BaseTool], args: Mapping[str, Any]) -> str | None:
    invoice_id = _first(args, "lago_id", "invoice_id", "id")
    invoice = await _read(tools, "get_invoice", invoice_id=invoice_id)
    if invoice is None:
        return f"Invoice `{invoice_id}` could not be read before asking; the call may fail." if invoice_id else None
    embedded = invoice.get("customer")
    customer: dict[str, Any] = embedded if isinstance(embedded, dict) else {}
    total = invoice.get("total_amount_cents")
    amount = format_money(total, invoice.get("currency")) if isinstance(total, int | float) else "an unknown amount"
    return (
        f"Invoice `{invoice.get('number') or invoice_id}` for {customer.get('name') or 'an unknown customer'}: "
        f"{amount}, status {invoice.get('status', '?')}, payment {invoice.get('payment_status', '?')}."
    )


async def _customer(tools: Mapping[str, BaseTool], args: Mapping[str, Any]) -> str | None:
    external_id = _first(args, "external_customer_id", "external_id")
    customer = await _read(tools, "get_customer", external_customer_id=external_id)
    if customer is None:
        return f"Customer `{external_id}` could not be read before asking; the call may fail." if external_id else None
    email = customer.get("email")
    return f"Customer {_customer_label(customer, external_id)}" + (f", billing email {email}." if email else ".")


async def _coupon(tools: Mapping[str, BaseTool], args: Mapping[str, Any]) -> str | None:
    code = _first(args, "coupon_code", "code")
    coupon = await _read(tools, "get_coupon", code=code)
    if coupon is None:
        return f"Coupon `{code}` could not be read before asking; the call may fail." if code else None
    if coupon.get("coupon_type") == "percentage":
        value = f"{coupon.get('percentage_rate')}% off"
    else:
        cents = coupon.get("amount_cents")
        value = f"{format_money(cents, coupon.get('amount_currency'))} off" if isinstance(cents, int) else "a discount"
    text = f"Coupon {coupon.get('name') or code} (`{code}`, {value}, {coupon.get('frequency', 'once')})"
    customer_id = _first(args, "external_customer_id")
    if customer_id:
        customer = await _read(tools, "get_customer", external_customer_id=customer_id)
        return f"{text} for customer {_customer_label(customer, customer_id)}."
    return f"{text}."


async def _plan(tools: Mapping[str, BaseTool], args: Mapping[str, Any]) -> str | None:
    code = _first(args, "code", "plan_code")
    plan = await _read(tools, "get_plan", code=code)
    if plan is None:
        return None
    price = _price(plan)
    return f"Plan {plan.get('name') or code} (`{code}`" + (f", {price})." if price else ").")


_DESCRIBERS = {
    "delete_subscription": _subscription,
    "update_subscription": _subscription,
    "void_invoice": _invoice,
    "finalize_invoice": _invoice,
    "retry_invoice": _invoice,
    "retry_invoice_payment": _invoice,
    "refresh_invoice": _invoice,
    "update_invoice": _invoice,
    "create_payment": _invoice,
    "create_credit_note": _invoice,
    "update_customer": _customer,
    "delete_customer": _customer,
    "apply_coupon": _coupon,
    "delete_coupon": _coupon,
    "update_plan": _plan,
    "delete_plan": _plan,
}


def _arguments(args: Mapping[str, Any]) -> str:
    shown = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return shown if len(shown) <= 300 else shown[:300] + "…"


async def describe_impact(tools: Mapping[str, BaseTool], call: ToolCall, risk: Risk) -> str:
    """One sentence on what the call acts on (from read-only lookups), what it does, and how to confirm."""
    name, args = call["name"], call.get("args") if isinstance(call.get("args"), dict) else {}
    describer = _DESCRIBERS.get(name)
    facts = await describer(tools, args) if describer else None
    verb = _VERBS.get(name)
    action = f"{verb} it with `{name}`." if verb else f"Run `{name}` ({_arguments(args) or 'no arguments'})."
    if name not in tools:
        action = f"`{name}` is not a known tool; it will fail if approved."
    label = "This is destructive. " if risk is Risk.DESTRUCTIVE else ""
    return " ".join(part for part in (facts, action, f"{label}{CONFIRM_HINT}") if part)
