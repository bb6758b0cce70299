"""Invoices, payments and credit notes through the client against the demo sandbox (real HTTP)."""

from __future__ import annotations

from datetime import date

import pytest

from billing_agent.lago import (
    CreditNote,
    Invoice,
    LagoClient,
    LagoNotAllowedError,
    LagoNotFoundError,
    Payment,
)


async def _unpaid_finalized(lago: LagoClient) -> Invoice:
    page = await lago.list_invoices(status="finalized", payment_status="pending", per_page=100)
    assert page.items, "the demo seed has unpaid finalized invoices"
    return page.items[0]


async def test_invoice_filters(lago: LagoClient) -> None:
    overdue = [i async for i in lago.iterate(lago.list_invoices, payment_overdue=True)]
    assert overdue and all(i.payment_overdue for i in overdue)
    failed = await lago.list_invoices(payment_status="failed")
    assert failed.items and all(i.payment_status == "failed" for i in failed.items)
    recent = await lago.list_invoices(issuing_date_from=date.today().replace(day=1), per_page=100)
    assert all(i.issuing_date is not None and i.issuing_date >= date.today().replace(day=1) for i in recent.items)
    mine = await lago.list_customer_invoices("acme_corp")
    assert mine.items and all(i.customer is not None and i.customer.external_id == "acme_corp" for i in mine.items)
    by_number = await lago.list_invoices(search_term="INV-001")
    assert any(i.number == "INV-001" for i in by_number.items)


async def test_draft_refresh_then_finalize(lago: LagoClient) -> None:
    draft = (await lago.list_invoices(status="draft", per_page=1)).items[0]
    assert (await lago.refresh_invoice(draft.lago_id)).status == "draft"
    finalized = await lago.finalize_invoice(draft.lago_id)
    assert finalized.status == "finalized" and finalized.number
    assert (await lago.get_invoice(draft.lago_id)).status == "finalized"


async def test_download_void_and_update(lago: LagoClient) -> None:
    invoice = await _unpaid_finalized(lago)
    downloaded = await lago.download_invoice(invoice.lago_id)  # the sandbox renders at once; Lago may answer None
    assert downloaded is not None and (downloaded.file_url or "").startswith("http")
    updated = await lago.update_invoice(invoice.lago_id, {"metadata": [{"key": "po", "value": "PO-1"}]})
    assert updated.lago_id == invoice.lago_id
    voided = await lago.void_invoice(invoice.lago_id)
    assert voided.status == "voided"
    with pytest.raises(LagoNotAllowedError) as caught:
        await lago.void_invoice(invoice.lago_id)
    assert caught.value.code == "not_voidable"


async def test_retry_payment_answers_empty_and_retry_needs_a_failed_invoice(lago: LagoClient) -> None:
    invoice = (await lago.list_invoices(status="finalized", payment_status="failed", per_page=1)).items[0]
    assert await lago.retry_invoice_payment(invoice.lago_id) is None
    with pytest.raises(LagoNotAllowedError) as caught:
        await lago.retry_invoice(invoice.lago_id)  # finalized, not failed
    assert caught.value.code == "invalid_status"
    failed = (await lago.list_invoices(status="failed", per_page=1)).items
    assert failed, "the demo seed has invoices that failed to generate"
    retried = await lago.retry_invoice(failed[0].lago_id)
    assert (retried.lago_id, retried.status) == (failed[0].lago_id, "finalized")


async def test_preview_saves_nothing(lago: LagoClient) -> None:
    before = (await lago.list_invoices()).meta.total_count
    plan = (await lago.list_plans(per_page=1)).items[0]
    preview = await lago.preview_invoice({"customer": {"external_id": "acme_corp"}, "plan_code": plan.code})
    assert isinstance(preview, Invoice) and preview.total_amount_cents is not None
    assert (await lago.list_invoices()).meta.total_count == before


async def test_one_off_invoice_needs_a_known_add_on(lago: LagoClient) -> None:
    with pytest.raises(LagoNotFoundError) as caught:
        await lago.create_invoice(
            {"external_customer_id": "acme_corp", "currency": "USD", "fees": [{"add_on_code": "no_such_add_on"}]}
        )
    assert caught.value.code == "add_on_not_found"


async def test_manual_payment(lago: LagoClient) -> None:
    invoice = await _unpaid_finalized(lago)
    amount = invoice.total_amount_cents or 0
    payment = await lago.create_payment(
        {"invoice_id": invoice.lago_id, "amount_cents": amount, "reference": "wire-42", "paid_at": "2026-01-05"}
    )
    assert isinstance(payment, Payment) and payment.amount_cents == amount and payment.reference == "wire-42"
    assert (await lago.get_payment(payment.lago_id)).lago_id == payment.lago_id
    by_invoice = await lago.list_payments(invoice_id=invoice.lago_id)
    assert payment.lago_id in {p.lago_id for p in by_invoice.items}
    assert invoice.customer is not None
    customer_payments = await lago.list_customer_payments(invoice.customer.external_id)
    assert payment.lago_id in {p.lago_id for p in customer_payments.items}


async def test_credit_note_create_update_void(lago: LagoClient) -> None:
    invoice = await _unpaid_finalized(lago)
    full = await lago.get_invoice(invoice.lago_id)
    fees = full.model_dump(mode="json").get("fees") or []
    assert fees, "GET /invoices/{id} returns the fees"
    fee = fees[0]
    amount = min(100, int(fee["amount_cents"]))
    note = await lago.create_credit_note(
        {
            "invoice_id": invoice.lago_id,
            "reason": "other",
            "items": [{"fee_id": fee["lago_id"], "amount_cents": amount}],
            "credit_amount_cents": amount,
            "refund_amount_cents": 0,
        }
    )
    assert isinstance(note, CreditNote) and note.credit_amount_cents == amount
    assert (await lago.get_credit_note(note.lago_id)).lago_invoice_id == invoice.lago_id
    assert note.lago_id in {n.lago_id for n in (await lago.list_credit_notes(per_page=100)).items}
    assert (await lago.update_credit_note(note.lago_id, {"refund_status": "succeeded"})).lago_id == note.lago_id
    voided = await lago.void_credit_note(note.lago_id)
    assert voided.credit_status == "voided"
