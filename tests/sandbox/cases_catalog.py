"""Conformance cases: customers, plans, subscriptions, billable metrics, coupons, events, wallets."""

from __future__ import annotations

import httpx

from tests.sandbox.conformance import UNKNOWN_ID, Api, case

# customers ---------------------------------------------------------------------------------------------------------


@case("POST", "/customers", 200)
async def _upsert_customer(api: Api) -> httpx.Response:
    body = {
        "customer": {"external_id": "conformance_new", "name": "Conformance Co", "country": "US", "currency": "USD"}
    }
    return await api.client.post("/customers", json=body)


@case("POST", "/customers", 422)
async def _upsert_customer_bad_email(api: Api) -> httpx.Response:
    return await api.client.post("/customers", json={"customer": {"external_id": "bad_mail", "email": "not-an-email"}})


@case("POST", "/customers", 400)
async def _upsert_customer_unwrapped(api: Api) -> httpx.Response:
    return await api.client.post("/customers", json={"external_id": "unwrapped"})


@case("GET", "/customers", 200)
async def _list_us_customers(api: Api) -> httpx.Response:
    return await api.client.get("/customers", params=[("countries[]", "US"), ("per_page", "10")])


@case("GET", "/customers", 200)
async def _search_customers(api: Api) -> httpx.Response:
    return await api.client.get("/customers", params={"search_term": "acme"})


@case("GET", "/customers", 401)
async def _list_customers_without_key(api: Api) -> httpx.Response:
    return await api.client.get("/customers", headers={"Authorization": ""})


@case("GET", "/customers/{external_customer_id}", 200)
async def _get_acme(api: Api) -> httpx.Response:
    return await api.client.get("/customers/acme_corp")


@case("GET", "/customers/{external_customer_id}", 404)
async def _get_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.get("/customers/nobody_here")


@case("DELETE", "/customers/{external_customer_id}", 200)
async def _delete_customer(api: Api) -> httpx.Response:
    await api.client.post("/customers", json={"customer": {"external_id": "conformance_doomed", "name": "Doomed"}})
    return await api.client.delete("/customers/conformance_doomed")


@case("DELETE", "/customers/{external_customer_id}", 404)
async def _delete_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.delete("/customers/nobody_here")


@case("GET", "/customers/{external_customer_id}/current_usage", 200)
async def _current_usage_of_acme(api: Api) -> httpx.Response:
    subscription = await api.pick("/subscriptions", "subscriptions", params=[("external_customer_id", "acme_corp")])
    params = {"external_subscription_id": subscription["external_id"]}
    return await api.client.get("/customers/acme_corp/current_usage", params=params)


@case("GET", "/customers/{external_customer_id}/current_usage", 404)
async def _current_usage_of_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.get("/customers/nobody_here/current_usage", params={"external_subscription_id": "x"})


# plans -------------------------------------------------------------------------------------------------------------


@case("POST", "/plans", 200)
async def _create_plan(api: Api) -> httpx.Response:
    plan = {"name": "Conformance", "code": "conformance", "interval": "monthly", "amount_cents": 1000}
    return await api.client.post("/plans", json={"plan": {**plan, "amount_currency": "USD"}})


@case("POST", "/plans", 422)
async def _create_plan_without_interval(api: Api) -> httpx.Response:
    body = {"plan": {"name": "Broken", "code": "broken", "amount_cents": 1000, "amount_currency": "USD"}}
    return await api.client.post("/plans", json=body)


@case("GET", "/plans", 200)
async def _list_plans(api: Api) -> httpx.Response:
    return await api.client.get("/plans")


@case("GET", "/plans/{code}", 200)
async def _get_plan(api: Api) -> httpx.Response:
    plan = await api.pick("/plans", "plans")
    return await api.client.get(f"/plans/{plan['code']}")


@case("GET", "/plans/{code}", 404)
async def _get_unknown_plan(api: Api) -> httpx.Response:
    return await api.client.get("/plans/no_such_plan")


@case("PUT", "/plans/{code}", 200)
async def _rename_plan(api: Api) -> httpx.Response:
    plan = await api.pick("/plans", "plans")
    return await api.client.put(f"/plans/{plan['code']}", json={"plan": {"description": "Updated by conformance"}})


@case("PUT", "/plans/{code}", 404)
async def _update_unknown_plan(api: Api) -> httpx.Response:
    return await api.client.put("/plans/no_such_plan", json={"plan": {"name": "x"}})


@case("DELETE", "/plans/{code}", 200)
async def _delete_plan(api: Api) -> httpx.Response:
    plan = {"name": "Doomed", "code": "doomed_plan", "interval": "monthly", "amount_cents": 0, "amount_currency": "USD"}
    await api.client.post("/plans", json={"plan": plan})
    return await api.client.delete("/plans/doomed_plan")


@case("DELETE", "/plans/{code}", 404)
async def _delete_unknown_plan(api: Api) -> httpx.Response:
    return await api.client.delete("/plans/no_such_plan")


# subscriptions -----------------------------------------------------------------------------------------------------


@case("POST", "/subscriptions", 200)
async def _create_subscription(api: Api) -> httpx.Response:
    plan = await api.pick("/plans", "plans", lambda p: p["amount_currency"] == "USD")
    body = {"external_customer_id": "acme_corp", "plan_code": plan["code"], "external_id": "sub_conformance"}
    return await api.client.post("/subscriptions", json={"subscription": body})


@case("POST", "/subscriptions", 404)
async def _create_subscription_unknown_plan(api: Api) -> httpx.Response:
    body = {"external_customer_id": "acme_corp", "plan_code": "no_such_plan", "external_id": "sub_nope"}
    return await api.client.post("/subscriptions", json={"subscription": body})


@case("POST", "/subscriptions", 422)
async def _create_subscription_without_plan(api: Api) -> httpx.Response:
    body = {"external_customer_id": "acme_corp", "external_id": "sub_nope"}
    return await api.client.post("/subscriptions", json={"subscription": body})


@case("GET", "/subscriptions", 200)
async def _list_subscriptions(api: Api) -> httpx.Response:
    return await api.client.get("/subscriptions", params=[("status[]", "active"), ("status[]", "terminated")])


@case("GET", "/subscriptions/{external_id}", 200)
async def _get_subscription(api: Api) -> httpx.Response:
    subscription = await api.pick("/subscriptions", "subscriptions")
    return await api.client.get(f"/subscriptions/{subscription['external_id']}")


@case("GET", "/subscriptions/{external_id}", 404)
async def _get_unknown_subscription(api: Api) -> httpx.Response:
    return await api.client.get("/subscriptions/no_such_subscription")


@case("PUT", "/subscriptions/{external_id}", 200)
async def _rename_subscription(api: Api) -> httpx.Response:
    subscription = await api.pick("/subscriptions", "subscriptions")
    body = {"subscription": {"name": "Renamed by conformance"}}
    return await api.client.put(f"/subscriptions/{subscription['external_id']}", json=body)


@case("PUT", "/subscriptions/{external_id}", 404)
async def _update_unknown_subscription(api: Api) -> httpx.Response:
    return await api.client.put("/subscriptions/no_such_subscription", json={"subscription": {"name": "x"}})


@case("DELETE", "/subscriptions/{external_id}", 200)
async def _terminate_subscription(api: Api) -> httpx.Response:
    subscriptions = await api.items("/subscriptions", "subscriptions")
    target = [s for s in subscriptions if s["external_customer_id"] != "acme_corp"][-1]
    return await api.client.delete(f"/subscriptions/{target['external_id']}")


@case("DELETE", "/subscriptions/{external_id}", 404)
async def _terminate_unknown_subscription(api: Api) -> httpx.Response:
    return await api.client.delete("/subscriptions/no_such_subscription")


@case("GET", "/customers/{external_customer_id}/subscriptions", 200)
async def _list_acme_subscriptions(api: Api) -> httpx.Response:
    return await api.client.get("/customers/acme_corp/subscriptions")


@case("GET", "/customers/{external_customer_id}/subscriptions", 404)
async def _list_subscriptions_of_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.get("/customers/nobody_here/subscriptions")


# billable metrics --------------------------------------------------------------------------------------------------


@case("POST", "/billable_metrics", 200)
async def _create_billable_metric(api: Api) -> httpx.Response:
    metric = {"name": "Conformance calls", "code": "conformance_calls", "aggregation_type": "count_agg"}
    return await api.client.post("/billable_metrics", json={"billable_metric": metric})


@case("POST", "/billable_metrics", 422)
async def _create_billable_metric_without_aggregation(api: Api) -> httpx.Response:
    return await api.client.post("/billable_metrics", json={"billable_metric": {"name": "x", "code": "x"}})


@case("GET", "/billable_metrics", 200)
async def _list_billable_metrics(api: Api) -> httpx.Response:
    return await api.client.get("/billable_metrics")


@case("GET", "/billable_metrics/{code}", 200)
async def _get_billable_metric(api: Api) -> httpx.Response:
    metric = await api.pick("/billable_metrics", "billable_metrics")
    return await api.client.get(f"/billable_metrics/{metric['code']}")


@case("GET", "/billable_metrics/{code}", 404)
async def _get_unknown_billable_metric(api: Api) -> httpx.Response:
    return await api.client.get("/billable_metrics/no_such_metric")


@case("PUT", "/billable_metrics/{code}", 200)
async def _update_billable_metric(api: Api) -> httpx.Response:
    metric = await api.pick("/billable_metrics", "billable_metrics")
    body = {"billable_metric": {"description": "Updated by conformance"}}
    return await api.client.put(f"/billable_metrics/{metric['code']}", json=body)


@case("PUT", "/billable_metrics/{code}", 404)
async def _update_unknown_billable_metric(api: Api) -> httpx.Response:
    return await api.client.put("/billable_metrics/no_such_metric", json={"billable_metric": {"name": "x"}})


@case("DELETE", "/billable_metrics/{code}", 200)
async def _delete_billable_metric(api: Api) -> httpx.Response:
    metric = {"name": "Doomed", "code": "doomed_metric", "aggregation_type": "count_agg"}
    await api.client.post("/billable_metrics", json={"billable_metric": metric})
    return await api.client.delete("/billable_metrics/doomed_metric")


@case("DELETE", "/billable_metrics/{code}", 404)
async def _delete_unknown_billable_metric(api: Api) -> httpx.Response:
    return await api.client.delete("/billable_metrics/no_such_metric")


# coupons and applied coupons ---------------------------------------------------------------------------------------


@case("POST", "/coupons", 200)
async def _create_coupon(api: Api) -> httpx.Response:
    coupon = {
        "name": "Conformance 10",
        "code": "CONF10",
        "coupon_type": "percentage",
        "percentage_rate": "10.0",
        "frequency": "once",
        "expiration": "no_expiration",
    }
    return await api.client.post("/coupons", json={"coupon": coupon})


@case("POST", "/coupons", 422)
async def _create_percentage_coupon_without_rate(api: Api) -> httpx.Response:
    coupon = {"name": "x", "code": "x", "coupon_type": "percentage", "frequency": "once", "expiration": "no_expiration"}
    return await api.client.post("/coupons", json={"coupon": coupon})


@case("GET", "/coupons", 200)
async def _list_coupons(api: Api) -> httpx.Response:
    return await api.client.get("/coupons")


@case("GET", "/coupons/{code}", 200)
async def _get_summer20(api: Api) -> httpx.Response:
    return await api.client.get("/coupons/SUMMER20")


@case("GET", "/coupons/{code}", 404)
async def _get_unknown_coupon(api: Api) -> httpx.Response:
    return await api.client.get("/coupons/NO_SUCH_COUPON")


@case("PUT", "/coupons/{code}", 200)
async def _update_coupon(api: Api) -> httpx.Response:
    return await api.client.put("/coupons/SUMMER20", json={"coupon": {"description": "Summer promotion"}})


@case("PUT", "/coupons/{code}", 404)
async def _update_unknown_coupon(api: Api) -> httpx.Response:
    return await api.client.put("/coupons/NO_SUCH_COUPON", json={"coupon": {"name": "x"}})


@case("DELETE", "/coupons/{code}", 200)
async def _terminate_coupon(api: Api) -> httpx.Response:
    coupon = {
        "name": "Doomed",
        "code": "DOOMED",
        "coupon_type": "fixed_amount",
        "amount_cents": 500,
        "amount_currency": "USD",
        "frequency": "once",
        "expiration": "no_expiration",
    }
    await api.client.post("/coupons", json={"coupon": coupon})
    return await api.client.delete("/coupons/DOOMED")


@case("DELETE", "/coupons/{code}", 404)
async def _terminate_unknown_coupon(api: Api) -> httpx.Response:
    return await api.client.delete("/coupons/NO_SUCH_COUPON")


@case("POST", "/applied_coupons", 200)
async def _apply_summer20(api: Api) -> httpx.Response:
    customer = await api.pick("/customers", "customers", lambda c: c["external_id"] != "acme_corp")
    body = {"applied_coupon": {"external_customer_id": customer["external_id"], "coupon_code": "SUMMER20"}}
    return await api.client.post("/applied_coupons", json=body)


@case("POST", "/applied_coupons", 404)
async def _apply_unknown_coupon(api: Api) -> httpx.Response:
    body = {"applied_coupon": {"external_customer_id": "acme_corp", "coupon_code": "NO_SUCH_COUPON"}}
    return await api.client.post("/applied_coupons", json=body)


@case("POST", "/applied_coupons", 422)
async def _apply_coupon_without_customer(api: Api) -> httpx.Response:
    return await api.client.post("/applied_coupons", json={"applied_coupon": {"coupon_code": "SUMMER20"}})


@case("GET", "/applied_coupons", 200)
async def _list_applied_coupons(api: Api) -> httpx.Response:
    return await api.client.get("/applied_coupons", params={"status": "active"})


@case("GET", "/customers/{external_customer_id}/applied_coupons", 200)
async def _list_customer_applied_coupons(api: Api) -> httpx.Response:
    applied = await api.pick("/applied_coupons", "applied_coupons")
    return await api.client.get(f"/customers/{applied['external_customer_id']}/applied_coupons")


@case("GET", "/customers/{external_customer_id}/applied_coupons", 404)
async def _list_applied_coupons_of_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.get("/customers/nobody_here/applied_coupons")


@case("DELETE", "/customers/{external_customer_id}/applied_coupons/{applied_coupon_id}", 200)
async def _remove_applied_coupon(api: Api) -> httpx.Response:
    applied = await api.pick("/applied_coupons", "applied_coupons", params=[("status", "active")])
    return await api.client.delete(f"/customers/{applied['external_customer_id']}/applied_coupons/{applied['lago_id']}")


@case("DELETE", "/customers/{external_customer_id}/applied_coupons/{applied_coupon_id}", 404)
async def _remove_unknown_applied_coupon(api: Api) -> httpx.Response:
    return await api.client.delete(f"/customers/acme_corp/applied_coupons/{UNKNOWN_ID}")


# events ------------------------------------------------------------------------------------------------------------


async def _acme_subscription(api: Api) -> str:
    subscription = await api.pick("/subscriptions", "subscriptions", params=[("external_customer_id", "acme_corp")])
    return str(subscription["external_id"])


@case("POST", "/events", 200)
async def _send_event(api: Api) -> httpx.Response:
    event = {"transaction_id": "conf_evt_1", "external_subscription_id": await _acme_subscription(api)}
    return await api.client.post("/events", json={"event": {**event, "code": "api_calls", "properties": {}}})


@case("POST", "/events", 422)
async def _send_event_without_code(api: Api) -> httpx.Response:
    event = {"transaction_id": "conf_evt_2", "external_subscription_id": await _acme_subscription(api)}
    return await api.client.post("/events", json={"event": event})


@case("POST", "/events/batch", 200)
async def _send_event_batch(api: Api) -> httpx.Response:
    subscription = await _acme_subscription(api)
    events = [
        {"transaction_id": f"conf_batch_{n}", "external_subscription_id": subscription, "code": "api_calls"}
        for n in range(3)
    ]
    return await api.client.post("/events/batch", json={"events": events})


@case("POST", "/events/batch", 422)
async def _send_empty_event_batch(api: Api) -> httpx.Response:
    return await api.client.post("/events/batch", json={"events": []})


@case("GET", "/events", 200)
async def _list_events(api: Api) -> httpx.Response:
    return await api.client.get("/events", params={"external_subscription_id": await _acme_subscription(api)})


@case("GET", "/events/{transaction_id}", 200)
async def _get_event(api: Api) -> httpx.Response:
    event = await api.pick("/events", "events")
    return await api.client.get(f"/events/{event['transaction_id']}")


@case("GET", "/events/{transaction_id}", 404)
async def _get_unknown_event(api: Api) -> httpx.Response:
    return await api.client.get("/events/no_such_event")


# wallets -----------------------------------------------------------------------------------------------------------


@case("POST", "/wallets", 200)
async def _create_wallet(api: Api) -> httpx.Response:
    wallet = {"external_customer_id": "acme_corp", "rate_amount": "1.0", "currency": "USD", "paid_credits": "10.0"}
    return await api.client.post("/wallets", json={"wallet": {**wallet, "name": "Conformance credits"}})


@case("POST", "/wallets", 422)
async def _create_wallet_without_rate(api: Api) -> httpx.Response:
    return await api.client.post("/wallets", json={"wallet": {"external_customer_id": "acme_corp", "currency": "USD"}})


@case("GET", "/wallets", 200)
async def _list_acme_wallets(api: Api) -> httpx.Response:
    return await api.client.get("/wallets", params={"external_customer_id": "acme_corp"})


@case("GET", "/wallets/{lago_id}", 200)
async def _get_wallet(api: Api) -> httpx.Response:
    wallet = await api.pick("/wallets", "wallets", params=[("external_customer_id", "acme_corp")])
    return await api.client.get(f"/wallets/{wallet['lago_id']}")


@case("GET", "/wallets/{lago_id}", 404)
async def _get_unknown_wallet(api: Api) -> httpx.Response:
    return await api.client.get(f"/wallets/{UNKNOWN_ID}")


@case("PUT", "/wallets/{lago_id}", 200)
async def _rename_wallet(api: Api) -> httpx.Response:
    wallet = await api.pick("/wallets", "wallets", params=[("external_customer_id", "acme_corp")])
    return await api.client.put(f"/wallets/{wallet['lago_id']}", json={"wallet": {"name": "Renamed credits"}})


@case("PUT", "/wallets/{lago_id}", 404)
async def _update_unknown_wallet(api: Api) -> httpx.Response:
    return await api.client.put(f"/wallets/{UNKNOWN_ID}", json={"wallet": {"name": "x"}})


@case("DELETE", "/wallets/{lago_id}", 200)
async def _terminate_wallet(api: Api) -> httpx.Response:
    wallet = {"external_customer_id": "acme_corp", "rate_amount": "1.0", "currency": "USD", "name": "Doomed"}
    created = await api.client.post("/wallets", json={"wallet": wallet})
    return await api.client.delete(f"/wallets/{created.json()['wallet']['lago_id']}")


@case("DELETE", "/wallets/{lago_id}", 404)
async def _terminate_unknown_wallet(api: Api) -> httpx.Response:
    return await api.client.delete(f"/wallets/{UNKNOWN_ID}")


@case("GET", "/wallets/{lago_id}/wallet_transactions", 200)
async def _list_wallet_transactions(api: Api) -> httpx.Response:
    wallet = await api.pick("/wallets", "wallets", params=[("external_customer_id", "acme_corp")])
    return await api.client.get(f"/wallets/{wallet['lago_id']}/wallet_transactions")


@case("GET", "/wallets/{lago_id}/wallet_transactions", 404)
async def _list_transactions_of_unknown_wallet(api: Api) -> httpx.Response:
    return await api.client.get(f"/wallets/{UNKNOWN_ID}/wallet_transactions")


@case("POST", "/wallet_transactions", 200)
async def _top_up_wallet(api: Api) -> httpx.Response:
    wallet = await api.pick(
        "/wallets", "wallets", lambda w: w["status"] == "active", [("external_customer_id", "acme_corp")]
    )
    body = {"wallet_transaction": {"wallet_id": wallet["lago_id"], "paid_credits": "5.0", "granted_credits": "1.0"}}
    return await api.client.post("/wallet_transactions", json=body)


@case("POST", "/wallet_transactions", 422)
async def _top_up_without_wallet(api: Api) -> httpx.Response:
    return await api.client.post("/wallet_transactions", json={"wallet_transaction": {"paid_credits": "5.0"}})


@case("GET", "/wallet_transactions/{lago_id}", 200)
async def _get_wallet_transaction(api: Api) -> httpx.Response:
    for wallet in await api.items("/wallets", "wallets", [("external_customer_id", "acme_corp")]):
        transactions = await api.items(f"/wallets/{wallet['lago_id']}/wallet_transactions", "wallet_transactions")
        if transactions:
            return await api.client.get(f"/wallet_transactions/{transactions[0]['lago_id']}")
    raise AssertionError("the demo seed has no wallet transaction for acme_corp")


@case("GET", "/wallet_transactions/{lago_id}", 404)
async def _get_unknown_wallet_transaction(api: Api) -> httpx.Response:
    return await api.client.get(f"/wallet_transactions/{UNKNOWN_ID}")


@case("POST", "/customers/{external_customer_id}/wallets", 200)
async def _create_customer_wallet(api: Api) -> httpx.Response:
    wallet = {"rate_amount": "1.0", "currency": "USD", "name": "Nested wallet", "granted_credits": "3.0"}
    return await api.client.post("/customers/acme_corp/wallets", json={"wallet": wallet})


@case("GET", "/customers/{external_customer_id}/wallets", 200)
async def _list_customer_wallets(api: Api) -> httpx.Response:
    return await api.client.get("/customers/acme_corp/wallets")


@case("GET", "/customers/{external_customer_id}/wallets", 404)
async def _list_wallets_of_unknown_customer(api: Api) -> httpx.Response:
    return await api.client.get("/customers/nobody_here/wallets")
