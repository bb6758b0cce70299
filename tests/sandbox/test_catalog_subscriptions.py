"""Subscriptions in the sandbox, over real HTTP: create, list filters, update, plan changes, termination."""

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


async def subscribe(
    client: httpx.AsyncClient, customer: str, plan: str, external_id: str, **extra: Any
) -> httpx.Response:
    """POST /subscriptions."""
    body = {"external_customer_id": customer, "plan_code": plan, "external_id": external_id, **extra}
    return await client.post("/subscriptions", json={"subscription": body})


async def new_customer(client: httpx.AsyncClient, external_id: str, currency: str | None = None) -> None:
    """Create a customer (optionally with a currency)."""
    body: Json = {"external_id": external_id, "name": external_id.title()}
    if currency:
        body["currency"] = currency
    assert (await client.post("/customers", json={"customer": body})).status_code == 200


async def test_create_get_update_terminate(sandbox_http: httpx.AsyncClient) -> None:
    await new_customer(sandbox_http, "hooli_xyz")
    created = await subscribe(sandbox_http, "hooli_xyz", "pro", "sub_hx", name="XYZ Pro")
    assert created.status_code == 200, created.text
    subscription = created.json()["subscription"]
    assert (subscription["status"], subscription["plan_code"], subscription["name"]) == ("active", "pro", "XYZ Pro")
    assert subscription["plan"]["code"] == "pro"
    assert subscription["current_billing_period_started_at"] <= subscription["current_billing_period_ending_at"]
    customer = (await sandbox_http.get("/customers/hooli_xyz")).json()["customer"]
    assert customer["currency"] == "USD"

    fetched = (await sandbox_http.get("/subscriptions/sub_hx")).json()["subscription"]
    assert fetched["lago_id"] == subscription["lago_id"]

    ending = (datetime.now(UTC) + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    updated = await sandbox_http.put(
        "/subscriptions/sub_hx", json={"subscription": {"name": "XYZ", "ending_at": ending}}
    )
    assert (updated.json()["subscription"]["name"], updated.json()["subscription"]["ending_at"]) == ("XYZ", ending)

    terminated = await sandbox_http.delete("/subscriptions/sub_hx")
    assert terminated.status_code == 200
    body = terminated.json()["subscription"]
    assert body["status"] == "terminated" and body["terminated_at"] is not None
    assert_error(await sandbox_http.delete("/subscriptions/sub_hx"), 404, "subscription_not_found")
    assert_error(await sandbox_http.get("/subscriptions/sub_hx"), 404, "subscription_not_found")
    kept = await sandbox_http.get("/subscriptions/sub_hx", params={"status": "terminated"})
    assert kept.json()["subscription"]["status"] == "terminated"

    logs = await sandbox_http.get("/activity_logs", params={"external_customer_id": "hooli_xyz", "per_page": 50})
    types = {log["activity_type"] for log in logs.json()["activity_logs"]}
    assert {"subscription.started", "subscription.updated", "subscription.terminated"} <= types


async def test_create_errors(sandbox_http: httpx.AsyncClient) -> None:
    assert_error(await subscribe(sandbox_http, "ghost", "pro", "sub_g"), 404, "customer_not_found")
    assert_error(await subscribe(sandbox_http, "acme_corp", "ghost", "sub_g"), 404, "plan_not_found")
    duplicate = await subscribe(sandbox_http, "acme_corp", "enterprise", "sub_acme_corp")
    assert_error(duplicate, 422, "validation_errors", {"external_id": ["value_already_exist"]})
    await new_customer(sandbox_http, "other_co", "USD")
    taken = await subscribe(sandbox_http, "other_co", "pro", "sub_acme_corp")
    assert_error(taken, 422, "validation_errors", {"external_id": ["value_already_exist"]})
    euro_plan = await subscribe(sandbox_http, "acme_corp", "starter_eur", "sub_acme_eur")
    assert_error(euro_plan, 422, "validation_errors", {"currency": ["currencies_does_not_match"]})
    missing = await sandbox_http.post("/subscriptions", json={"subscription": {"plan_code": "pro"}})
    assert_error(
        missing,
        422,
        "validation_errors",
        {"external_customer_id": ["value_is_mandatory"], "external_id": ["value_is_mandatory"]},
    )
    bad_time = await subscribe(sandbox_http, "acme_corp", "pro", "sub_t", billing_time="lunar")
    assert_error(bad_time, 422, "validation_errors", {"billing_time": ["value_is_invalid"]})


async def test_list_defaults_to_active_and_filters(sandbox_http: httpx.AsyncClient) -> None:
    default = (await sandbox_http.get("/subscriptions", params={"per_page": 500})).json()
    assert default["subscriptions"] and {s["status"] for s in default["subscriptions"]} == {"active"}

    every = await sandbox_http.get(
        "/subscriptions", params=[("status[]", s) for s in ("active", "pending", "terminated")] + [("per_page", "500")]
    )
    statuses = {s["status"] for s in every.json()["subscriptions"]}
    assert statuses == {"active", "pending", "terminated"}
    assert every.json()["meta"]["total_count"] > default["meta"]["total_count"]

    pending = (await sandbox_http.get("/subscriptions", params={"status[]": "pending"})).json()["subscriptions"]
    assert pending and all(s["started_at"] is None for s in pending)

    pro = (await sandbox_http.get("/subscriptions", params={"plan_code": "pro", "per_page": 500})).json()
    assert pro["subscriptions"] and {s["plan_code"] for s in pro["subscriptions"]} == {"pro"}

    acme = (await sandbox_http.get("/subscriptions", params={"external_customer_id": "acme_corp"})).json()
    assert [s["external_id"] for s in acme["subscriptions"]] == ["sub_acme_corp"]
    nested = (await sandbox_http.get("/customers/acme_corp/subscriptions")).json()
    assert nested["subscriptions"] == acme["subscriptions"]


async def test_future_start_is_pending_and_cancelling_it(sandbox_http: httpx.AsyncClient) -> None:
    await new_customer(sandbox_http, "later_co")
    start = (datetime.now(UTC) + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    created = await subscribe(sandbox_http, "later_co", "starter", "sub_later", subscription_at=start)
    subscription = created.json()["subscription"]
    assert (subscription["status"], subscription["subscription_at"], subscription["started_at"]) == (
        "pending",
        start,
        None,
    )
    assert_error(await sandbox_http.delete("/subscriptions/sub_later"), 404, "subscription_not_found")
    cancelled = await sandbox_http.delete("/subscriptions/sub_later", params={"status": "pending"})
    assert cancelled.status_code == 200
    assert cancelled.json()["subscription"]["status"] == "canceled"
    assert cancelled.json()["subscription"]["canceled_at"] is not None


async def test_pending_subscription_starts_when_moved_to_the_past(sandbox_http: httpx.AsyncClient) -> None:
    await new_customer(sandbox_http, "soon_co")
    start = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    await subscribe(sandbox_http, "soon_co", "starter", "sub_soon", subscription_at=start)
    past = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    moved = await sandbox_http.put(
        "/subscriptions/sub_soon", params={"status": "pending"}, json={"subscription": {"subscription_at": past}}
    )
    assert moved.json()["subscription"]["status"] == "active"
    assert (await sandbox_http.get("/subscriptions/sub_soon")).status_code == 200


async def test_upgrade_replaces_the_subscription(sandbox_http: httpx.AsyncClient) -> None:
    await new_customer(sandbox_http, "growing_co")
    await subscribe(sandbox_http, "growing_co", "starter", "sub_growing")
    upgraded = await subscribe(sandbox_http, "growing_co", "enterprise", "sub_growing")
    assert upgraded.status_code == 200, upgraded.text
    body = upgraded.json()["subscription"]
    assert (body["plan_code"], body["previous_plan_code"], body["status"]) == ("enterprise", "starter", "active")
    old = await sandbox_http.get("/subscriptions/sub_growing", params={"status": "terminated"})
    assert (old.json()["subscription"]["plan_code"], old.json()["subscription"]["next_plan_code"]) == (
        "starter",
        "enterprise",
    )


async def test_downgrade_waits_for_the_period_end(sandbox_http: httpx.AsyncClient) -> None:
    downgraded = await subscribe(sandbox_http, "acme_corp", "starter", "sub_acme_corp")
    body = downgraded.json()["subscription"]
    assert (body["plan_code"], body["next_plan_code"], body["status"]) == ("enterprise", "starter", "active")
    assert body["downgrade_plan_date"] is not None
    pending = await sandbox_http.get("/subscriptions/sub_acme_corp", params={"status": "pending"})
    assert pending.json()["subscription"]["plan_code"] == "starter"


async def test_update_errors(sandbox_http: httpx.AsyncClient) -> None:
    missing = await sandbox_http.put("/subscriptions/ghost", json={"subscription": {"name": "x"}})
    assert_error(missing, 404, "subscription_not_found")
    bad_date = await sandbox_http.put("/subscriptions/sub_acme_corp", json={"subscription": {"ending_at": "soon"}})
    assert_error(bad_date, 422, "validation_errors", {"ending_at": ["invalid_date"]})
