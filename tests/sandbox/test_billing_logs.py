"""Activity and API logs over real HTTP: what a mutation records, and Lago's filters on both lists."""

from __future__ import annotations

import json
from datetime import date, timedelta

import httpx


async def _void_one(client: httpx.AsyncClient) -> dict[str, object]:
    params = {"status": "finalized", "payment_status": "pending", "per_page": 1}
    invoice: dict[str, object] = (await client.get("/invoices", params=params)).json()["invoices"][0]
    assert (await client.post(f"/invoices/{invoice['lago_id']}/void")).status_code == 200
    return invoice


async def test_a_void_leaves_an_activity_log_that_filters_find(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _void_one(sandbox_http)
    customer = invoice["customer"]["external_id"]  # type: ignore[index]
    params = [
        ("activity_types[]", "invoice.voided"),
        ("resource_types[]", "Invoice"),
        ("external_customer_id", customer),
    ]
    logs = (await sandbox_http.get("/activity_logs", params=params)).json()["activity_logs"]
    newest = logs[0]
    assert newest["resource_id"] == invoice["lago_id"] and newest["activity_source"] == "api"
    assert newest["activity_object"]["status"] == "voided"
    assert newest["activity_object_changes"] == {"status": ["finalized", "voided"]}
    assert (await sandbox_http.get(f"/activity_logs/{newest['activity_id']}")).json()["activity_log"] == newest
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    older = (await sandbox_http.get("/activity_logs", params=[*params, ("to_date", yesterday)])).json()
    assert newest["activity_id"] not in {log["activity_id"] for log in older["activity_logs"]}
    every = (await sandbox_http.get("/activity_logs", params={"per_page": 1000})).json()["activity_logs"]
    logged = [log["logged_at"] for log in every]
    assert logged == sorted(logged, reverse=True) and len({log[:10] for log in logged}) >= 7
    missing = await sandbox_http.get("/activity_logs/00000000-0000-4000-8000-000000000000")
    assert missing.json() == {"status": 404, "error": "Not Found", "code": "activity_log_not_found"}


async def test_api_logs_record_write_requests_with_json_text_bodies(sandbox_http: httpx.AsyncClient) -> None:
    invoice = await _void_one(sandbox_http)
    refused = await sandbox_http.post(f"/invoices/{invoice['lago_id']}/void")
    assert refused.status_code == 405
    await sandbox_http.get("/customers/acme_corp")
    path = f"/api/v1/invoices/{invoice['lago_id']}/void"
    params = [("request_paths", "/api/v1/invoices/*/void"), ("http_methods[]", "post")]
    logs = (await sandbox_http.get("/api_logs", params=params)).json()["api_logs"]
    ours = [log for log in logs if log["request_path"] == path]
    assert [log["http_status"] for log in ours] == [405, 200]
    assert json.loads(ours[0]["request_response"])["code"] == "not_voidable"
    assert isinstance(ours[0]["request_body"], str)
    failed = (await sandbox_http.get("/api_logs", params=[("http_statuses[]", "failed")])).json()["api_logs"]
    assert failed and all(log["http_status"] > 399 for log in failed)
    every = (await sandbox_http.get("/api_logs", params={"per_page": 1000})).json()["api_logs"]
    assert every and all(log["http_method"] != "get" for log in every)
    one = await sandbox_http.get(f"/api_logs/{ours[0]['request_id']}")
    assert one.json()["api_log"] == ours[0]
    missing = await sandbox_http.get("/api_logs/00000000-0000-4000-8000-000000000000")
    assert missing.json()["code"] == "api_log_not_found"
