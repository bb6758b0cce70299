"""Conformance cases: invoices, payments, credit notes, activity and API logs."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from tests.sandbox.conformance import UNKNOWN_ID, Api, Json, case

# invoices ----------------------------------------------------------------------------------------------------------


@case("GET", "/invoices", 200)
async def _list_invoices(api: Api) -> httpx.Response:
    return await api.client.get("/invoices", params={"per_page": 20})


@case("GET", "/invoices", 200)
async def _list_overdue_invoices_last_30_days(api: Api) -> httpx.Response:
    since = (date.today() - timedelta(days=30)).isoformat()
    return await api.client.get("/invoices", params={"payment_overdue": "true", "issuing_date_from": since})


@case("GET", "/invoices", 200)
async def _list_failed_invoices_by_statuses(api: Api) -> httpx.Response:
    return await api.client.get("/invoices", params=[("statuses[]", "failed"), ("payment_statuses[]", "pending")])


@case("GET", "/invoices", 200)
async def _search_invoices(api: Api) -> httpx.Response:
    return await api.client.get("/invoices", params={"search_term": "INV-00", "amount_from": 1})


@case("GET", "/invoices", 422)
async def _list_invoices_bad_status(api: Api) -> httpx.Response:
    return await api.client.get("/invoices", params={"payment_status": "paid"})


@case("GET", "/invoices", 401)
async def _list_invoices_unknown_key(api: Api) -> httpx.Response:
    return await api.client.get("/invoices", headers={"Authorization": "Bearer not-a-key"})


@case("GET", "/customers/{external_customer_id}/invoices", 200)
async def _list_customer_invoices(api: Api) -> httpx.Response:
    return await api.client.get("/customers/acme_corp/invoices")


@case("GET", "/customers/{external_customer_id}/invoices", 404)
async def _list_invoices_of_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.get("/customers/nobody_here/invoices")


@case("GET", "/invoices/{lago_id}", 200)
async def _get_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True)
    return await api.client.get(f"/invoices/{invoice['lago_id']}")


@case("GET", "/invoices/{lago_id}", 404)
async def _get_unknown_invoice(api: Api) -> httpx.Response:
    return await api.client.get(f"/invoices/{UNKNOWN_ID}")


@case("PUT", "/invoices/{lago_id}", 200)
async def _update_invoice_metadata(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="finalized")
    body = {"invoice": {"metadata": [{"key": "po_number", "value": "PO-123"}]}}
    return await api.client.put(f"/invoices/{invoice['lago_id']}", json=body)


@case("PUT", "/invoices/{lago_id}", 405)
async def _update_voided_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="voided")
    return await api.client.put(f"/invoices/{invoice['lago_id']}", json={"invoice": {"payment_status": "succeeded"}})


@case("PUT", "/invoices/{lago_id}", 422)
async def _update_invoice_bad_payment_status(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="finalized")
    return await api.client.put(f"/invoices/{invoice['lago_id']}", json={"invoice": {"payment_status": "paid"}})


@case("PUT", "/invoices/{lago_id}", 404)
async def _update_unknown_invoice(api: Api) -> httpx.Response:
    return await api.client.put(f"/invoices/{UNKNOWN_ID}", json={"invoice": {"payment_status": "succeeded"}})


@case("PUT", "/invoices/{lago_id}/refresh", 200)
async def _refresh_draft_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="draft")
    return await api.client.put(f"/invoices/{invoice['lago_id']}/refresh")


@case("PUT", "/invoices/{lago_id}/refresh", 404)
async def _refresh_unknown_invoice(api: Api) -> httpx.Response:
    return await api.client.put(f"/invoices/{UNKNOWN_ID}/refresh")


@case("PUT", "/invoices/{lago_id}/finalize", 200)
async def _finalize_draft_invoice(api: Api) -> httpx.Response:
    invoices = await api.items("/invoices", "invoices", [("status", "draft")])
    return await api.client.put(f"/invoices/{invoices[-1]['lago_id']}/finalize")


@case("PUT", "/invoices/{lago_id}/finalize", 404)
async def _finalize_finalized_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="finalized")
    return await api.client.put(f"/invoices/{invoice['lago_id']}/finalize")


@case("POST", "/invoices/{lago_id}/retry", 200)
async def _retry_failed_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="failed")
    return await api.client.post(f"/invoices/{invoice['lago_id']}/retry")


@case("POST", "/invoices/{lago_id}/retry", 405)
async def _retry_finalized_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="finalized")
    return await api.client.post(f"/invoices/{invoice['lago_id']}/retry")


@case("POST", "/invoices/{lago_id}/retry", 404)
async def _retry_unknown_invoice(api: Api) -> httpx.Response:
    return await api.client.post(f"/invoices/{UNKNOWN_ID}/retry")


@case("POST", "/invoices/{lago_id}/retry_payment", 200)
async def _retry_payment_of_unpaid_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="finalized", payment_status="failed")
    return await api.client.post(f"/invoices/{invoice['lago_id']}/retry_payment")


@case("POST", "/invoices/{lago_id}/retry_payment", 405)
async def _retry_payment_of_paid_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="finalized", payment_status="succeeded")
    return await api.client.post(f"/invoices/{invoice['lago_id']}/retry_payment")


@case("POST", "/invoices/{lago_id}/retry_payment", 404)
async def _retry_payment_of_unknown_invoice(api: Api) -> httpx.Response:
    return await api.client.post(f"/invoices/{UNKNOWN_ID}/retry_payment")


@case("POST", "/invoices/{lago_id}/void", 200)
async def _void_unpaid_invoice(api: Api) -> httpx.Response:
    invoices = await api.items("/invoices", "invoices", [("status", "finalized"), ("payment_status", "pending")])
    return await api.client.post(f"/invoices/{invoices[-1]['lago_id']}/void")


@case("POST", "/invoices/{lago_id}/void", 405)
async def _void_paid_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="finalized", payment_status="succeeded")
    return await api.client.post(f"/invoices/{invoice['lago_id']}/void")


@case("POST", "/invoices/{lago_id}/void", 404)
async def _void_unknown_invoice(api: Api) -> httpx.Response:
    return await api.client.post(f"/invoices/{UNKNOWN_ID}/void")


@case("POST", "/invoices/{lago_id}/download", 200)
async def _download_inv_001(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: i["number"] == "INV-001", search_term="INV-001")
    return await api.client.post(f"/invoices/{invoice['lago_id']}/download")


@case("POST", "/invoices/{lago_id}/download", 404)
async def _download_draft_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="draft")
    return await api.client.post(f"/invoices/{invoice['lago_id']}/download")


@case("POST", "/invoices/preview", 200)
async def _preview_plan_for_customer(api: Api) -> httpx.Response:
    plan = await api.pick("/plans", "plans", lambda p: p["amount_cents"] > 0)
    body = {"customer": {"external_id": "acme_corp"}, "plan_code": plan["code"], "coupons": [{"code": "SUMMER20"}]}
    return await api.client.post("/invoices/preview", json=body)


@case("POST", "/invoices/preview", 200)
async def _preview_for_new_customer_with_inline_coupon(api: Api) -> httpx.Response:
    plan = await api.pick("/plans", "plans", lambda p: p["amount_cents"] > 0)
    coupon = {"code": "welcome", "coupon_type": "fixed_amount", "amount_cents": 1000, "amount_currency": "USD"}
    body = {"customer": {"name": "Prospect", "currency": "USD"}, "plan_code": plan["code"], "coupons": [coupon]}
    return await api.client.post("/invoices/preview", json=body)


@case("POST", "/invoices/preview", 404)
async def _preview_unknown_plan(api: Api) -> httpx.Response:
    return await api.client.post("/invoices/preview", json={"customer": {"external_id": "acme_corp"}, "plan_code": "x"})


@case("POST", "/invoices/preview", 422)
async def _preview_without_plan(api: Api) -> httpx.Response:
    return await api.client.post("/invoices/preview", json={"customer": {"external_id": "acme_corp"}})


@case("POST", "/invoices", 200)
async def _create_one_off_invoice(api: Api) -> httpx.Response:
    fees = [{"add_on_code": "setup_fee", "units": "2", "unit_amount_cents": 12000, "description": "Setup"}]
    return await api.client.post("/invoices", json={"invoice": {"external_customer_id": "acme_corp", "fees": fees}})


@case("POST", "/invoices", 404)
async def _create_one_off_invoice_unknown_customer(api: Api) -> httpx.Response:
    body = {"invoice": {"external_customer_id": "nobody_here", "fees": [{"add_on_code": "setup_fee"}]}}
    return await api.client.post("/invoices", json=body)


@case("POST", "/invoices", 422)
async def _create_one_off_invoice_without_fees(api: Api) -> httpx.Response:
    return await api.client.post("/invoices", json={"invoice": {"external_customer_id": "acme_corp", "fees": []}})


@case("POST", "/invoices", 400)
async def _create_one_off_invoice_unwrapped(api: Api) -> httpx.Response:
    return await api.client.post("/invoices", json={"external_customer_id": "acme_corp"})


# payments ----------------------------------------------------------------------------------------------------------


@case("POST", "/payments", 200)
async def _record_partial_manual_payment(api: Api) -> httpx.Response:
    invoice = await api.invoice(
        lambda i: i["total_due_amount_cents"] > 100, status="finalized", payment_status="pending"
    )
    body = {"payment": {"invoice_id": invoice["lago_id"], "amount_cents": 100, "reference": "WIRE-1"}}
    return await api.client.post("/payments", json=body)


@case("POST", "/payments", 404)
async def _record_payment_for_unknown_invoice(api: Api) -> httpx.Response:
    body = {"payment": {"invoice_id": UNKNOWN_ID, "amount_cents": 100, "reference": "WIRE-2"}}
    return await api.client.post("/payments", json=body)


@case("POST", "/payments", 422)
async def _record_payment_of_zero(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="finalized", payment_status="pending")
    body = {"payment": {"invoice_id": invoice["lago_id"], "amount_cents": 0, "reference": "WIRE-3"}}
    return await api.client.post("/payments", json=body)


@case("GET", "/payments", 200)
async def _list_payments(api: Api) -> httpx.Response:
    return await api.client.get("/payments", params={"external_customer_id": "acme_corp"})


@case("GET", "/payments/{lago_id}", 200)
async def _get_payment(api: Api) -> httpx.Response:
    payment = await api.pick("/payments", "payments")
    return await api.client.get(f"/payments/{payment['lago_id']}")


@case("GET", "/payments/{lago_id}", 404)
async def _get_unknown_payment(api: Api) -> httpx.Response:
    return await api.client.get(f"/payments/{UNKNOWN_ID}")


@case("GET", "/customers/{external_customer_id}/payments", 200)
async def _list_customer_payments(api: Api) -> httpx.Response:
    return await api.client.get("/customers/acme_corp/payments")


@case("GET", "/customers/{external_customer_id}/payments", 404)
async def _list_payments_of_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.get("/customers/nobody_here/payments")


# credit notes ------------------------------------------------------------------------------------------------------


async def _paid_invoice_with_fee(api: Api) -> tuple[Json, Json]:
    listed = await api.invoice(lambda i: i["total_amount_cents"] >= 400, status="finalized", payment_status="succeeded")
    invoice: Json = (await api.client.get(f"/invoices/{listed['lago_id']}")).json()["invoice"]
    return invoice, invoice["fees"][0]


@case("POST", "/credit_notes", 200)
async def _create_credit_note(api: Api) -> httpx.Response:
    invoice, fee = await _paid_invoice_with_fee(api)
    note = {
        "invoice_id": invoice["lago_id"],
        "reason": "order_change",
        "items": [{"fee_id": fee["lago_id"], "amount_cents": 200}],
        "credit_amount_cents": 100,
        "refund_amount_cents": 100,
    }
    return await api.client.post("/credit_notes", json={"credit_note": note})


@case("POST", "/credit_notes", 422)
async def _create_credit_note_with_unbalanced_amounts(api: Api) -> httpx.Response:
    invoice, fee = await _paid_invoice_with_fee(api)
    note = {
        "invoice_id": invoice["lago_id"],
        "reason": "other",
        "items": [{"fee_id": fee["lago_id"], "amount_cents": 200}],
        "credit_amount_cents": 50,
    }
    return await api.client.post("/credit_notes", json={"credit_note": note})


@case("POST", "/credit_notes", 404)
async def _create_credit_note_for_unknown_invoice(api: Api) -> httpx.Response:
    note = {"invoice_id": UNKNOWN_ID, "reason": "other", "items": []}
    return await api.client.post("/credit_notes", json={"credit_note": note})


@case("POST", "/credit_notes", 405)
async def _create_credit_note_for_draft_invoice(api: Api) -> httpx.Response:
    invoice = await api.invoice(lambda i: True, status="draft")
    note = {"invoice_id": invoice["lago_id"], "reason": "other", "items": [{"fee_id": UNKNOWN_ID, "amount_cents": 1}]}
    return await api.client.post("/credit_notes", json={"credit_note": note})


@case("GET", "/credit_notes", 200)
async def _list_credit_notes(api: Api) -> httpx.Response:
    return await api.client.get("/credit_notes", params={"per_page": 5})


@case("GET", "/credit_notes/{lago_id}", 200)
async def _get_credit_note(api: Api) -> httpx.Response:
    note = await api.pick("/credit_notes", "credit_notes")
    return await api.client.get(f"/credit_notes/{note['lago_id']}")


@case("GET", "/credit_notes/{lago_id}", 404)
async def _get_unknown_credit_note(api: Api) -> httpx.Response:
    return await api.client.get(f"/credit_notes/{UNKNOWN_ID}")


@case("PUT", "/credit_notes/{lago_id}", 200)
async def _update_credit_note_refund_status(api: Api) -> httpx.Response:
    note = await api.pick("/credit_notes", "credit_notes")
    return await api.client.put(
        f"/credit_notes/{note['lago_id']}", json={"credit_note": {"refund_status": "succeeded"}}
    )


@case("PUT", "/credit_notes/{lago_id}", 422)
async def _update_credit_note_bad_refund_status(api: Api) -> httpx.Response:
    note = await api.pick("/credit_notes", "credit_notes")
    return await api.client.put(f"/credit_notes/{note['lago_id']}", json={"credit_note": {"refund_status": "done"}})


@case("PUT", "/credit_notes/{lago_id}", 404)
async def _update_unknown_credit_note(api: Api) -> httpx.Response:
    return await api.client.put(f"/credit_notes/{UNKNOWN_ID}", json={"credit_note": {"refund_status": "failed"}})


@case("PUT", "/credit_notes/{lago_id}/void", 200)
async def _void_credit_note(api: Api) -> httpx.Response:
    note = await api.pick("/credit_notes", "credit_notes", lambda n: n["balance_amount_cents"] > 0)
    return await api.client.put(f"/credit_notes/{note['lago_id']}/void")


@case("PUT", "/credit_notes/{lago_id}/void", 405)
async def _void_credit_note_without_balance(api: Api) -> httpx.Response:
    note = await api.pick("/credit_notes", "credit_notes", lambda n: n["balance_amount_cents"] == 0)
    return await api.client.put(f"/credit_notes/{note['lago_id']}/void")


@case("PUT", "/credit_notes/{lago_id}/void", 404)
async def _void_unknown_credit_note(api: Api) -> httpx.Response:
    return await api.client.put(f"/credit_notes/{UNKNOWN_ID}/void")


@case("GET", "/customers/{external_customer_id}/credit_notes", 200)
async def _list_customer_credit_notes(api: Api) -> httpx.Response:
    note = await api.pick("/credit_notes", "credit_notes")
    return await api.client.get(f"/customers/{note['customer']['external_id']}/credit_notes")


@case("GET", "/customers/{external_customer_id}/credit_notes", 404)
async def _list_credit_notes_of_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.get("/customers/nobody_here/credit_notes")


# logs --------------------------------------------------------------------------------------------------------------


@case("GET", "/activity_logs", 200)
async def _list_activity_logs(api: Api) -> httpx.Response:
    since = (date.today() - timedelta(days=30)).isoformat()
    return await api.client.get("/activity_logs", params=[("from_date", since), ("resource_types[]", "Invoice")])


@case("GET", "/activity_logs/{activity_id}", 200)
async def _get_activity_log(api: Api) -> httpx.Response:
    log = await api.pick("/activity_logs", "activity_logs")
    return await api.client.get(f"/activity_logs/{log['activity_id']}")


@case("GET", "/activity_logs/{activity_id}", 404)
async def _get_unknown_activity_log(api: Api) -> httpx.Response:
    return await api.client.get(f"/activity_logs/{UNKNOWN_ID}")


@case("GET", "/api_logs", 200)
async def _list_api_logs(api: Api) -> httpx.Response:
    return await api.client.get("/api_logs", params=[("http_methods[]", "post"), ("http_statuses[]", "succeeded")])


@case("GET", "/api_logs/{request_id}", 200)
async def _get_api_log(api: Api) -> httpx.Response:
    log = await api.pick("/api_logs", "api_logs")
    return await api.client.get(f"/api_logs/{log['request_id']}")


@case("GET", "/api_logs/{request_id}", 404)
async def _get_unknown_api_log(api: Api) -> httpx.Response:
    return await api.client.get(f"/api_logs/{UNKNOWN_ID}")
