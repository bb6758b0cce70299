"""Customers, plans, billable metrics and subscriptions through the client against the sandbox (real HTTP)."""

from __future__ import annotations

import pytest

from billing_agent.lago import (
    BillableMetric,
    Customer,
    LagoClient,
    LagoNotFoundError,
    Page,
    Plan,
    Subscription,
)


async def test_customer_upsert_get_update_search_delete(lago: LagoClient) -> None:
    created = await lago.create_customer(
        {"external_id": "globex", "name": "Globex", "email": "ap@globex.test", "country": "US", "currency": "USD"}
    )
    assert isinstance(created, Customer)
    assert (created.external_id, created.name, created.country) == ("globex", "Globex", "US")
    assert created.lago_id and created.created_at is not None
    raw = created.model_dump(mode="json")
    assert "billing_configuration" in raw  # fields without a typed attribute are kept

    again = await lago.create_customer({"external_id": "globex", "name": "Globex Corp"})
    assert again.lago_id == created.lago_id and again.name == "Globex Corp"  # upsert, not a duplicate

    updated = await lago.update_customer("globex", {"city": "Springfield"})
    assert (updated.city, updated.name) == ("Springfield", "Globex Corp")
    assert (await lago.get_customer("globex")).city == "Springfield"

    found = await lago.list_customers(search_term="Globex")
    assert isinstance(found, Page) and [c.external_id for c in found.items] == ["globex"]

    deleted = await lago.delete_customer("globex")
    assert deleted.external_id == "globex"
    with pytest.raises(LagoNotFoundError):
        await lago.get_customer("globex")


async def test_customer_filters(lago: LagoClient) -> None:
    page = await lago.list_customers(countries=["US"], currencies=["USD"], per_page=100)
    assert page.items and all(c.country == "US" and c.currency == "USD" for c in page.items)


async def test_plan_crud(lago: LagoClient) -> None:
    body = {
        "code": "growth_test",
        "name": "Growth",
        "interval": "monthly",
        "amount_cents": 4900,
        "amount_currency": "USD",
    }
    plan = await lago.create_plan(body)
    assert isinstance(plan, Plan) and (plan.code, plan.amount_cents, plan.interval) == ("growth_test", 4900, "monthly")
    assert (await lago.get_plan("growth_test")).name == "Growth"
    assert (await lago.update_plan("growth_test", {"name": "Growth+"})).name == "Growth+"
    codes = {p.code async for p in lago.iterate(lago.list_plans)}
    assert "growth_test" in codes
    assert (await lago.delete_plan("growth_test")).code == "growth_test"
    with pytest.raises(LagoNotFoundError):
        await lago.get_plan("growth_test")


async def test_billable_metric_create_get_update_list(lago: LagoClient) -> None:
    metric = await lago.create_billable_metric(
        {"code": "gb_stored", "name": "GB stored", "aggregation_type": "sum_agg", "field_name": "gb"}
    )
    assert isinstance(metric, BillableMetric) and metric.aggregation_type == "sum_agg"
    assert (await lago.get_billable_metric("gb_stored")).field_name == "gb"
    assert (await lago.update_billable_metric("gb_stored", {"name": "Storage"})).name == "Storage"
    assert "gb_stored" in {m.code async for m in lago.iterate(lago.list_billable_metrics)}


async def test_subscription_lifecycle_and_current_usage(lago: LagoClient) -> None:
    await lago.create_customer({"external_id": "initech", "name": "Initech", "currency": "USD"})
    plan = next(p for p in (await lago.list_plans()).items if p.amount_currency == "USD")
    subscription = await lago.create_subscription(
        {"external_customer_id": "initech", "plan_code": plan.code, "external_id": "sub_initech"}
    )
    assert isinstance(subscription, Subscription)
    assert (subscription.external_id, subscription.status, subscription.plan_code) == (
        "sub_initech",
        "active",
        plan.code,
    )
    assert (await lago.get_subscription("sub_initech")).external_customer_id == "initech"
    assert (await lago.update_subscription("sub_initech", {"name": "Main"})).name == "Main"

    usage = await lago.get_customer_current_usage("initech", "sub_initech")
    assert usage.amount_cents is not None and usage.from_datetime is not None

    listed = await lago.list_subscriptions(external_customer_id="initech")
    assert [s.external_id for s in listed.items] == ["sub_initech"]

    terminated = await lago.terminate_subscription("sub_initech")
    assert terminated.status == "terminated" and terminated.terminated_at is not None
    assert (await lago.list_subscriptions(external_customer_id="initech")).items == []  # default: active only
    ended = await lago.list_subscriptions(external_customer_id="initech", statuses=["terminated"])
    assert [s.external_id for s in ended.items] == ["sub_initech"]
