"""Manual payments over real HTTP: partial and full payment of an invoice, validation, listing."""

from __future__ import annotations

from typing import Any

import httpx

Json = dict[str, Any]


async def _open_invoice(client: httpx.AsyncClient) -> Json:
    params = {"status": "finalized", "payment_status": "pending", "amount_from": 200, "per_page": 1}
    invoices: list[Json] = (await client.get("/invoices", params=params)).json()["invoices"]
    assert invoices, "the small demo seed has no open finalized invoice"
    return invoices[0]


async def _pay(client: httpx.AsyncClient, invoice_id: str, amount: Any, reference: Any = "WIRE-42") -> httpx.Response:
    body = {"payment": {"invoice_id": invoice_id, "amount_cents": amount, "reference": reference}}
    return await client.post("/payments", json=body)


async def test_partial_then_full_payment_settles_the_invoice(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _open_invoice(sandbox_http)
    total = invoice["total_amount_cents"]
    first = await _pay(sandbox_http, invoice["lago_id"], 100)
    assert first.status_code == 200, first.text
    payment = first.json()["payment"]
    assert payment["type"] == "manual" and payment["payment_status"] == "succeeded"
    assert payment["invoice_ids"] == [invoice["lago_id"]] and payment["reference"] == "WIRE-42"
    halfway = (await sandbox_http.get(f"/invoices/{invoice['lago_id']}")).json()["invoice"]
    assert (halfway["payment_status"], halfway["total_due_amount_cents"]) == ("pending", total - 100)
    too_much = await _pay(sandbox_http, invoice["lago_id"], total)
    assert too_much.status_code == 422
    assert too_much.json()["error_details"] == {"amount_cents": ["greater_than_due_amount"]}
    assert (await _pay(sandbox_http, invoice["lago_id"], total - 100)).status_code == 200
    paid = (await sandbox_http.get(f"/invoices/{invoice['lago_id']}")).json()["invoice"]
    assert (paid["payment_status"], paid["total_due_amount_cents"], paid["total_paid_amount_cents"]) == (
        "succeeded",
        0,
        total,
    )
    activity = (await sandbox_http.get("/activity_logs", params={"activity_types[]": "payment.recorded"})).json()
    assert payment["lago_id"] in {log["resource_id"] for log in activity["activity_logs"]}


async def test_payment_validation_says_which_field_is_wrong(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _open_invoice(sandbox_http)
    cases = [
        (await _pay(sandbox_http, invoice["lago_id"], 0), {"amount_cents": ["invalid_value"]}),
        (await _pay(sandbox_http, invoice["lago_id"], "100"), {"amount_cents": ["invalid_value"]}),
        (await _pay(sandbox_http, invoice["lago_id"], 100, reference=""), {"reference": ["value_is_mandatory"]}),
        (await _pay(sandbox_http, "", 100), {"invoice_id": ["value_is_mandatory"]}),
    ]
    for response, details in cases:
        assert response.status_code == 422
        assert response.json()["error_details"] == details
    drafts = (await sandbox_http.get("/invoices", params={"status": "draft"})).json()["invoices"]
    on_draft = await _pay(sandbox_http, drafts[0]["lago_id"], 100)
    assert on_draft.json()["error_details"] == {"invoice_id": ["invalid_status"]}
    missing = await _pay(sandbox_http, "00000000-0000-4000-8000-000000000000", 100)
    assert missing.json() == {"status": 404, "error": "Not Found", "code": "invoice_not_found"}


async def test_payments_list_by_customer_and_invoice_newest_first(sandbox_http: httpx.AsyncClient) -> None:
    everything = (await sandbox_http.get("/payments", params={"per_page": 1000})).json()["payments"]
    created = [payment["created_at"] for payment in everything]
    assert created == sorted(created, reverse=True)
    acme = (await sandbox_http.get("/customers/acme_corp/payments")).json()["payments"]
    assert acme and {p["external_customer_id"] for p in acme} == {"acme_corp"}
    filtered = (await sandbox_http.get("/payments", params={"external_customer_id": "acme_corp"})).json()["payments"]
    assert [p["lago_id"] for p in filtered] == [p["lago_id"] for p in acme]
    one = acme[0]
    by_invoice = await sandbox_http.get("/payments", params={"invoice_id": one["invoice_ids"][0]})
    assert one["lago_id"] in {p["lago_id"] for p in by_invoice.json()["payments"]}
    assert (await sandbox_http.get(f"/payments/{one['lago_id']}")).json() == {"payment": one}
    assert (await sandbox_http.get("/customers/nobody/payments")).json()["code"] == "customer_not_found"
