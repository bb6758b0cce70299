"""Customers in the sandbox, over real HTTP: upsert, filters, pagination, deletion, current usage, errors."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from billing_agent.sandbox.app import Sandbox

Json = dict[str, Any]


def assert_error(response: httpx.Response, status: int, code: str, details: Json | None = None) -> None:
    """The response is Lago's error envelope with this status, code and (when given) details."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    if details is not None:
        assert body["error_details"] == details


async def activity_types(client: httpx.AsyncClient, external_customer_id: str) -> list[str]:
    """Activity types logged for a customer, sorted (`GET /activity_logs?external_customer_id=`)."""
    response = await client.get("/activity_logs", params={"external_customer_id": external_customer_id})
    assert response.status_code == 200, response.text
    return sorted(log["activity_type"] for log in response.json()["activity_logs"])


async def test_upsert_creates_then_updates_the_same_customer(sandbox_http: httpx.AsyncClient) -> None:
    created = await sandbox_http.post(
        "/customers",
        json={
            "customer": {"external_id": "cus_new", "name": "Initech", "email": "ap@initech.example", "country": "fr"}
        },
    )
    assert created.status_code == 200, created.text
    first = created.json()["customer"]
    assert (first["name"], first["country"], first["currency"]) == ("Initech", "FR", None)
    assert first["applicable_timezone"] == "UTC"

    updated = await sandbox_http.post(
        "/customers", json={"customer": {"external_id": "cus_new", "name": "Initech LLC", "currency": "EUR"}}
    )
    assert updated.status_code == 200, updated.text
    second = updated.json()["customer"]
    assert second["lago_id"] == first["lago_id"]
    assert second["sequential_id"] == first["sequential_id"]
    assert (second["name"], second["email"], second["currency"]) == ("Initech LLC", "ap@initech.example", "EUR")

    fetched = (await sandbox_http.get("/customers/cus_new")).json()["customer"]
    assert fetched == second
    assert await activity_types(sandbox_http, "cus_new") == ["customer.created", "customer.updated"]


async def test_customer_metadata_is_stored_and_filterable(sandbox_http: httpx.AsyncClient) -> None:
    body = {"customer": {"external_id": "cus_meta", "name": "Meta", "metadata": [{"key": "tier", "value": "gold"}]}}
    customer = (await sandbox_http.post("/customers", json=body)).json()["customer"]
    assert [(m["key"], m["value"], m["display_in_invoice"]) for m in customer["metadata"]] == [("tier", "gold", False)]
    found = (await sandbox_http.get("/customers", params={"metadata[tier]": "gold"})).json()
    assert [c["external_id"] for c in found["customers"]] == ["cus_meta"]


async def test_invalid_customer_fields_answer_lago_codes(sandbox_http: httpx.AsyncClient) -> None:
    response = await sandbox_http.post(
        "/customers",
        json={"customer": {"name": "No id", "email": "not-an-email", "currency": "XXX", "country": "ZZ"}},
    )
    assert_error(
        response,
        422,
        "validation_errors",
        {
            "external_id": ["value_is_mandatory"],
            "email": ["invalid_format"],
            "currency": ["value_is_invalid"],
            "country": ["country_code_invalid"],
        },
    )
    response = await sandbox_http.post(
        "/customers", json={"customer": {"external_id": "x", "timezone": "Mars/Olympus", "customer_type": "robot"}}
    )
    assert_error(
        response,
        422,
        "validation_errors",
        {"timezone": ["invalid_timezone"], "customer_type": ["value_is_invalid"]},
    )


async def test_malformed_bodies_answer_400(sandbox_http: httpx.AsyncClient) -> None:
    not_json = await sandbox_http.post("/customers", content=b"{nope", headers={"content-type": "application/json"})
    assert not_json.status_code == 400
    assert not_json.json()["error"].startswith("BadRequest:")
    no_envelope = await sandbox_http.post("/customers", json={"external_id": "flat"})
    assert no_envelope.status_code == 400
    assert "customer" in no_envelope.json()["error"]


async def test_currency_cannot_change_while_subscribed(sandbox_http: httpx.AsyncClient) -> None:
    response = await sandbox_http.post("/customers", json={"customer": {"external_id": "acme_corp", "currency": "EUR"}})
    assert_error(response, 422, "validation_errors", {"currency": ["currencies_does_not_match"]})


async def test_list_filters(sandbox_http: httpx.AsyncClient) -> None:
    everyone = (await sandbox_http.get("/customers", params={"per_page": 500})).json()["customers"]
    us = (await sandbox_http.get("/customers", params={"countries[]": "US", "per_page": 500})).json()
    assert us["meta"]["total_count"] == sum(1 for c in everyone if c["country"] == "US") > 0
    assert {c["country"] for c in us["customers"]} == {"US"}

    several = await sandbox_http.get("/customers", params=[("countries[]", "FR"), ("countries[]", "DE")])
    assert {c["country"] for c in several.json()["customers"]} == {"FR", "DE"}

    euros = (await sandbox_http.get("/customers", params={"currencies[]": "EUR", "per_page": 500})).json()
    assert euros["customers"] and {c["currency"] for c in euros["customers"]} == {"EUR"}

    acme = (await sandbox_http.get("/customers", params={"search_term": "ACME"})).json()["customers"]
    assert [c["external_id"] for c in acme] == ["acme_corp"]
    by_email = (await sandbox_http.get("/customers", params={"search_term": "billing@acme.example"})).json()
    assert [c["external_id"] for c in by_email["customers"]] == ["acme_corp"]

    people = (await sandbox_http.get("/customers", params={"customer_type": "individual", "per_page": 500})).json()
    assert {c["customer_type"] for c in people["customers"]} <= {"individual"}
    states = (await sandbox_http.get("/customers", params={"states[]": "NY", "per_page": 500})).json()
    assert "acme_corp" in {c["external_id"] for c in states["customers"]}
    assert {c["state"] for c in states["customers"]} == {"NY"}


async def test_pagination_meta(sandbox_http: httpx.AsyncClient) -> None:
    first = (await sandbox_http.get("/customers", params={"per_page": 25})).json()
    total = first["meta"]["total_count"]
    assert first["meta"] == {
        "current_page": 1,
        "next_page": 2,
        "prev_page": None,
        "total_pages": -(-total // 25),
        "total_count": total,
    }
    last_page = first["meta"]["total_pages"]
    last = (await sandbox_http.get("/customers", params={"per_page": 25, "page": last_page})).json()
    assert last["meta"]["next_page"] is None
    assert last["meta"]["prev_page"] == last_page - 1
    assert len(last["customers"]) == total - 25 * (last_page - 1)

    seen: list[str] = []
    for page in range(1, last_page + 1):
        chunk = (await sandbox_http.get("/customers", params={"per_page": 25, "page": page})).json()["customers"]
        seen.extend(c["external_id"] for c in chunk)
    assert len(seen) == len(set(seen)) == total

    empty = (await sandbox_http.get("/customers", params={"search_term": "no-such-customer-anywhere"})).json()
    assert empty == {
        "customers": [],
        "meta": {"current_page": 0, "next_page": None, "prev_page": None, "total_pages": 0, "total_count": 0},
    }


async def test_newest_customers_come_first(sandbox_http: httpx.AsyncClient) -> None:
    await sandbox_http.post("/customers", json={"customer": {"external_id": "brand_new", "name": "Brand New"}})
    listed = (await sandbox_http.get("/customers", params={"per_page": 1})).json()["customers"]
    assert [c["external_id"] for c in listed] == ["brand_new"]


async def test_get_and_delete_unknown_customer_answer_404(sandbox_http: httpx.AsyncClient) -> None:
    assert_error(await sandbox_http.get("/customers/ghost"), 404, "customer_not_found")
    assert_error(await sandbox_http.delete("/customers/ghost"), 404, "customer_not_found")
    assert_error(await sandbox_http.get("/customers/ghost/subscriptions"), 404, "customer_not_found")
    assert_error(await sandbox_http.get("/customers/ghost/applied_coupons"), 404, "customer_not_found")


async def test_delete_removes_the_customer_and_ends_what_it_had(sandbox_http: httpx.AsyncClient) -> None:
    deleted = await sandbox_http.delete("/customers/acme_corp")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["customer"]["external_id"] == "acme_corp"
    assert_error(await sandbox_http.get("/customers/acme_corp"), 404, "customer_not_found")
    assert_error(await sandbox_http.get("/subscriptions/sub_acme_corp"), 404, "subscription_not_found")
    ended = await sandbox_http.get("/subscriptions/sub_acme_corp", params={"status": "terminated"})
    assert ended.json()["subscription"]["terminated_at"] is not None
    wallets = (await sandbox_http.get("/wallets", params={"external_customer_id": "acme_corp"})).status_code
    assert wallets == 404
    assert "customer.deleted" in await activity_types(sandbox_http, "acme_corp")


async def test_current_usage_prices_the_period_events(sandbox_http: httpx.AsyncClient) -> None:
    await sandbox_http.post(
        "/billable_metrics",
        json={
            "billable_metric": {"name": "Tokens", "code": "tokens", "aggregation_type": "sum_agg", "field_name": "n"}
        },
    )
    plan = {
        "name": "Usage",
        "code": "usage_only",
        "interval": "monthly",
        "amount_cents": 1000,
        "amount_currency": "USD",
        "charges": [{"billable_metric_code": "tokens", "charge_model": "standard", "properties": {"amount": "0.5"}}],
    }
    assert (await sandbox_http.post("/plans", json={"plan": plan})).status_code == 200
    await sandbox_http.post("/customers", json={"customer": {"external_id": "metered", "currency": "USD"}})
    subscription = {"external_customer_id": "metered", "plan_code": "usage_only", "external_id": "sub_metered"}
    assert (await sandbox_http.post("/subscriptions", json={"subscription": subscription})).status_code == 200
    events = [
        {
            "transaction_id": f"tok_{i}",
            "external_subscription_id": "sub_metered",
            "code": "tokens",
            "properties": {"n": n},
        }
        for i, n in enumerate((3, 4.5, 2.5))
    ]
    assert (await sandbox_http.post("/events/batch", json={"events": events})).status_code == 200

    response = await sandbox_http.get(
        "/customers/metered/current_usage", params={"external_subscription_id": "sub_metered"}
    )
    assert response.status_code == 200, response.text
    usage = response.json()["customer_usage"]
    assert (usage["amount_cents"], usage["total_amount_cents"], usage["currency"]) == (500, 500, "USD")
    [charge] = usage["charges_usage"]
    assert (charge["units"], charge["events_count"], charge["amount_cents"]) == ("10.0", 3, 500)
    assert charge["billable_metric"]["code"] == "tokens"
    assert usage["from_datetime"] <= usage["to_datetime"]


async def test_current_usage_errors(sandbox_http: httpx.AsyncClient) -> None:
    params = {"external_subscription_id": "sub_acme_corp"}
    assert_error(await sandbox_http.get("/customers/ghost/current_usage", params=params), 404, "customer_not_found")
    missing = await sandbox_http.get("/customers/acme_corp/current_usage", params={"external_subscription_id": "x"})
    assert_error(missing, 404, "subscription_not_found")
    assert (await sandbox_http.delete("/subscriptions/sub_acme_corp")).status_code == 200
    ended = await sandbox_http.get("/customers/acme_corp/current_usage", params=params)
    assert_error(ended, 405, "no_active_subscription")


async def test_customer_created_in_process_without_http(sandbox_asgi: Starlette, sandbox_app: Sandbox) -> None:
    transport = httpx.ASGITransport(app=sandbox_asgi)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox/api/v1", headers={"Authorization": "Bearer sandbox-demo-key"}
    ) as client:
        response = await client.post("/customers", json={"customer": {"external_id": "inproc"}})
    assert response.status_code == 200
    demo = sandbox_app.store.orgs()[0]
    assert sandbox_app.store.get(demo.id, "customer", "inproc") is not None
