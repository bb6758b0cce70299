"""Identifiers of sandbox records in the states the tool tests need, read over plain HTTP."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from billing_agent.sandbox import DEMO_API_KEY


@dataclass
class Facts:
    """Ids of demo records, found by state."""

    customer: str
    customer_currency: str
    customer_with_wallet: str
    wallet_id: str
    subscription: str
    subscription_customer: str
    plan_code: str
    coupon_code: str
    metric_code: str
    metric_lago_id: str
    voidable_invoice: str
    failed_invoice: str
    voided_invoice: str
    paid_invoice: str
    paid_invoice_number: str
    unpaid_invoice: str
    unpaid_invoice_fee: str
    unpaid_invoice_fee_cents: int
    voidable_credit_note: str
    payment_id: str
    event_transaction_id: str
    event_code: str
    event_subscription: str
    applied_coupon_id: str
    applied_coupon_customer: str
    activity_id: str
    request_id: str


async def gather_facts(api_url: str) -> Facts:
    """Look the ids up in the sandbox at `api_url`."""
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    async with httpx.AsyncClient(base_url=api_url, headers=headers) as http:

        async def items(path: str, plural: str, **params: Any) -> list[dict[str, Any]]:
            response = await http.get(path, params={"per_page": 100, **params})
            response.raise_for_status()
            found: list[dict[str, Any]] = response.json()[plural]
            return found

        (
            first_invoices,
            more_invoices,
            notes,
            customers,
            subscriptions,
            metrics,
            applied,
            coupons,
            payments,
            events,
            activities,
            api_logs,
        ) = await asyncio.gather(
            items("/invoices", "invoices"),
            items("/invoices", "invoices", page=2),
            items("/credit_notes", "credit_notes"),
            items("/customers", "customers"),
            items("/subscriptions", "subscriptions"),
            items("/billable_metrics", "billable_metrics"),
            items("/applied_coupons", "applied_coupons", status="active"),
            items("/coupons", "coupons"),
            items("/payments", "payments"),
            items("/events", "events"),
            items("/activity_logs", "activity_logs"),
            items("/api_logs", "api_logs"),
        )
        invoices = first_invoices + more_invoices
        credit_noted = {n["lago_invoice_id"] for n in notes}
        voidable = [
            i
            for i in invoices
            if i["status"] == "finalized"
            and i["payment_status"] != "succeeded"
            and not i["total_paid_amount_cents"]
            and i["lago_id"] not in credit_noted
        ]
        unpaid = voidable[1]
        unpaid_full = (await http.get(f"/invoices/{unpaid['lago_id']}")).json()["invoice"]
        fee = unpaid_full["fees"][0]
        paid = next(i for i in invoices if i["payment_status"] == "succeeded")
        wallet_owner, wallet_id = await _customer_with_wallet(http, customers)
        subscription = subscriptions[0]
        metric = metrics[0]
        event = events[0]
        applied_coupon = applied[0]
        return Facts(
            customer=paid["customer"]["external_id"],
            customer_currency=paid["customer"]["currency"],
            customer_with_wallet=wallet_owner,
            wallet_id=wallet_id,
            subscription=subscription["external_id"],
            subscription_customer=subscription["external_customer_id"],
            plan_code=subscription["plan_code"],
            coupon_code=coupons[0]["code"],
            metric_code=metric["code"],
            metric_lago_id=metric["lago_id"],
            voidable_invoice=voidable[0]["lago_id"],
            failed_invoice=next(i["lago_id"] for i in invoices if i["status"] == "failed"),
            voided_invoice=next(i["lago_id"] for i in invoices if i["status"] == "voided"),
            paid_invoice=paid["lago_id"],
            paid_invoice_number=paid["number"],
            unpaid_invoice=unpaid["lago_id"],
            unpaid_invoice_fee=fee["lago_id"],
            unpaid_invoice_fee_cents=int(fee["amount_cents"]),
            voidable_credit_note=next(n["lago_id"] for n in notes if n["credit_status"] == "available"),
            payment_id=payments[0]["lago_id"],
            event_transaction_id=event["transaction_id"],
            event_code=event["code"],
            event_subscription=event["external_subscription_id"],
            applied_coupon_id=applied_coupon["lago_id"],
            applied_coupon_customer=applied_coupon["external_customer_id"],
            activity_id=activities[0]["activity_id"],
            request_id=api_logs[0]["request_id"],
        )


async def _customer_with_wallet(http: httpx.AsyncClient, customers: list[dict[str, Any]]) -> tuple[str, str]:
    for customer in customers:
        response = await http.get("/wallets", params={"external_customer_id": customer["external_id"]})
        wallets = [w for w in response.json().get("wallets", []) if w["status"] == "active"]
        if wallets:
            return str(customer["external_id"]), str(wallets[0]["lago_id"])
    raise AssertionError("the demo seed has no customer with an active wallet")
