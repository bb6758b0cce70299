"""Coupons and applied coupons in the sandbox, over real HTTP: CRUD, termination, reuse rules, removal."""

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


async def apply(client: httpx.AsyncClient, customer: str, code: str, **extra: Any) -> httpx.Response:
    """POST /applied_coupons."""
    body = {"external_customer_id": customer, "coupon_code": code, **extra}
    return await client.post("/applied_coupons", json={"applied_coupon": body})


async def test_coupon_lifecycle(sandbox_http: httpx.AsyncClient) -> None:
    body = {
        "name": "Spring",
        "code": "SPRING5",
        "coupon_type": "fixed_amount",
        "amount_cents": 500,
        "amount_currency": "USD",
        "frequency": "recurring",
        "frequency_duration": 2,
        "expiration": "no_expiration",
        "applies_to": {"plan_codes": ["pro"]},
    }
    created = await sandbox_http.post("/coupons", json={"coupon": body})
    assert created.status_code == 200, created.text
    coupon = created.json()["coupon"]
    assert (coupon["amount_cents"], coupon["percentage_rate"], coupon["reusable"]) == (500, None, True)
    assert (coupon["limited_plans"], coupon["plan_codes"], coupon["terminated_at"]) == (True, ["pro"], None)
    assert (await sandbox_http.get("/coupons/SPRING5")).json()["coupon"] == coupon
    assert (await sandbox_http.get("/coupons")).json()["coupons"][0]["code"] == "SPRING5"

    renamed = await sandbox_http.put("/coupons/SPRING5", json={"coupon": {"name": "Spring sale"}})
    assert renamed.json()["coupon"]["name"] == "Spring sale"
    terminated = await sandbox_http.delete("/coupons/SPRING5")
    assert terminated.status_code == 200
    assert terminated.json()["coupon"]["terminated_at"] is not None
    assert (await sandbox_http.get("/coupons/SPRING5")).json()["coupon"]["terminated_at"] is not None
    assert_error(await apply(sandbox_http, "acme_corp", "SPRING5"), 404, "coupon_not_found")


async def test_coupon_validation(sandbox_http: httpx.AsyncClient) -> None:
    no_amount = {
        "name": "X",
        "code": "X",
        "coupon_type": "fixed_amount",
        "frequency": "once",
        "expiration": "no_expiration",
    }
    assert_error(
        await sandbox_http.post("/coupons", json={"coupon": no_amount}),
        422,
        "validation_errors",
        {"amount_cents": ["value_is_mandatory"], "amount_currency": ["value_is_mandatory"]},
    )
    recurring = {**no_amount, "coupon_type": "percentage", "percentage_rate": "5", "frequency": "recurring"}
    assert_error(
        await sandbox_http.post("/coupons", json={"coupon": recurring}),
        422,
        "validation_errors",
        {"frequency_duration": ["value_is_mandatory"]},
    )
    expired = {**no_amount, "coupon_type": "percentage", "percentage_rate": "5", "expiration": "time_limit"}
    expired["expiration_at"] = "2001-01-01T00:00:00Z"
    assert_error(
        await sandbox_http.post("/coupons", json={"coupon": expired}),
        422,
        "validation_errors",
        {"expiration_at": ["invalid_date"]},
    )
    taken = {**no_amount, "code": "SUMMER20", "coupon_type": "percentage", "percentage_rate": "5"}
    assert_error(
        await sandbox_http.post("/coupons", json={"coupon": taken}),
        422,
        "validation_errors",
        {"code": ["value_already_exist"]},
    )
    assert_error(await sandbox_http.get("/coupons/NOPE"), 404, "coupon_not_found")
    assert_error(await sandbox_http.delete("/coupons/NOPE"), 404, "coupon_not_found")


async def test_summer20_applies_once_per_customer(sandbox_http: httpx.AsyncClient) -> None:
    summer = (await sandbox_http.get("/coupons/SUMMER20")).json()["coupon"]
    assert (summer["coupon_type"], summer["percentage_rate"], summer["reusable"], summer["frequency"]) == (
        "percentage",
        "20.0",
        False,
        "once",
    )
    applied = await apply(sandbox_http, "acme_corp", "SUMMER20")
    assert applied.status_code == 200, applied.text
    record = applied.json()["applied_coupon"]
    assert (record["coupon_code"], record["external_customer_id"], record["status"]) == (
        "SUMMER20",
        "acme_corp",
        "active",
    )
    assert record["percentage_rate"] == "20.0"
    again = await apply(sandbox_http, "acme_corp", "SUMMER20")
    assert_error(again, 422, "validation_errors", {"coupon": ["coupon_is_not_reusable"]})

    removed = await sandbox_http.delete(f"/customers/acme_corp/applied_coupons/{record['lago_id']}")
    assert removed.status_code == 200
    assert removed.json()["applied_coupon"]["status"] == "terminated"
    after_removal = await apply(sandbox_http, "acme_corp", "SUMMER20")
    assert_error(after_removal, 422, "validation_errors", {"coupon": ["coupon_is_not_reusable"]})

    logs = await sandbox_http.get("/activity_logs", params={"external_customer_id": "acme_corp", "per_page": 100})
    types = {log["activity_type"] for log in logs.json()["activity_logs"]}
    assert {"applied_coupon.created", "applied_coupon.deleted"} <= types


async def test_reusable_coupon_applies_twice(sandbox_http: httpx.AsyncClient) -> None:
    assert (await apply(sandbox_http, "acme_corp", "WELCOME10")).status_code == 200
    assert (await apply(sandbox_http, "acme_corp", "WELCOME10")).status_code == 200
    listed = await sandbox_http.get(
        "/applied_coupons", params={"external_customer_id": "acme_corp", "coupon_code[]": "WELCOME10"}
    )
    assert listed.json()["meta"]["total_count"] == 2


async def test_apply_errors(sandbox_http: httpx.AsyncClient) -> None:
    assert_error(await apply(sandbox_http, "ghost", "WELCOME10"), 404, "customer_not_found")
    assert_error(await apply(sandbox_http, "acme_corp", "GHOST"), 404, "coupon_not_found")
    assert_error(await apply(sandbox_http, "acme_corp", "BLACKFRIDAY"), 404, "coupon_not_found")
    euro = (await sandbox_http.get("/customers", params={"currencies[]": "EUR", "per_page": 1})).json()["customers"]
    wrong_currency = await apply(sandbox_http, euro[0]["external_id"], "FLAT50")
    assert_error(wrong_currency, 422, "validation_errors", {"currency": ["currencies_does_not_match"]})
    missing = await sandbox_http.post("/applied_coupons", json={"applied_coupon": {}})
    assert_error(
        missing,
        422,
        "validation_errors",
        {"external_customer_id": ["value_is_mandatory"], "coupon_code": ["value_is_mandatory"]},
    )
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_error(
        await sandbox_http.delete(f"/customers/acme_corp/applied_coupons/{unknown}"), 404, "applied_coupon_not_found"
    )
    assert_error(await sandbox_http.delete(f"/customers/ghost/applied_coupons/{unknown}"), 404, "customer_not_found")


async def test_applied_coupon_filters(sandbox_http: httpx.AsyncClient) -> None:
    every = (await sandbox_http.get("/applied_coupons", params={"per_page": 500})).json()["applied_coupons"]
    assert {a["status"] for a in every} == {"active", "terminated"}
    active = (await sandbox_http.get("/applied_coupons", params={"status": "active", "per_page": 500})).json()
    assert {a["status"] for a in active["applied_coupons"]} == {"active"}
    summer = await sandbox_http.get(
        "/applied_coupons", params=[("coupon_code[]", "SUMMER20"), ("coupon_code[]", "FLAT50"), ("per_page", "500")]
    )
    assert {a["coupon_code"] for a in summer.json()["applied_coupons"]} <= {"SUMMER20", "FLAT50"}
    one = every[0]["external_customer_id"]
    nested = (await sandbox_http.get(f"/customers/{one}/applied_coupons")).json()["applied_coupons"]
    assert nested and {a["external_customer_id"] for a in nested} == {one}
    assert all(a["credits"] == [] for a in nested)
