"""Demo catalog of an organization: billable metrics, plans, coupons, subscriptions, events, coupons, wallets."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from billing_agent.sandbox import kinds
from billing_agent.sandbox.charges import build_charge
from billing_agent.sandbox.resources.billable_metrics import new_billable_metric
from billing_agent.sandbox.resources.coupons import new_applied_coupon, new_coupon
from billing_agent.sandbox.resources.events import new_event
from billing_agent.sandbox.resources.plans import new_plan
from billing_agent.sandbox.resources.subscriptions import new_subscription
from billing_agent.sandbox.resources.wallets import add_transaction, new_wallet
from billing_agent.sandbox.store import Org, Record, SandboxStore, iso

ChargeSpec = tuple[str, str, dict[str, Any]]

METRICS: tuple[tuple[str, str, str, str | None], ...] = (
    ("api_calls", "API calls", "count_agg", None),
    ("storage_gb", "Storage (GB)", "max_agg", "gb"),
    ("compute_hours", "Compute hours", "sum_agg", "hours"),
    ("seats", "Active seats", "unique_count_agg", "user_id"),
)
_PACKAGE_CALLS: ChargeSpec = ("api_calls", "package", {"amount": "5", "package_size": 1000, "free_units": 1000})
_PER_CALL: ChargeSpec = ("api_calls", "standard", {"amount": "0.002"})
_STORAGE: ChargeSpec = (
    "storage_gb",
    "graduated",
    {
        "graduated_ranges": [
            {"from_value": 0, "to_value": 100, "per_unit_amount": "0", "flat_amount": "0"},
            {"from_value": 101, "to_value": None, "per_unit_amount": "0.25", "flat_amount": "0"},
        ]
    },
)
_VOLUME_CALLS: ChargeSpec = (
    "api_calls",
    "volume",
    {
        "volume_ranges": [
            {"from_value": 0, "to_value": 100000, "per_unit_amount": "0.001", "flat_amount": "0"},
            {"from_value": 100001, "to_value": None, "per_unit_amount": "0.0005", "flat_amount": "0"},
        ]
    },
)
PLANS: tuple[tuple[str, str, str, int, str, tuple[ChargeSpec, ...]], ...] = (
    ("starter", "Starter", "monthly", 4900, "USD", (_PACKAGE_CALLS,)),
    ("pro", "Pro", "monthly", 29900, "USD", (_PER_CALL, _STORAGE)),
    (
        "enterprise",
        "Enterprise",
        "monthly",
        250000,
        "USD",
        (("compute_hours", "standard", {"amount": "0.5"}), _VOLUME_CALLS, ("seats", "standard", {"amount": "10"})),
    ),
    ("pro_yearly", "Pro (yearly)", "yearly", 299000, "USD", (_PER_CALL,)),
    ("starter_eur", "Starter EUR", "monthly", 4500, "EUR", (_PACKAGE_CALLS,)),
    ("pro_eur", "Pro EUR", "monthly", 27900, "EUR", (_PER_CALL, _STORAGE)),
)
OTHER_PLANS: tuple[tuple[str, str, str, int, str, tuple[ChargeSpec, ...]], ...] = (
    ("basic", "Basic", "monthly", 9900, "USD", (_PER_CALL,)),
    ("premium", "Premium", "monthly", 99900, "USD", (_PER_CALL,)),
)
_PLAN_MIX = {
    "USD": (("starter", 45), ("pro", 35), ("pro_yearly", 10), ("enterprise", 10)),
    "EUR": (("starter_eur", 60), ("pro_eur", 40)),
}
ACME_SUBSCRIPTION = "sub_acme_corp"
ALWAYS_ACTIVE = ("acme_corp", "xyz")


@dataclass
class DemoCatalog:
    """What the seed created for one organization, by code."""

    metrics: dict[str, Record] = field(default_factory=dict)
    plans: dict[str, Record] = field(default_factory=dict)
    coupons: dict[str, Record] = field(default_factory=dict)


def _rid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def seed_catalog(store: SandboxStore, org: Org, rng: random.Random, now: datetime, *, minimal: bool) -> DemoCatalog:
    """Billable metrics, plans with charges and coupons (just a metric and two plans when `minimal`)."""
    catalog = DemoCatalog()
    created = iso(now - timedelta(days=450))
    for code, name, aggregation, field_name in METRICS[:1] if minimal else METRICS:
        metric = new_billable_metric(code, name, aggregation, created, field_name=field_name)
        metric["lago_id"] = _rid(rng)
        catalog.metrics[code] = metric
    store.put_many(org.id, kinds.BILLABLE_METRIC, list(catalog.metrics.items()))
    for code, name, interval, cents, currency, charge_specs in OTHER_PLANS if minimal else PLANS:
        charges = []
        for metric_code, model, properties in charge_specs:
            data = {"billable_metric_code": metric_code, "charge_model": model, "properties": properties}
            charge = build_charge(store, org.id, data, created)
            charge["lago_id"] = _rid(rng)
            charges.append(charge)
        plan = new_plan(code, name, interval, cents, currency, created, charges)
        plan["lago_id"] = _rid(rng)
        plan["description"] = f"{name} plan"
        catalog.plans[code] = plan
    store.put_many(org.id, kinds.PLAN, list(catalog.plans.items()))
    if not minimal:
        _seed_coupons(store, org, rng, now, catalog)
    return catalog


def _seed_coupons(store: SandboxStore, org: Org, rng: random.Random, now: datetime, catalog: DemoCatalog) -> None:
    created = iso(now - timedelta(days=120))
    rows: tuple[tuple[str, str, str, str, dict[str, Any]], ...] = (
        ("SUMMER20", "Summer sale 20%", "percentage", "once", {"percentage_rate": "20.0", "reusable": False}),
        (
            "WELCOME10",
            "Welcome 10%",
            "percentage",
            "recurring",
            {"percentage_rate": "10.0", "frequency_duration": 3},
        ),
        ("FLAT50", "$50 off", "fixed_amount", "once", {"amount_cents": 5000, "amount_currency": "USD"}),
        (
            "LOYALTY15",
            "Loyalty 15%",
            "percentage",
            "forever",
            {"percentage_rate": "15.0", "expiration": "time_limit", "expiration_at": iso(now + timedelta(days=60))},
        ),
        ("BLACKFRIDAY", "Black Friday 30%", "percentage", "once", {"percentage_rate": "30.0"}),
    )
    for code, name, coupon_type, frequency, extra in rows:
        coupon = new_coupon(code, name, coupon_type, frequency, created)
        coupon["lago_id"] = _rid(rng)
        coupon.update(extra)
        catalog.coupons[code] = coupon
    catalog.coupons["BLACKFRIDAY"]["terminated_at"] = iso(now - timedelta(days=5))
    store.put_many(org.id, kinds.COUPON, list(catalog.coupons.items()))


def _pick_plan(rng: random.Random, catalog: DemoCatalog, currency: str) -> Record | None:
    mix = [(code, weight) for code, weight in _PLAN_MIX.get(currency, ()) if code in catalog.plans]
    if not mix:
        usable = [p for p in catalog.plans.values() if p["amount_currency"] == currency]
        return rng.choice(usable) if usable else None
    code = rng.choices([c for c, _ in mix], weights=[w for _, w in mix])[0]
    return catalog.plans[code]


def seed_subscriptions(
    store: SandboxStore, org: Org, rng: random.Random, now: datetime, people: list[Record], catalog: DemoCatalog
) -> list[Record]:
    """About 75 % active (a tenth of them started this month), 6 % pending, 10 % terminated, the rest none."""
    month_start = now.replace(day=1)
    subscriptions: list[Record] = []
    for customer in people:
        plan = _pick_plan(rng, catalog, customer["currency"])
        if plan is None:
            continue
        created = datetime.fromisoformat(customer["created_at"].replace("Z", "+00:00"))
        external_id = f"sub_{customer['external_id']}"
        roll = 0.5 if customer["external_id"] in ALWAYS_ACTIVE else rng.random()
        if customer["external_id"] == "acme_corp":
            plan = catalog.plans["enterprise"]
        if roll < 0.08:
            continue
        if roll < 0.14:
            starts = now + timedelta(days=rng.randint(1, 30))
            subscription = new_subscription(customer, plan, external_id, subscription_at=starts, now=now)
            subscription["created_at"] = iso(max(created, now - timedelta(days=rng.randint(0, 10))))
        else:
            started = created + timedelta(hours=rng.randint(1, 72))
            if roll > 0.9:
                started = max(created, month_start + (now - month_start) * rng.random())
            started = min(started, now)
            subscription = new_subscription(customer, plan, external_id, subscription_at=started, now=now)
            subscription["created_at"] = iso(started)
            if roll < 0.24:
                ended = started + (now - started) * (0.5 + rng.random() / 2)
                subscription.update(status="terminated", terminated_at=iso(min(ended, now - timedelta(hours=1))))
        if customer["external_id"] == "acme_corp":
            subscription["name"] = "Acme Enterprise"
        subscription["lago_id"] = _rid(rng)
        subscriptions.append(subscription)
    store.put_many(org.id, kinds.SUBSCRIPTION, [(s["lago_id"], s) for s in subscriptions])
    return subscriptions


def _event_properties(rng: random.Random, metric_code: str) -> dict[str, Any]:
    if metric_code == "storage_gb":
        return {"gb": rng.randint(5, 400)}
    if metric_code == "compute_hours":
        return {"hours": round(rng.uniform(0.5, 12.0), 2)}
    if metric_code == "seats":
        return {"user_id": f"user_{rng.randint(1, 40)}"}
    return {"endpoint": rng.choice(("/v1/search", "/v1/export", "/v1/sync"))}


def seed_events(
    store: SandboxStore,
    org: Org,
    rng: random.Random,
    now: datetime,
    subscriptions: list[Record],
    catalog: DemoCatalog,
) -> None:
    """Usage events over the last 30 days for every active subscription (many more for Acme)."""
    events: list[Record] = []
    for subscription in subscriptions:
        if subscription["status"] != "active":
            continue
        plan = catalog.plans[subscription["plan_code"]]
        codes = [charge["billable_metric_code"] for charge in plan["charges"]]
        acme = subscription["external_id"] == ACME_SUBSCRIPTION
        started = datetime.fromisoformat(subscription["started_at"].replace("Z", "+00:00"))
        earliest = max(started, now - timedelta(days=30))
        for number in range(40 if acme else rng.randint(0, 4)):
            code = codes[number % len(codes)]
            moment = earliest + (now - earliest) * rng.random()
            transaction_id = f"{subscription['external_id']}_{number:03d}"
            stamp = iso(moment)
            properties = _event_properties(rng, code)
            events.append(
                new_event(subscription, code, transaction_id, moment, properties, lago_id=_rid(rng), created_at=stamp)
            )
    store.put_many(org.id, kinds.EVENT, [(e["transaction_id"], e) for e in events])


def seed_applied_coupons(
    store: SandboxStore, org: Org, rng: random.Random, now: datetime, people: list[Record], catalog: DemoCatalog
) -> None:
    """A few applied coupons; SUMMER20 only on customers outside the US (so US customers still need it)."""
    outside_us = [c for c in people[1:] if c["country"] != "US"]
    usd = [c for c in people[1:] if c["currency"] == "USD"]
    plan: list[tuple[str, list[Record], int]] = [
        ("WELCOME10", people[1:], 20),
        ("SUMMER20", outside_us, 8),
        ("FLAT50", usd, 5),
        ("LOYALTY15", people[1:], 3),
    ]
    applied: list[Record] = []
    for code, pool, count in plan:
        coupon = catalog.coupons[code]
        for customer in rng.sample(pool, min(count, len(pool))):
            if any(a["lago_customer_id"] == customer["lago_id"] and a["coupon_code"] == code for a in applied):
                continue
            moment = iso(now - timedelta(days=rng.randint(1, 60)))
            record = new_applied_coupon(coupon, customer, moment, {})
            record["lago_id"] = _rid(rng)
            applied.append(record)
    if applied:
        first = applied[0]
        first.update(status="terminated", terminated_at=iso(now - timedelta(days=1)))
    store.put_many(org.id, kinds.APPLIED_COUPON, [(a["lago_id"], a) for a in applied])


def seed_wallets(store: SandboxStore, org: Org, rng: random.Random, now: datetime, people: list[Record]) -> None:
    """Prepaid-credit wallets for Acme and eleven other customers, with granted and purchased credits."""
    holders = [people[0], *rng.sample(people[1:], min(11, len(people) - 1))]
    wallets: list[Record] = []
    transactions: list[Record] = []
    for customer in holders:
        moment = iso(now - timedelta(days=rng.randint(5, 90)))
        wallet = new_wallet(customer, customer["currency"], Decimal(1), moment, name="Prepaid credits")
        wallet["lago_id"] = _rid(rng)
        for credits, status in ((Decimal(rng.choice((100, 250, 500, 1000))), "granted"), (Decimal(200), "purchased")):
            transaction = add_transaction(wallet, credits, status, moment)
            transaction["lago_id"] = _rid(rng)
            transactions.append(transaction)
        wallets.append(wallet)
    store.put_many(org.id, kinds.WALLET, [(w["lago_id"], w) for w in wallets])
    store.put_many(org.id, kinds.WALLET_TRANSACTION, [(t["lago_id"], t) for t in transactions])
