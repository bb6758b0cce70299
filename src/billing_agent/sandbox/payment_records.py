"""Payment records (kind `payment`, keyed by `lago_id`) and their effect on an invoice's amounts and status."""

from __future__ import annotations

from datetime import datetime

from billing_agent.sandbox.invoicing import recompute_totals, set_payment_status
from billing_agent.sandbox.store import Record, iso, new_id, utcnow

PAYMENT_KIND = "payment"
SANDBOX_PROVIDER_CODE = "sandbox_stripe"


def make_payment(
    invoice: Record,
    amount_cents: int,
    *,
    reference: str | None = None,
    paid_at: datetime | None = None,
    manual: bool = True,
    succeeded: bool = True,
) -> Record:
    """A payment of `invoice` as Lago's PaymentSerializer renders it (manual, or from the sandbox's provider)."""
    customer: Record = invoice.get("_customer") or {}
    status = "succeeded" if succeeded else "failed"
    provider_id = None if manual else f"pi_sandbox_{new_id().replace('-', '')[:20]}"
    return {
        "lago_id": new_id(),
        "lago_customer_id": customer.get("lago_id"),
        "external_customer_id": customer.get("external_id"),
        "invoice_ids": [invoice["lago_id"]],
        "invoice_numbers": [invoice["number"]],
        "lago_payable_id": invoice["lago_id"],
        "payable_type": "Invoice",
        "amount_cents": amount_cents,
        "amount_currency": invoice["currency"],
        "status": status,
        "payment_status": status,
        "type": "manual" if manual else "provider",
        "reference": reference,
        "payment_provider_code": None if manual else SANDBOX_PROVIDER_CODE,
        "payment_provider_type": None if manual else "stripe",
        "external_payment_id": provider_id,
        "provider_payment_id": provider_id,
        "provider_customer_id": None if manual else f"cus_sandbox_{str(customer.get('external_id'))[:24]}",
        "next_action": {},
        "created_at": iso(paid_at or utcnow()),
    }


def apply_payment(invoice: Record, amount_cents: int, moment: datetime | None = None) -> bool:
    """Add a succeeded payment to `invoice`; marks it paid once nothing is due. True when now fully paid."""
    invoice["total_paid_amount_cents"] = int(invoice.get("total_paid_amount_cents") or 0) + amount_cents
    recompute_totals(invoice)
    if invoice["total_due_amount_cents"] == 0:
        set_payment_status(invoice, "succeeded", moment)
        return True
    return False
