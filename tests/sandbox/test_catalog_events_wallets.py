"""Events and wallets in the sandbox, over real HTTP: ingestion rules, batches, filters, balances."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

Json = dict[str, Any]


def assert_error(response: httpx.Response, status: int, code: str, details: Json | None = None) -> None:
    """The response is Lago's error envelope with this status, code and (when given) details."""
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    if details is not None:
        assert body["error_details"] == details


def event(transaction_id: str, **extra: Any) -> Json:
    """An API-calls event on Acme's subscription."""
    return {"transaction_id": transaction_id, "external_subscription_id": "sub_acme_corp", "code": "api_calls", **extra}


async def test_event_create_and_get(sandbox_http: httpx.AsyncClient) -> None:
    created = await sandbox_http.post("/events", json={"event": event("tx_1", timestamp=1_700_000_000)})
    assert created.status_code == 200, created.text
    answer = created.json()["event"]
    assert (answer["transaction_id"], answer["timestamp"], answer["lago_customer_id"]) == (
        "tx_1",
        "2023-11-14T22:13:20Z",
        None,
    )
    stored = (await sandbox_http.get("/events/tx_1")).json()["event"]
    acme = (await sandbox_http.get("/customers/acme_corp")).json()["customer"]
    assert stored["lago_customer_id"] == acme["lago_id"]
    assert stored["external_subscription_id"] == "sub_acme_corp"
    duplicate = await sandbox_http.post("/events", json={"event": event("tx_1")})
    assert_error(duplicate, 422, "validation_errors", {"transaction_id": ["value_already_exist"]})


async def test_event_errors(sandbox_http: httpx.AsyncClient) -> None:
    assert_error(await sandbox_http.get("/events/ghost"), 404, "event_not_found")
    bad_time = await sandbox_http.post("/events", json={"event": event("tx_t", timestamp="yesterday")})
    assert_error(bad_time, 422, "validation_errors", {"timestamp": ["invalid_format"]})
    missing = await sandbox_http.post("/events", json={"event": {"transaction_id": "tx_m"}})
    assert_error(
        missing,
        422,
        "validation_errors",
        {"code": ["value_is_mandatory"], "external_subscription_id": ["value_is_mandatory"]},
    )
    unknown_subscription = await sandbox_http.post(
        "/events", json={"event": {**event("tx_s"), "external_subscription_id": "sub_ghost"}}
    )
    assert_error(unknown_subscription, 404, "subscription_not_found")
    unknown_metric = await sandbox_http.post("/events", json={"event": {**event("tx_c"), "code": "ghost_metric"}})
    assert_error(unknown_metric, 404, "billable_metric_not_found")
    assert (await sandbox_http.get("/events/tx_s")).status_code == 404


async def test_batch_limits_and_all_or_nothing(sandbox_http: httpx.AsyncClient) -> None:
    hundred = [event(f"bt_{i}") for i in range(100)]
    accepted = await sandbox_http.post("/events/batch", json={"events": hundred})
    assert accepted.status_code == 200, accepted.text
    assert len(accepted.json()["events"]) == 100
    too_many = await sandbox_http.post("/events/batch", json={"events": [event(f"tm_{i}") for i in range(101)]})
    assert_error(too_many, 422, "validation_errors", {"events": ["too_many_events"]})

    mixed = [event("ok_1"), event("bt_0"), event("ok_1")]
    rejected = await sandbox_http.post("/events/batch", json={"events": mixed})
    assert_error(
        rejected,
        422,
        "validation_errors",
        {"1": {"transaction_id": ["value_already_exist"]}, "2": {"transaction_id": ["value_already_exist"]}},
    )
    assert (await sandbox_http.get("/events/ok_1")).status_code == 404
    assert (await sandbox_http.post("/events/batch", json={"nope": []})).status_code == 400


async def test_event_list_filters(sandbox_http: httpx.AsyncClient) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    old = int((now - timedelta(days=400)).timestamp())
    await sandbox_http.post("/events", json={"event": event("old_1", timestamp=old)})
    listed = await sandbox_http.get("/events", params={"external_subscription_id": "sub_acme_corp", "per_page": 500})
    events = listed.json()["events"]
    assert events and {e["external_subscription_id"] for e in events} == {"sub_acme_corp"}
    timestamps = [e["timestamp"] for e in events]
    assert timestamps == sorted(timestamps, reverse=True)
    assert events[-1]["transaction_id"] == "old_1"

    since = (now - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = await sandbox_http.get(
        "/events", params={"external_subscription_id": "sub_acme_corp", "timestamp_from": since, "per_page": 500}
    )
    assert "old_1" not in {e["transaction_id"] for e in recent.json()["events"]}
    until = (now - timedelta(days=300)).strftime("%Y-%m-%dT%H:%M:%SZ")
    early = (await sandbox_http.get("/events", params={"timestamp_to": until})).json()["events"]
    assert [e["transaction_id"] for e in early] == ["old_1"]
    hours = (await sandbox_http.get("/events", params={"code": "compute_hours", "per_page": 500})).json()["events"]
    assert hours and {e["code"] for e in hours} == {"compute_hours"}
    bad = await sandbox_http.get("/events", params={"timestamp_from": "whenever"})
    assert_error(bad, 422, "validation_errors", {"timestamp_from": ["invalid_date"]})


async def test_wallet_lifecycle_and_balance(sandbox_http: httpx.AsyncClient) -> None:
    await sandbox_http.post("/customers", json={"customer": {"external_id": "walleted", "currency": "EUR"}})
    body = {"external_customer_id": "walleted", "rate_amount": "2", "name": "Credits", "granted_credits": "10"}
    created = await sandbox_http.post("/wallets", json={"wallet": body})
    assert created.status_code == 200, created.text
    wallet = created.json()["wallet"]
    assert (wallet["currency"], wallet["rate_amount"], wallet["credits_balance"], wallet["balance_cents"]) == (
        "EUR",
        "2.0",
        "10.0",
        2000,
    )
    wallet_id = wallet["lago_id"]
    top_up = {"wallet_id": wallet_id, "paid_credits": "5", "granted_credits": "1", "voided_credits": "4"}
    transactions = await sandbox_http.post("/wallet_transactions", json={"wallet_transaction": top_up})
    assert transactions.status_code == 200, transactions.text
    kinds = [
        (t["transaction_status"], t["transaction_type"], t["credit_amount"])
        for t in transactions.json()["wallet_transactions"]
    ]
    assert kinds == [("purchased", "inbound", "5.0"), ("granted", "inbound", "1.0"), ("voided", "outbound", "4.0")]
    balance = (await sandbox_http.get(f"/wallets/{wallet_id}")).json()["wallet"]
    assert (balance["credits_balance"], balance["balance_cents"]) == ("12.0", 2400)

    history = (await sandbox_http.get(f"/wallets/{wallet_id}/wallet_transactions")).json()
    assert history["meta"]["total_count"] == 4
    outbound = await sandbox_http.get(
        f"/wallets/{wallet_id}/wallet_transactions", params={"transaction_type": "outbound"}
    )
    assert [t["credit_amount"] for t in outbound.json()["wallet_transactions"]] == ["4.0"]
    one = history["wallet_transactions"][0]["lago_id"]
    assert (await sandbox_http.get(f"/wallet_transactions/{one}")).json()["wallet_transaction"]["lago_id"] == one

    listed = (await sandbox_http.get("/wallets", params={"external_customer_id": "walleted"})).json()["wallets"]
    assert [w["lago_id"] for w in listed] == [wallet_id]
    renamed = await sandbox_http.put(f"/wallets/{wallet_id}", json={"wallet": {"name": "Main"}})
    assert renamed.json()["wallet"]["name"] == "Main"
    terminated = await sandbox_http.delete(f"/wallets/{wallet_id}")
    assert (terminated.json()["wallet"]["status"], terminated.json()["wallet"]["terminated_at"] is not None) == (
        "terminated",
        True,
    )
    refused = await sandbox_http.post(
        "/wallet_transactions", json={"wallet_transaction": {"wallet_id": wallet_id, "granted_credits": "1"}}
    )
    assert_error(refused, 422, "validation_errors", {"wallet_id": ["wallet_is_terminated"]})


async def test_wallet_errors(sandbox_http: httpx.AsyncClient) -> None:
    assert_error(await sandbox_http.get("/wallets"), 404, "customer_not_found")
    assert_error(
        await sandbox_http.get("/wallets", params={"external_customer_id": "ghost"}), 404, "customer_not_found"
    )
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_error(await sandbox_http.get(f"/wallets/{unknown}"), 404, "wallet_not_found")
    assert_error(await sandbox_http.delete(f"/wallets/{unknown}"), 404, "wallet_not_found")
    missing_rate = await sandbox_http.post("/wallets", json={"wallet": {"external_customer_id": "acme_corp"}})
    assert_error(missing_rate, 422, "validation_errors", {"rate_amount": ["value_is_mandatory"]})
    wrong_currency = await sandbox_http.post(
        "/wallets", json={"wallet": {"external_customer_id": "acme_corp", "rate_amount": "1", "currency": "EUR"}}
    )
    assert_error(wrong_currency, 422, "validation_errors", {"currency": ["currencies_does_not_match"]})
    acme_wallet = (await sandbox_http.get("/wallets", params={"external_customer_id": "acme_corp"})).json()["wallets"][
        0
    ]
    overdraw = {"wallet_id": acme_wallet["lago_id"], "voided_credits": "1000000"}
    assert_error(
        await sandbox_http.post("/wallet_transactions", json={"wallet_transaction": overdraw}),
        422,
        "validation_errors",
        {"voided_credits": ["insufficient_credits"]},
    )
    negative = {"wallet_id": acme_wallet["lago_id"], "granted_credits": "-3"}
    assert_error(
        await sandbox_http.post("/wallet_transactions", json={"wallet_transaction": negative}),
        422,
        "validation_errors",
        {"granted_credits": ["invalid_granted_credits"]},
    )
    ghost = {"wallet_id": unknown, "granted_credits": "3"}
    assert_error(
        await sandbox_http.post("/wallet_transactions", json={"wallet_transaction": ghost}), 404, "wallet_not_found"
    )
