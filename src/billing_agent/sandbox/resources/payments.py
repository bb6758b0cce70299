"""Sandbox routes: payments — manual payment of an invoice, list, get, and a customer's payments.

A manual payment (Payments::ManualCreateService) needs `invoice_id`, a positive integer `amount_cents` and a
`reference`; the invoice must be finalized (Lago answers 403 there; the sandbox answers 422 `invoice_id:
["invalid_status"]`, which says why) and the amount may not exceed what is still due. The invoice's paid
and due amounts follow, and it becomes `succeeded` once nothing is due.
"""

from __future__ import annotations

from datetime import datetime

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.http import Ctx, list_response, not_found, ok, validation_error
from billing_agent.sandbox.invoicing import load_invoice, save_invoice, strip_private
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.payment_records import PAYMENT_KIND, apply_payment, make_payment
from billing_agent.sandbox.store import Record


async def create_payment(ctx: Ctx) -> Response:
    """POST /payments."""
    params = await ctx.envelope("payment")
    if not params.get("invoice_id"):
        raise validation_error(invoice_id=["value_is_mandatory"])
    amount = params.get("amount_cents")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise validation_error(amount_cents=["invalid_value"])
    reference = params.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise validation_error(reference=["value_is_mandatory"])
    if len(reference) > 40:
        raise validation_error(reference=["value_is_too_long"])
    paid_at = _paid_at(params.get("paid_at"))
    with ctx.store.transaction():
        invoice = load_invoice(ctx.store, ctx.org_id, str(params["invoice_id"]))
        if invoice is None:
            raise not_found("invoice")
        if invoice["status"] != "finalized":
            raise validation_error(invoice_id=["invalid_status"])
        if amount > int(invoice["total_due_amount_cents"]):
            raise validation_error(amount_cents=["greater_than_due_amount"])
        payment = make_payment(invoice, amount, reference=reference, paid_at=paid_at)
        ctx.store.put(ctx.org_id, PAYMENT_KIND, payment["lago_id"], payment)
        fully_paid = apply_payment(invoice, amount, paid_at)
        save_invoice(ctx.store, ctx.org_id, invoice)
        customer_id = payment["external_customer_id"]
        record_activity(ctx.store, ctx.org_id, "payment.recorded", "Payment", payment, external_customer_id=customer_id)
        if fully_paid:
            record_activity(
                ctx.store,
                ctx.org_id,
                "invoice.payment_status_updated",
                "Invoice",
                strip_private({k: v for k, v in invoice.items() if k != "fees"}),
                changes={"payment_status": ["pending", "succeeded"]},
                external_customer_id=customer_id,
            )
    return ok({"payment": payment})


def _paid_at(raw: object) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise validation_error(paid_at=["invalid_date"]) from None


def _newest_first(payments: list[Record]) -> list[Record]:
    return sorted(reversed(payments), key=lambda payment: payment["created_at"], reverse=True)


async def list_payments(ctx: Ctx) -> Response:
    """GET /payments (filters `external_customer_id`, `invoice_id`), newest first."""
    return _list(ctx, ctx.query("external_customer_id"))


async def list_customer_payments(ctx: Ctx) -> Response:
    """GET /customers/{external_customer_id}/payments."""
    external_id = ctx.path("external_customer_id")
    if ctx.store.get(ctx.org_id, kinds.CUSTOMER, external_id) is None:
        raise not_found("customer")
    return _list(ctx, external_id)


def _list(ctx: Ctx, external_customer_id: str | None) -> Response:
    invoice_id = ctx.query("invoice_id")
    payments = [
        payment
        for payment in ctx.store.snapshot(ctx.org_id, PAYMENT_KIND)
        if (external_customer_id is None or payment["external_customer_id"] == external_customer_id)
        and (invoice_id is None or invoice_id in payment["invoice_ids"])
    ]
    return list_response(ctx, "payments", _newest_first(payments))


async def get_payment(ctx: Ctx) -> Response:
    """GET /payments/{lago_id}."""
    payment = ctx.store.get(ctx.org_id, PAYMENT_KIND, ctx.path("lago_id"))
    if payment is None:
        raise not_found("payment")
    return ok({"payment": payment})


ROUTES: list[BaseRoute] = [
    api_route("/payments", "POST", create_payment),
    api_route("/payments", "GET", list_payments),
    api_route("/payments/{lago_id}", "GET", get_payment),
    api_route("/customers/{external_customer_id}/payments", "GET", list_customer_payments),
]
