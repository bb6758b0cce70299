"""Credit note records (kind `credit_note`, keyed by `lago_id`): validation of a request and its effect.

Rules after Lago's CreditNotes::CreateService / ValidateService, without taxes: items credit fees of the
invoice (404 `fee_not_found`, 422 `higher_than_remaining_fee_amount`); credit + refund + offset must equal the
items' total (422 `does_not_match_item_amounts`); a refund needs a paid invoice; an offset cannot exceed what is
due. The sandbox only credits finalized invoices (405 `invalid_type_or_status`); Lago would make a draft
credit note for a draft invoice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from billing_agent.sandbox.http import not_allowed, not_found, validation_error
from billing_agent.sandbox.invoicing import recompute_totals, set_payment_status, today
from billing_agent.sandbox.store import Record, iso, new_id, utcnow

CREDIT_NOTE_KIND = "credit_note"
REASONS = (
    "duplicated_charge",
    "product_unsatisfactory",
    "order_change",
    "order_cancellation",
    "fraudulent_charge",
    "other",
)
REFUND_STATUSES = ("pending", "succeeded", "failed")


def _amount(params: dict[str, Any], name: str) -> int:
    value = params.get(name)
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise validation_error(**{name: ["invalid_value"]})
    return value


def build_credit_note(
    invoice: Record, params: dict[str, Any], existing: list[Record], moment: datetime | None = None
) -> Record:
    """A new credit note on `invoice` from the request `params`; `existing` are the invoice's other notes."""
    if invoice["status"] != "finalized":
        raise not_allowed("invalid_type_or_status")
    reason = params.get("reason")
    if reason not in REASONS:
        raise validation_error(reason=["value_is_invalid"])
    items = _items(invoice, params.get("items"), existing)
    metadata = params.get("metadata")
    if metadata is not None and not (
        isinstance(metadata, dict)
        and all(isinstance(k, str) and len(k) <= 100 and (v is None or isinstance(v, str)) for k, v in metadata.items())
    ):
        raise validation_error(metadata=["invalid_value"])
    total = sum(item["amount_cents"] for item in items)
    credit, refund, offset = (_amount(params, f"{kind}_amount_cents") for kind in ("credit", "refund", "offset"))
    _check_amounts(invoice, existing, total, credit, refund, offset)
    stamp = iso(moment or utcnow())
    sequence = len(existing) + 1
    customer: Record = invoice.get("_customer") or {}
    return {
        "lago_id": new_id(),
        "billing_entity_code": invoice.get("billing_entity_code"),
        "sequential_id": sequence,
        "number": f"{invoice['number']}-CN{sequence:03d}",
        "lago_invoice_id": invoice["lago_id"],
        "invoice_number": invoice["number"],
        "issuing_date": (moment.date() if moment else today()).isoformat(),
        "credit_status": "available" if credit > 0 else None,
        "refund_status": "pending" if refund > 0 else None,
        "reason": reason,
        "description": params.get("description"),
        "currency": invoice["currency"],
        "total_amount_cents": total,
        "taxes_amount_cents": 0,
        "taxes_rate": 0.0,
        "sub_total_excluding_taxes_amount_cents": total,
        "balance_amount_cents": credit,
        "credit_amount_cents": credit,
        "refund_amount_cents": refund,
        "offset_amount_cents": offset,
        "coupons_adjustment_amount_cents": 0,
        "created_at": stamp,
        "updated_at": stamp,
        "voided_at": None,
        "file_url": None,
        "self_billed": False,
        "items": items,
        "applied_taxes": [],
        "metadata": dict(metadata) if metadata else None,
        "_customer_external_id": customer.get("external_id"),
    }


def _items(invoice: Record, raw: Any, existing: list[Record]) -> list[Record]:
    if not isinstance(raw, list) or not raw:
        raise validation_error(items=["must_be_an_array"])
    fees = {fee["lago_id"]: fee for fee in invoice["fees"]}
    credited: dict[str, int] = {}
    for note in existing:
        for item in note["items"]:
            credited[item["fee"]["lago_id"]] = credited.get(item["fee"]["lago_id"], 0) + item["amount_cents"]
    items = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise validation_error(items=["invalid_item"])
        fee = fees.get(str(entry.get("fee_id")))
        if fee is None:
            raise not_found("fee")
        amount = entry.get("amount_cents")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise validation_error(amount_cents=["invalid_value"])
        credited[fee["lago_id"]] = credited.get(fee["lago_id"], 0) + amount
        if credited[fee["lago_id"]] > int(fee["amount_cents"]):
            raise validation_error(amount_cents=["higher_than_remaining_fee_amount"])
        items.append({"lago_id": new_id(), "amount_cents": amount, "amount_currency": invoice["currency"], "fee": fee})
    return items


def _check_amounts(invoice: Record, existing: list[Record], total: int, credit: int, refund: int, offset: int) -> None:
    if abs(credit + refund + offset - total) > 1:
        raise validation_error(base=["does_not_match_item_amounts"])
    if refund > 0:
        paid = int(invoice.get("total_paid_amount_cents") or 0)
        if paid <= 0:
            raise validation_error(refund_amount_cents=["cannot_refund_unpaid_invoice"])
        if refund > paid - sum(int(note["refund_amount_cents"]) for note in existing):
            raise validation_error(refund_amount_cents=["higher_than_remaining_invoice_amount"])
    if offset > int(invoice["total_due_amount_cents"]):
        raise validation_error(offset_amount_cents=["higher_than_remaining_invoice_amount"])


def apply_offset(invoice: Record, note: Record) -> None:
    """Deduct the note's offset from what the invoice still owes; nothing due → paid."""
    offset = int(note["offset_amount_cents"])
    if offset <= 0:
        return
    invoice["total_offsetted_credit_note_amount_cents"] = (
        int(invoice.get("total_offsetted_credit_note_amount_cents") or 0) + offset
    )
    recompute_totals(invoice)
    if invoice["total_due_amount_cents"] == 0:
        set_payment_status(invoice, "succeeded")


def void_credit_note(note: Record) -> None:
    """Void the remaining credit of `note`; 405 `no_voidable_amount` when nothing is left to void."""
    if note.get("credit_status") == "voided" or int(note["balance_amount_cents"]) <= 0:
        raise not_allowed("no_voidable_amount")
    stamp = iso(utcnow())
    note.update(credit_status="voided", balance_amount_cents=0, voided_at=stamp, updated_at=stamp)


def update_refund_status(note: Record, params: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply `refund_status` from a PUT; returns the changes."""
    status = params.get("refund_status")
    if status not in REFUND_STATUSES:
        raise validation_error(refund_status=["value_is_invalid"])
    changes = {"refund_status": [note.get("refund_status"), status]}
    note["refund_status"] = status
    note["updated_at"] = iso(utcnow())
    return changes
