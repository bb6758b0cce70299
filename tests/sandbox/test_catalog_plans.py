"""Plans and billable metrics in the sandbox, over real HTTP: CRUD, validation, cascades, activity logs."""

from __future__ import annotations

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


def plan_body(code: str = "team", **overrides: Any) -> Json:
    """A valid plan creation body."""
    plan: Json = {
        "name": "Team",
        "code": code,
        "interval": "monthly",
        "amount_cents": 9900,
        "amount_currency": "USD",
        "charges": [
            {"billable_metric_code": "api_calls", "charge_model": "standard", "properties": {"amount": "0.01"}}
        ],
    }
    plan.update(overrides)
    return {"plan": plan}


async def activity_types(client: httpx.AsyncClient, resource_type: str) -> list[str]:
    """Activity types logged for one resource type."""
    response = await client.get("/activity_logs", params={"resource_types[]": resource_type, "per_page": 500})
    assert response.status_code == 200, response.text
    return sorted(log["activity_type"] for log in response.json()["activity_logs"])


async def test_plan_lifecycle(sandbox_http: httpx.AsyncClient) -> None:
    created = await sandbox_http.post("/plans", json=plan_body())
    assert created.status_code == 200, created.text
    plan = created.json()["plan"]
    assert (plan["code"], plan["amount_cents"], plan["interval"], plan["amount_currency"]) == (
        "team",
        9900,
        "monthly",
        "USD",
    )
    [charge] = plan["charges"]
    assert (charge["billable_metric_code"], charge["charge_model"]) == ("api_calls", "standard")
    assert charge["properties"] == {"amount": "0.01"}

    assert (await sandbox_http.get("/plans/team")).json()["plan"] == plan
    codes = [p["code"] for p in (await sandbox_http.get("/plans")).json()["plans"]]
    assert codes[0] == "team" and "enterprise" in codes

    updated = await sandbox_http.put("/plans/team", json={"plan": {"name": "Team+", "amount_cents": 12900}})
    assert updated.status_code == 200, updated.text
    assert (updated.json()["plan"]["name"], updated.json()["plan"]["amount_cents"]) == ("Team+", 12900)

    deleted = await sandbox_http.delete("/plans/team")
    assert deleted.status_code == 200
    assert deleted.json()["plan"]["name"] == "Team+"
    assert_error(await sandbox_http.get("/plans/team"), 404, "plan_not_found")
    assert await activity_types(sandbox_http, "Plan") == ["plan.created", "plan.deleted", "plan.updated"]


async def test_plan_validation(sandbox_http: httpx.AsyncClient) -> None:
    duplicate = await sandbox_http.post("/plans", json=plan_body("enterprise"))
    assert_error(duplicate, 422, "validation_errors", {"code": ["value_already_exist"]})
    bad_interval = await sandbox_http.post("/plans", json=plan_body("daily", interval="daily"))
    assert_error(bad_interval, 422, "validation_errors", {"interval": ["value_is_invalid"]})
    missing = await sandbox_http.post("/plans", json={"plan": {"code": "bare"}})
    assert_error(
        missing,
        422,
        "validation_errors",
        {
            "name": ["value_is_mandatory"],
            "interval": ["value_is_mandatory"],
            "amount_cents": ["value_is_mandatory"],
            "amount_currency": ["value_is_mandatory"],
        },
    )
    bad_charge = plan_body("broken")
    bad_charge["plan"]["charges"][0]["properties"] = {"amount": "lots"}
    assert_error(
        await sandbox_http.post("/plans", json=bad_charge), 422, "validation_errors", {"amount": ["invalid_amount"]}
    )
    unknown_metric = plan_body("orphan")
    unknown_metric["plan"]["charges"][0]["billable_metric_code"] = "nope"
    assert_error(await sandbox_http.post("/plans", json=unknown_metric), 404, "billable_metric_not_found")
    assert_error(await sandbox_http.put("/plans/ghost", json=plan_body("ghost")), 404, "plan_not_found")
    assert_error(await sandbox_http.delete("/plans/ghost"), 404, "plan_not_found")


async def test_subscribed_plan_keeps_its_price(sandbox_http: httpx.AsyncClient) -> None:
    response = await sandbox_http.put("/plans/enterprise", json={"plan": {"amount_cents": 1, "name": "Enterprise v2"}})
    plan = response.json()["plan"]
    assert (plan["amount_cents"], plan["name"]) == (250000, "Enterprise v2")


async def test_deleting_a_plan_ends_its_subscriptions(sandbox_http: httpx.AsyncClient) -> None:
    assert (await sandbox_http.delete("/plans/enterprise")).status_code == 200
    active = await sandbox_http.get("/subscriptions", params={"plan_code": "enterprise"})
    assert active.json()["subscriptions"] == []
    ended = await sandbox_http.get("/subscriptions/sub_acme_corp", params={"status": "terminated"})
    assert ended.status_code == 200


async def test_billable_metric_lifecycle(sandbox_http: httpx.AsyncClient) -> None:
    body = {"billable_metric": {"name": "GB", "code": "gb", "aggregation_type": "max_agg", "field_name": "gb"}}
    created = await sandbox_http.post("/billable_metrics", json=body)
    assert created.status_code == 200, created.text
    metric = created.json()["billable_metric"]
    assert (metric["code"], metric["aggregation_type"], metric["field_name"], metric["recurring"]) == (
        "gb",
        "max_agg",
        "gb",
        False,
    )
    assert (await sandbox_http.get("/billable_metrics/gb")).json()["billable_metric"] == metric
    listed = (await sandbox_http.get("/billable_metrics")).json()
    assert listed["billable_metrics"][0]["code"] == "gb"

    filters = [{"key": "region", "values": ["eu", "us"]}]
    updated = await sandbox_http.put("/billable_metrics/gb", json={"billable_metric": {"filters": filters}})
    assert updated.json()["billable_metric"]["filters"] == filters
    assert (await sandbox_http.delete("/billable_metrics/gb")).status_code == 200
    assert_error(await sandbox_http.get("/billable_metrics/gb"), 404, "billable_metric_not_found")
    assert await activity_types(sandbox_http, "BillableMetric") == [
        "billable_metric.created",
        "billable_metric.deleted",
        "billable_metric.updated",
    ]


async def test_billable_metric_validation(sandbox_http: httpx.AsyncClient) -> None:
    bad_type = {"billable_metric": {"name": "X", "code": "x", "aggregation_type": "avg_agg"}}
    assert_error(
        await sandbox_http.post("/billable_metrics", json=bad_type),
        422,
        "validation_errors",
        {"aggregation_type": ["value_is_invalid"], "field_name": ["value_is_mandatory"]},
    )
    no_field = {"billable_metric": {"name": "Sum", "code": "s", "aggregation_type": "sum_agg"}}
    assert_error(
        await sandbox_http.post("/billable_metrics", json=no_field),
        422,
        "validation_errors",
        {"field_name": ["value_is_mandatory"]},
    )
    taken = {"billable_metric": {"name": "Calls", "code": "api_calls", "aggregation_type": "count_agg"}}
    assert_error(
        await sandbox_http.post("/billable_metrics", json=taken),
        422,
        "validation_errors",
        {"code": ["value_already_exist"]},
    )


async def test_deleting_a_metric_removes_its_charges(sandbox_http: httpx.AsyncClient) -> None:
    before = (await sandbox_http.get("/plans/pro")).json()["plan"]
    assert "storage_gb" in {c["billable_metric_code"] for c in before["charges"]}
    assert (await sandbox_http.delete("/billable_metrics/storage_gb")).status_code == 200
    after = (await sandbox_http.get("/plans/pro")).json()["plan"]
    assert {c["billable_metric_code"] for c in after["charges"]} == {"api_calls"}
