"""Activity and API logs read back through the client after a change (real HTTP)."""

from __future__ import annotations

from billing_agent.lago import ActivityLog, ApiLog, LagoClient


async def test_a_change_leaves_an_activity_log_and_an_api_log(lago: LagoClient) -> None:
    await lago.create_customer({"external_id": "logged_co", "name": "Logged Co"})
    activities = await lago.list_activity_logs(external_customer_id="logged_co", activity_types=["customer.created"])
    assert [a.activity_type for a in activities.items] == ["customer.created"]
    one = await lago.get_activity_log(activities.items[0].activity_id)
    assert isinstance(one, ActivityLog) and one.resource_type == "Customer"

    posts = await lago.list_api_logs(http_methods=["post"], request_paths="/api/v1/customers")
    assert posts.items and all(p.http_method == "post" for p in posts.items)
    log = await lago.get_api_log(posts.items[0].request_id)
    assert isinstance(log, ApiLog) and log.http_status == 200
    assert (log.client or "").startswith("lago-billing-agent/")
