"""Coupons, applied coupons, events and wallets through the client against the sandbox (real HTTP)."""

from __future__ import annotations

import time

import pytest

from billing_agent.lago import (
    AppliedCoupon,
    Coupon,
    Event,
    LagoClient,
    LagoValidationError,
    Wallet,
    WalletTransaction,
)


async def test_coupon_crud_apply_list_remove(lago: LagoClient) -> None:
    coupon = await lago.create_coupon(
        {
            "code": "WELCOME5",
            "name": "Welcome",
            "coupon_type": "fixed_amount",
            "amount_cents": 500,
            "amount_currency": "USD",
            "frequency": "once",
            "expiration": "no_expiration",
            "reusable": False,
        }
    )
    assert isinstance(coupon, Coupon) and coupon.amount_cents == 500
    assert (await lago.get_coupon("WELCOME5")).name == "Welcome"
    assert (await lago.update_coupon("WELCOME5", {"name": "Welcome back"})).name == "Welcome back"
    assert "WELCOME5" in {c.code async for c in lago.iterate(lago.list_coupons)}

    applied = await lago.apply_coupon({"external_customer_id": "acme_corp", "coupon_code": "WELCOME5"})
    assert isinstance(applied, AppliedCoupon) and applied.status == "active"
    listed = await lago.list_applied_coupons(external_customer_id="acme_corp", coupon_codes=["WELCOME5"])
    assert [a.lago_id for a in listed.items] == [applied.lago_id]

    removed = await lago.remove_applied_coupon("acme_corp", applied.lago_id)
    assert removed.status == "terminated"
    terminated = await lago.delete_coupon("WELCOME5")
    assert terminated.terminated_at is not None


async def test_seeded_coupon_is_readable(lago: LagoClient) -> None:
    coupon = await lago.get_coupon("SUMMER20")
    assert coupon.code == "SUMMER20" and coupon.coupon_type in {"percentage", "fixed_amount"}


async def test_events_single_batch_get_list_and_duplicates(lago: LagoClient) -> None:
    subscription = (await lago.list_subscriptions(external_customer_id="acme_corp")).items[0]
    metric = (await lago.list_billable_metrics(per_page=1)).items[0]
    now = int(time.time())
    base = {"external_subscription_id": subscription.external_id, "code": metric.code, "timestamp": now}
    event = await lago.create_event({**base, "transaction_id": "txn-client-1", "properties": {"value": 3}})
    assert isinstance(event, Event) and event.transaction_id == "txn-client-1"
    fetched = await lago.get_event("txn-client-1")
    assert fetched.code == metric.code and fetched.external_subscription_id == subscription.external_id

    with pytest.raises(LagoValidationError) as caught:
        await lago.create_event({**base, "transaction_id": "txn-client-1"})
    assert caught.value.details == {"transaction_id": ["value_already_exist"]}

    batch = await lago.send_events_batch([{**base, "transaction_id": f"txn-batch-{n}"} for n in range(3)])
    assert [e.transaction_id for e in batch] == [f"txn-batch-{n}" for n in range(3)]
    listed = {
        e.transaction_id
        async for e in lago.iterate(lago.list_events, external_subscription_id=subscription.external_id)
    }
    assert {"txn-client-1", "txn-batch-0", "txn-batch-1", "txn-batch-2"} <= listed


async def test_wallet_create_top_up_update_terminate(lago: LagoClient) -> None:
    wallet = await lago.create_wallet(
        {"external_customer_id": "acme_corp", "name": "Prepaid", "currency": "USD", "rate_amount": "1.0"}
    )
    assert isinstance(wallet, Wallet) and wallet.status == "active"
    transactions = await lago.top_up_wallet(wallet.lago_id, paid_credits="20.0", granted_credits=5)
    assert transactions and all(isinstance(t, WalletTransaction) for t in transactions)
    assert {t.transaction_type for t in transactions} == {"inbound"}
    assert (await lago.get_wallet(wallet.lago_id)).lago_id == wallet.lago_id
    assert (await lago.update_wallet(wallet.lago_id, {"name": "Prepaid credits"})).name == "Prepaid credits"
    assert wallet.lago_id in {w.lago_id for w in (await lago.list_wallets("acme_corp")).items}
    terminated = await lago.terminate_wallet(wallet.lago_id)
    assert terminated.status == "terminated"
    with pytest.raises(ValueError, match="paid_credits and/or granted_credits"):
        await lago.top_up_wallet(wallet.lago_id)
