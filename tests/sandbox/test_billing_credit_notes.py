"""Credit notes over real HTTP: creation rules, offsets, refund status, voiding, listing."""

from __future__ import annotations

from typing import Any

import httpx

Json = dict[str, Any]


async def _invoice(client: httpx.AsyncClient, payment_status: str) -> Json:
    params = {"status": "finalized", "payment_status": payment_status, "amount_from": 1000, "per_page": 1}
    listed: list[Json] = (await client.get("/invoices", params=params)).json()["invoices"]
    assert listed, f"the small demo seed has no finalized {payment_status} invoice of at least $10"
    invoice: Json = (await client.get(f"/invoices/{listed[0]['lago_id']}")).json()["invoice"]
    return invoice


async def _create(client: httpx.AsyncClient, invoice: Json, amount: int, **amounts: int) -> httpx.Response:
    note = {
        "invoice_id": invoice["lago_id"],
        "reason": "product_unsatisfactory",
        "items": [{"fee_id": invoice["fees"][0]["lago_id"], "amount_cents": amount}],
        **amounts,
    }
    return await client.post("/credit_notes", json={"credit_note": note})


async def test_credit_and_refund_on_a_paid_invoice(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _invoice(sandbox_http, "succeeded")
    response = await _create(sandbox_http, invoice, 600, credit_amount_cents=400, refund_amount_cents=200)
    assert response.status_code == 200, response.text
    note = response.json()["credit_note"]
    assert note["number"].startswith(f"{invoice['number']}-CN")
    assert (note["total_amount_cents"], note["balance_amount_cents"]) == (600, 400)
    assert (note["credit_status"], note["refund_status"]) == ("available", "pending")
    assert note["items"][0]["fee"]["lago_id"] == invoice["fees"][0]["lago_id"]
    assert note["customer"]["external_id"] == invoice["customer"]["external_id"]
    refunded = await sandbox_http.put(
        f"/credit_notes/{note['lago_id']}", json={"credit_note": {"refund_status": "succeeded"}}
    )
    assert refunded.json()["credit_note"]["refund_status"] == "succeeded"
    voided = await sandbox_http.put(f"/credit_notes/{note['lago_id']}/void")
    assert (voided.json()["credit_note"]["credit_status"], voided.json()["credit_note"]["balance_amount_cents"]) == (
        "voided",
        0,
    )
    again = await sandbox_http.put(f"/credit_notes/{note['lago_id']}/void")
    assert again.json() == {"status": 405, "error": "Method Not Allowed", "code": "no_voidable_amount"}
    void_invoice = await sandbox_http.post(f"/invoices/{invoice['lago_id']}/void")
    assert void_invoice.status_code == 405


async def test_offset_reduces_what_an_unpaid_invoice_still_owes(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _invoice(sandbox_http, "pending")
    due = invoice["total_due_amount_cents"]
    assert (await _create(sandbox_http, invoice, 300, offset_amount_cents=300)).status_code == 200
    after = (await sandbox_http.get(f"/invoices/{invoice['lago_id']}")).json()["invoice"]
    assert after["total_due_amount_cents"] == due - 300
    refund = await _create(sandbox_http, invoice, 100, refund_amount_cents=100)
    assert refund.json()["error_details"] == {"refund_amount_cents": ["cannot_refund_unpaid_invoice"]}


async def test_creation_rules_reject_bad_amounts_and_unknown_fees(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _invoice(sandbox_http, "succeeded")
    fee_amount = invoice["fees"][0]["amount_cents"]
    unbalanced = await _create(sandbox_http, invoice, 500, credit_amount_cents=100)
    assert unbalanced.json()["error_details"] == {"base": ["does_not_match_item_amounts"]}
    too_big = await _create(sandbox_http, invoice, fee_amount + 1, credit_amount_cents=fee_amount + 1)
    assert too_big.json()["error_details"] == {"amount_cents": ["higher_than_remaining_fee_amount"]}
    note = {"invoice_id": invoice["lago_id"], "reason": "other", "items": [{"fee_id": "nope", "amount_cents": 1}]}
    unknown_fee = await sandbox_http.post("/credit_notes", json={"credit_note": {**note, "credit_amount_cents": 1}})
    assert unknown_fee.json()["code"] == "fee_not_found"
    bad_reason = await sandbox_http.post("/credit_notes", json={"credit_note": {**note, "reason": "because"}})
    assert bad_reason.json()["error_details"] == {"reason": ["value_is_invalid"]}
    drafts = (await sandbox_http.get("/invoices", params={"status": "draft"})).json()["invoices"]
    on_draft = await sandbox_http.post(
        "/credit_notes", json={"credit_note": {**note, "invoice_id": drafts[0]["lago_id"]}}
    )
    assert on_draft.json() == {"status": 405, "error": "Method Not Allowed", "code": "invalid_type_or_status"}


async def test_list_filters_and_customer_scope(sandbox_http: httpx.AsyncClient) -> None:
    notes = (await sandbox_http.get("/credit_notes")).json()["credit_notes"]
    assert notes, "the demo seed creates a few credit notes"
    note = notes[0]
    customer = note["customer"]["external_id"]
    nested = (await sandbox_http.get(f"/customers/{customer}/credit_notes")).json()["credit_notes"]
    assert {n["customer"]["external_id"] for n in nested} == {customer}
    by_reason = (await sandbox_http.get("/credit_notes", params={"reason": note["reason"]})).json()["credit_notes"]
    assert by_reason and {n["reason"] for n in by_reason} == {note["reason"]}
    by_invoice = await sandbox_http.get("/credit_notes", params={"invoice_number": note["invoice_number"]})
    assert note["lago_id"] in {n["lago_id"] for n in by_invoice.json()["credit_notes"]}
    searched = await sandbox_http.get("/credit_notes", params={"search_term": note["number"]})
    assert [n["lago_id"] for n in searched.json()["credit_notes"]] == [note["lago_id"]]
    assert (await sandbox_http.get("/customers/nobody/credit_notes")).json()["code"] == "customer_not_found"
