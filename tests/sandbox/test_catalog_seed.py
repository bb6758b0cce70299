"""The demo seed (facts the product page and the other tests rely on) and organization isolation."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from billing_agent.sandbox import DEMO_API_KEY, OTHER_API_KEY, SandboxServer, SandboxStore
from billing_agent.sandbox.seed import apply_seed, seed_now


@pytest.fixture
async def demo_http(demo_server: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    """A demo-org client on the session's 1,200-customer sandbox (read-only)."""
    async with httpx.AsyncClient(
        base_url=demo_server.api_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}
    ) as client:
        yield client


async def total(client: httpx.AsyncClient, path: str, params: list[tuple[str, str]] | None = None) -> int:
    """`meta.total_count` of a list endpoint."""
    response = await client.get(path, params=[("per_page", "1"), *(params or [])])
    assert response.status_code == 200, response.text
    count: int = response.json()["meta"]["total_count"]
    return count


async def test_demo_counts(demo_http: httpx.AsyncClient) -> None:
    assert await total(demo_http, "/customers") == 1200
    us = await total(demo_http, "/customers", [("countries[]", "US")])
    assert us >= 300
    countries = {c for c in ("US", "GB", "FR", "DE", "CA", "ES", "NL", "AU", "BR", "IN", "JP")}
    per_country = [await total(demo_http, "/customers", [("countries[]", c)]) for c in sorted(countries)]
    assert sum(per_country) == 1200 and min(per_country) > 0
    assert await total(demo_http, "/subscriptions", [("status[]", "pending")]) > 0
    assert await total(demo_http, "/subscriptions", [("status[]", "terminated")]) > 0
    assert await total(demo_http, "/subscriptions") > 600


async def test_acme_and_its_enterprise_plan(demo_http: httpx.AsyncClient) -> None:
    acme = (await demo_http.get("/customers/acme_corp")).json()["customer"]
    assert (acme["name"], acme["country"], acme["email"], acme["currency"]) == (
        "Acme Corp",
        "US",
        "billing@acme.example",
        "USD",
    )
    plan = (await demo_http.get("/plans/enterprise")).json()["plan"]
    assert (plan["amount_cents"], plan["amount_currency"], plan["interval"]) == (250000, "USD", "monthly")
    subscription = (await demo_http.get("/subscriptions/sub_acme_corp")).json()["subscription"]
    assert (subscription["status"], subscription["plan_code"], subscription["external_customer_id"]) == (
        "active",
        "enterprise",
        "acme_corp",
    )
    usage = await demo_http.get(
        "/customers/acme_corp/current_usage", params={"external_subscription_id": "sub_acme_corp"}
    )
    assert usage.status_code == 200
    assert sum(item["events_count"] for item in usage.json()["customer_usage"]["charges_usage"]) > 0
    wallets = (await demo_http.get("/wallets", params={"external_customer_id": "acme_corp"})).json()["wallets"]
    assert wallets and wallets[0]["balance_cents"] > 0


async def test_product_page_customer_xyz(demo_http: httpx.AsyncClient) -> None:
    xyz = (await demo_http.get("/customers/xyz")).json()["customer"]
    assert (xyz["name"], xyz["email"]) == ("XYZ Industries", "billing@xyz.example")
    subscriptions = (await demo_http.get("/customers/xyz/subscriptions")).json()["subscriptions"]
    assert [s["status"] for s in subscriptions] == ["active"]


async def test_catalog_codes(demo_http: httpx.AsyncClient) -> None:
    plans = {p["code"]: p for p in (await demo_http.get("/plans")).json()["plans"]}
    assert {"starter", "pro", "enterprise"} <= set(plans)
    assert any(p["interval"] == "yearly" for p in plans.values())
    assert all(p["charges"] for p in plans.values())
    coupons = {c["code"]: c for c in (await demo_http.get("/coupons")).json()["coupons"]}
    assert {"SUMMER20", "WELCOME10"} <= set(coupons)
    assert any(c["coupon_type"] == "fixed_amount" for c in coupons.values())
    assert any(c["terminated_at"] for c in coupons.values())
    summer = coupons["SUMMER20"]
    assert (summer["percentage_rate"], summer["reusable"], summer["frequency"]) == ("20.0", False, "once")
    metrics = (await demo_http.get("/billable_metrics")).json()["billable_metrics"]
    assert len(metrics) >= 3


async def test_summer20_is_not_applied_to_us_customers_yet(demo_http: httpx.AsyncClient) -> None:
    applied = await demo_http.get("/applied_coupons", params={"coupon_code[]": "SUMMER20", "per_page": "500"})
    holders = {a["external_customer_id"] for a in applied.json()["applied_coupons"]}
    us = await demo_http.get("/customers", params={"countries[]": "US", "per_page": "1200"})
    us_ids = {c["external_id"] for c in us.json()["customers"]}
    assert holders and not holders & us_ids
    assert await total(demo_http, "/applied_coupons") >= 10


async def test_subscriptions_started_this_month_and_events(demo_http: httpx.AsyncClient) -> None:
    active = (await demo_http.get("/subscriptions", params={"per_page": "2000"})).json()["subscriptions"]
    month = datetime.now(UTC).strftime("%Y-%m")
    assert any(s["started_at"].startswith(month) for s in active)
    assert await total(demo_http, "/events") > len(active)


def test_small_seeds_keep_a_quarter_in_the_us() -> None:
    for customers in (4, 25, 60):
        store = SandboxStore()
        apply_seed(store, "demo", customers=customers)
        demo = store.orgs()[0]
        people = store.all(demo.id, "customer")
        assert len(people) == customers
        assert sum(c["country"] == "US" for c in people) / customers >= 0.25
        store.close()


def test_seed_is_deterministic_and_fast() -> None:
    first, second = SandboxStore(), SandboxStore()
    started = time.process_time()
    apply_seed(first, "demo", customers=1200)
    elapsed = time.process_time() - started
    apply_seed(second, "demo", customers=1200)
    assert elapsed < 1.5, f"seeding 1,200 customers took {elapsed:.2f}s of CPU"
    for kind in ("customer", "plan", "subscription", "coupon", "applied_coupon", "event", "wallet"):
        assert [org.id for org in first.orgs()] == [org.id for org in second.orgs()]
        one = [first.all(org.id, kind) for org in first.orgs()]
        two = [second.all(org.id, kind) for org in second.orgs()]
        assert one == two, kind


def test_seed_now_is_midnight_utc_today() -> None:
    moment = datetime(2026, 3, 9, 17, 45, 12, tzinfo=UTC)
    assert seed_now(moment) == datetime(2026, 3, 9, tzinfo=UTC)


def test_unknown_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown seed"):
        apply_seed(SandboxStore(), "huge")


async def test_empty_seed_has_the_two_orgs_and_no_data() -> None:
    from billing_agent.sandbox import create_sandbox_app

    app = create_sandbox_app(":memory:", seed="empty")
    transport = httpx.ASGITransport(app=app)
    for key in (DEMO_API_KEY, OTHER_API_KEY):
        async with httpx.AsyncClient(
            transport=transport, base_url="http://sandbox/api/v1", headers={"Authorization": f"Bearer {key}"}
        ) as client:
            listed = (await client.get("/customers")).json()
            assert listed["customers"] == [] and listed["meta"]["total_pages"] == 0


async def test_other_org_sees_none_of_hooli(sandbox_server: SandboxServer) -> None:
    async with httpx.AsyncClient(
        base_url=sandbox_server.api_url, headers={"Authorization": f"Bearer {OTHER_API_KEY}"}
    ) as other:
        customers = (await other.get("/customers")).json()
        names = {c["name"] for c in customers["customers"]}
        assert customers["meta"]["total_count"] == 6 and "Acme Corp" in names
        assert all(c["email"] != "billing@acme.example" for c in customers["customers"])
        assert (await other.get("/customers/acme_corp")).status_code == 404
        assert (await other.get("/subscriptions/sub_acme_corp")).status_code == 404
        assert (await other.get("/plans/enterprise")).status_code == 404
        assert (await other.get("/coupons/SUMMER20")).status_code == 404
        assert (await other.get("/applied_coupons")).json()["applied_coupons"] == []
        hooli_event = await other.get("/events/sub_acme_corp_000")
        assert hooli_event.status_code == 404
        created = await other.post("/customers", json={"customer": {"external_id": "acme_corp", "name": "PP Acme"}})
        assert created.status_code == 200
    async with httpx.AsyncClient(
        base_url=sandbox_server.api_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}
    ) as demo:
        acme = (await demo.get("/customers/acme_corp")).json()["customer"]
        assert acme["name"] == "Acme Corp"


async def test_unknown_or_missing_key_is_401(sandbox_server: SandboxServer) -> None:
    async with httpx.AsyncClient(base_url=sandbox_server.api_url) as anonymous:
        missing = await anonymous.get("/customers")
        wrong = await anonymous.get("/customers", headers={"Authorization": "Bearer not-a-key"})
        posted = await anonymous.post(
            "/customers", json={"customer": {"external_id": "x"}}, headers={"Authorization": "Bearer not-a-key"}
        )
    for response in (missing, wrong, posted):
        assert response.status_code == 401
        assert response.json() == {"status": 401, "error": "Unauthorized"}
