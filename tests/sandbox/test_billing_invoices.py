"""Invoices in the sandbox over real HTTP: filters, ordering, lifecycle rules, download, preview, one-off."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from billing_agent.sandbox import OTHER_API_KEY, SandboxServer
from billing_agent.sandbox.invoicing import retry_payment_succeeds

Json = dict[str, Any]


async def _invoices(client: httpx.AsyncClient, **params: Any) -> list[Json]:
    response = await client.get("/invoices", params={"per_page": 1000, **params})
    assert response.status_code == 200, response.text
    items: list[Json] = response.json()["invoices"]
    return items


async def _first(client: httpx.AsyncClient, **params: Any) -> Json:
    items = await _invoices(client, **params)
    assert items, f"the small demo seed has no invoice matching {params}"
    return items[0]


async def test_list_is_newest_first_with_lago_pagination_meta(sandbox_http: httpx.AsyncClient) -> None:
    everything = await _invoices(sandbox_http)
    dates = [invoice["issuing_date"] for invoice in everything]
    assert dates == sorted(dates, reverse=True)
    page = (await sandbox_http.get("/invoices", params={"per_page": 10, "page": 2})).json()
    total = len(everything)
    assert page["meta"] == {
        "current_page": 2,
        "next_page": 3 if total > 20 else None,
        "prev_page": 1,
        "total_pages": (total + 9) // 10,
        "total_count": total,
    }
    assert [i["lago_id"] for i in page["invoices"]] == [i["lago_id"] for i in everything[10:20]]


async def test_overdue_filter_matches_lagos_definition(sandbox_http: httpx.AsyncClient) -> None:
    today = date.today().isoformat()
    overdue = await _invoices(sandbox_http, payment_overdue="true")
    assert overdue
    for invoice in overdue:
        assert invoice["payment_overdue"] is True
        assert invoice["status"] == "finalized"
        assert invoice["payment_status"] != "succeeded"
        assert invoice["payment_due_date"] < today
    not_overdue = await _invoices(sandbox_http, payment_overdue="false")
    assert len(overdue) + len(not_overdue) == len(await _invoices(sandbox_http))


async def test_status_date_amount_and_customer_filters_combine(sandbox_http: httpx.AsyncClient) -> None:
    since = (date.today() - timedelta(days=30)).isoformat()
    params = [("statuses[]", "finalized"), ("statuses[]", "failed"), ("issuing_date_from", since)]
    chosen = (
        await sandbox_http.get("/invoices", params=[*params, ("amount_from", "5000"), ("per_page", "500")])
    ).json()
    assert chosen["invoices"]
    for invoice in chosen["invoices"]:
        assert invoice["status"] in ("finalized", "failed")
        assert invoice["issuing_date"] >= since
        assert invoice["total_amount_cents"] >= 5000
    acme = await _invoices(sandbox_http, external_customer_id="acme_corp")
    assert acme and {i["customer"]["external_id"] for i in acme} == {"acme_corp"}
    nested = (await sandbox_http.get("/customers/acme_corp/invoices")).json()["invoices"]
    assert [i["lago_id"] for i in nested] == [i["lago_id"] for i in acme]


async def test_search_term_matches_number_customer_name_and_email(sandbox_http: httpx.AsyncClient) -> None:
    by_number = await _invoices(sandbox_http, search_term="INV-001")
    assert "INV-001" in {i["number"] for i in by_number}
    acme = await _first(sandbox_http, external_customer_id="acme_corp")
    name = acme["customer"]["name"]
    by_name = await _invoices(sandbox_http, search_term=name.split()[0].lower())
    assert acme["lago_id"] in {i["lago_id"] for i in by_name}
    by_id = await _invoices(sandbox_http, search_term=acme["lago_id"])
    assert [i["lago_id"] for i in by_id] == [acme["lago_id"]]
    await sandbox_http.post("/customers", json={"customer": {"external_id": "acme_corp", "name": "Zyxwv Holdings"}})
    renamed = await _invoices(sandbox_http, search_term="ZYXWV")
    assert acme["lago_id"] in {i["lago_id"] for i in renamed}
    assert {i["customer"]["name"] for i in renamed} == {"Zyxwv Holdings"}


async def test_invalid_filters_answer_422_with_details(sandbox_http: httpx.AsyncClient) -> None:
    response = await sandbox_http.get("/invoices", params={"payment_status": "paid", "issuing_date_from": "yesterday"})
    assert response.status_code == 422
    details = response.json()["error_details"]
    assert set(details) == {"payment_status", "issuing_date_from"}


async def test_finalize_keeps_number_and_only_finds_drafts(sandbox_http: httpx.AsyncClient) -> None:
    draft = await _first(sandbox_http, status="draft")
    finalized = await sandbox_http.put(f"/invoices/{draft['lago_id']}/finalize")
    assert finalized.status_code == 200
    invoice = finalized.json()["invoice"]
    assert (invoice["status"], invoice["number"], invoice["issuing_date"]) == (
        "finalized",
        draft["number"],
        draft["issuing_date"],
    )
    again = await sandbox_http.put(f"/invoices/{draft['lago_id']}/finalize")
    assert again.status_code == 404
    assert again.json() == {"status": 404, "error": "Not Found", "code": "invoice_not_found"}


async def test_refresh_recomputes_drafts_and_leaves_others_untouched(sandbox_http: httpx.AsyncClient) -> None:
    paid = await _first(sandbox_http, payment_status="succeeded")
    response = await sandbox_http.put(f"/invoices/{paid['lago_id']}/refresh")
    assert response.status_code == 200
    assert response.json()["invoice"]["updated_at"] == paid["updated_at"]
    draft = await _first(sandbox_http, status="draft")
    refreshed = (await sandbox_http.put(f"/invoices/{draft['lago_id']}/refresh")).json()["invoice"]
    assert refreshed["status"] == "draft"
    assert refreshed["total_amount_cents"] == sum(fee["amount_cents"] for fee in refreshed["fees"])


async def test_retry_regenerates_failed_invoices_only(sandbox_http: httpx.AsyncClient) -> None:
    failed = await _first(sandbox_http, status="failed")
    retried = await sandbox_http.post(f"/invoices/{failed['lago_id']}/retry")
    assert retried.status_code == 200
    assert retried.json()["invoice"]["status"] == "finalized"
    again = await sandbox_http.post(f"/invoices/{failed['lago_id']}/retry")
    assert again.status_code == 405
    assert again.json() == {"status": 405, "error": "Method Not Allowed", "code": "invalid_status"}


async def test_retry_payment_answers_an_empty_200_and_settles_deterministically(
    sandbox_http: httpx.AsyncClient,
) -> None:
    unpaid = await _invoices(sandbox_http, status="finalized", payment_status="failed")
    for invoice in unpaid[:6]:
        response = await sandbox_http.post(f"/invoices/{invoice['lago_id']}/retry_payment")
        assert (response.status_code, response.content) == (200, b"")
        after = (await sandbox_http.get(f"/invoices/{invoice['lago_id']}")).json()["invoice"]
        expected = "succeeded" if retry_payment_succeeds(invoice["lago_id"]) else "failed"
        assert after["payment_status"] == expected
        assert after["total_due_amount_cents"] == (0 if expected == "succeeded" else invoice["total_due_amount_cents"])
        payments = (await sandbox_http.get("/payments", params={"invoice_id": invoice["lago_id"]})).json()["payments"]
        assert payments[0]["payment_status"] == expected and payments[0]["type"] == "provider"
    paid = await _first(sandbox_http, payment_status="succeeded")
    refused = await sandbox_http.post(f"/invoices/{paid['lago_id']}/retry_payment")
    assert (refused.status_code, refused.json()["code"]) == (405, "invalid_status")
    draft = await _first(sandbox_http, status="draft")
    assert (await sandbox_http.post(f"/invoices/{draft['lago_id']}/retry_payment")).status_code == 405


async def test_void_only_unpaid_finalized_invoices(sandbox_http: httpx.AsyncClient) -> None:
    unpaid = await _first(sandbox_http, status="finalized", payment_status="pending")
    voided = await sandbox_http.post(f"/invoices/{unpaid['lago_id']}/void")
    assert voided.status_code == 200
    body = voided.json()["invoice"]
    assert body["status"] == "voided" and body["payment_overdue"] is False
    for target in (
        unpaid,
        await _first(sandbox_http, payment_status="succeeded"),
        await _first(sandbox_http, status="draft"),
    ):
        refused = await sandbox_http.post(f"/invoices/{target['lago_id']}/void")
        assert (refused.status_code, refused.json()["code"]) == (405, "not_voidable")
    update = await sandbox_http.put(f"/invoices/{unpaid['lago_id']}", json={"invoice": {"payment_status": "succeeded"}})
    assert (update.status_code, update.json()["code"]) == (405, "update_on_voided_invoice")


async def test_update_sets_payment_status_and_replaces_metadata(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _first(sandbox_http, status="finalized", payment_status="pending")
    path = f"/invoices/{invoice['lago_id']}"
    first = (await sandbox_http.put(path, json={"invoice": {"metadata": [{"key": "po", "value": "1"}]}})).json()
    entry = first["invoice"]["metadata"][0]
    body = {
        "invoice": {"payment_status": "succeeded", "metadata": [{"id": entry["lago_id"], "key": "po", "value": "2"}]}
    }
    updated = (await sandbox_http.put(path, json=body)).json()["invoice"]
    assert updated["payment_status"] == "succeeded" and updated["payment_overdue"] is False
    assert updated["metadata"] == [{**entry, "value": "2"}]
    assert all(fee["payment_status"] == "succeeded" for fee in updated["fees"])
    bad = await sandbox_http.put(path, json={"invoice": {"payment_status": "paid"}})
    assert bad.status_code == 422 and bad.json()["error_details"] == {"payment_status": ["value_is_invalid"]}


async def test_download_sets_a_file_url_that_serves_a_pdf(sandbox_server: SandboxServer) -> None:
    headers = {"Authorization": "Bearer sandbox-demo-key"}
    async with httpx.AsyncClient(base_url=sandbox_server.api_url, headers=headers) as client:
        inv_001 = await _first(client, search_term="INV-001")
        assert inv_001["number"] == "INV-001" and inv_001["file_url"] is None
        downloaded = (await client.post(f"/invoices/{inv_001['lago_id']}/download")).json()["invoice"]
        assert downloaded["file_url"].startswith(sandbox_server.url)
        pdf = await client.get(downloaded["file_url"], headers={"Authorization": ""})
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-1.4") and b"INV-001" in pdf.content
        draft = await _first(client, status="draft")
        assert (await client.post(f"/invoices/{draft['lago_id']}/download")).status_code == 404


async def test_preview_computes_plan_and_coupon_and_saves_nothing(sandbox_http: httpx.AsyncClient) -> None:
    before = len(await _invoices(sandbox_http))
    plan = (await sandbox_http.get("/plans")).json()["plans"][0]
    coupon = (await sandbox_http.get("/coupons/SUMMER20")).json()["coupon"]
    body = {"customer": {"external_id": "acme_corp"}, "plan_code": plan["code"], "coupons": [{"code": "SUMMER20"}]}
    preview = (await sandbox_http.post("/invoices/preview", json=body)).json()["invoice"]
    assert preview["fees_amount_cents"] == plan["amount_cents"]
    if coupon["coupon_type"] == "percentage":
        expected = round(plan["amount_cents"] * float(coupon["percentage_rate"]) / 100)
    else:
        expected = min(coupon["amount_cents"], plan["amount_cents"])
    assert preview["coupons_amount_cents"] == expected
    assert preview["total_amount_cents"] == plan["amount_cents"] - expected
    assert preview["customer"]["external_id"] == "acme_corp" and preview["status"] == "draft"
    assert len(await _invoices(sandbox_http)) == before
    assert (await sandbox_http.get(f"/invoices/{preview['lago_id']}")).status_code == 404


async def test_one_off_invoice_is_finalized_with_the_next_number(sandbox_http: httpx.AsyncClient) -> None:
    newest_number = max(int(i["number"].split("-")[1]) for i in await _invoices(sandbox_http))
    fees = [{"add_on_code": "extra_seats", "units": "3"}, {"add_on_code": "setup_fee", "unit_amount_cents": 9900}]
    response = await sandbox_http.post(
        "/invoices", json={"invoice": {"external_customer_id": "acme_corp", "fees": fees}}
    )
    assert response.status_code == 200, response.text
    invoice = response.json()["invoice"]
    assert invoice["invoice_type"] == "one_off" and invoice["status"] == "finalized"
    assert invoice["number"] == f"INV-{newest_number + 1:03d}"
    assert [fee["amount_cents"] for fee in invoice["fees"]] == [3 * 2000, 9900]
    assert invoice["total_amount_cents"] == invoice["total_due_amount_cents"] == 6000 + 9900
    unknown = await sandbox_http.post(
        "/invoices", json={"invoice": {"external_customer_id": "acme_corp", "fees": [{"add_on_code": "nope"}]}}
    )
    assert unknown.json() == {"status": 404, "error": "Not Found", "code": "add_on_not_found"}


async def test_invoices_of_one_org_are_invisible_to_another(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _first(sandbox_http)
    other = {"Authorization": f"Bearer {OTHER_API_KEY}"}
    response = await sandbox_http.get(f"/invoices/{invoice['lago_id']}", headers=other)
    assert response.status_code == 404
    listed = (await sandbox_http.get("/invoices", headers=other)).json()["invoices"]
    assert invoice["lago_id"] not in {i["lago_id"] for i in listed}


async def test_preview_of_existing_subscriptions_applies_the_customers_coupons(sandbox_http: httpx.AsyncClient) -> None:
    subscription = (await sandbox_http.get("/customers/acme_corp/subscriptions")).json()["subscriptions"][0]
    plan = (await sandbox_http.get(f"/plans/{subscription['plan_code']}")).json()["plan"]
    body = {"customer": {"external_id": "acme_corp"}, "subscriptions": {"external_ids": [subscription["external_id"]]}}
    before = (await sandbox_http.post("/invoices/preview", json=body)).json()["invoice"]
    assert [s["external_id"] for s in before["subscriptions"]] == [subscription["external_id"]]
    assert before["fees_amount_cents"] == plan["amount_cents"]
    apply = {"applied_coupon": {"external_customer_id": "acme_corp", "coupon_code": "FLAT50"}}
    coupon = (await sandbox_http.post("/applied_coupons", json=apply)).json()["applied_coupon"]
    after = (await sandbox_http.post("/invoices/preview", json=body)).json()["invoice"]
    remaining = plan["amount_cents"] - before["coupons_amount_cents"]
    assert after["coupons_amount_cents"] - before["coupons_amount_cents"] == min(coupon["amount_cents"], remaining) > 0
    assert after["total_amount_cents"] == after["fees_amount_cents"] - after["coupons_amount_cents"]
    missing = {"customer": {"external_id": "acme_corp"}, "subscriptions": {"external_ids": ["not_acmes"]}}
    assert (await sandbox_http.post("/invoices/preview", json=missing)).json()["code"] == "subscription_not_found"
