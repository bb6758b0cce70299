"""Deterministic demo data: org "Hooli Demo" (key `sandbox-demo-key`) and a second org, "Pied Piper".

Everything comes from `random.Random(42)` and a fixed "now" (midnight UTC of the current day), so two
seeds made the same day hold the same records, ids included.
"""

from __future__ import annotations

import random
import re
import uuid
from datetime import UTC, datetime, timedelta

from billing_agent.sandbox import kinds
from billing_agent.sandbox.demo_names import (
    COMPANY_FIRST,
    COMPANY_SECOND,
    COMPANY_SUFFIX,
    COUNTRY_CYCLE,
    FIRST_NAMES,
    LAST_NAMES,
    PLACES,
    SEGMENTS,
    Place,
)
from billing_agent.sandbox.logs import ACTIVITY_KIND, record_activity
from billing_agent.sandbox.lookups import set_sequence
from billing_agent.sandbox.resources.customers import new_customer
from billing_agent.sandbox.seed_billing import seed_billing_history
from billing_agent.sandbox.seed_catalog import (
    DemoCatalog,
    seed_applied_coupons,
    seed_catalog,
    seed_events,
    seed_subscriptions,
    seed_wallets,
)
from billing_agent.sandbox.store import Org, Record, SandboxStore, iso

DEMO_ORG_NAME = "Hooli Demo"
DEMO_API_KEY = "sandbox-demo-key"
OTHER_ORG_NAME = "Pied Piper"
OTHER_API_KEY = "sandbox-other-key"
SEEDS = ("demo", "empty")
RANDOM_SEED = 42
ACME_EXTERNAL_ID = "acme_corp"
XYZ_FIELDS = {
    "external_id": "xyz",
    "name": "XYZ Industries",
    "legal_name": "XYZ Industries Ltd",
    "email": "billing@xyz.example",
    "customer_type": "company",
    "firstname": None,
    "lastname": None,
}
"""The product page's "customer xyz": the second demo customer, addressed by `external_id` `xyz`."""
OTHER_ORG_CUSTOMERS = 6


def seed_now(today: datetime | None = None) -> datetime:
    """The seed's fixed "now": midnight UTC of the current day (stable within a day, recent for queries)."""
    moment = (today or datetime.now(UTC)).astimezone(UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def apply_seed(store: SandboxStore, seed: str | None, *, customers: int = 1200) -> None:
    """Fill an empty store with the named seed (`demo`: full demo data; `empty`: the two orgs only)."""
    if seed is None:
        return
    if seed not in SEEDS:
        raise ValueError(f"unknown seed {seed!r}; use one of {', '.join(SEEDS)}")
    if customers < 1:
        raise ValueError("the demo seed needs at least 1 customer (Acme Corp)")
    demo = store.add_org(DEMO_ORG_NAME, DEMO_API_KEY, org_id=_org_id(DEMO_API_KEY))
    other = store.add_org(OTHER_ORG_NAME, OTHER_API_KEY, org_id=_org_id(OTHER_API_KEY))
    if seed == "empty":
        return
    rng = random.Random(RANDOM_SEED)
    now = seed_now()
    with store.transaction():
        _seed_org(store, demo, rng, now, customers, other_org=False)
        _seed_org(store, other, rng, now, OTHER_ORG_CUSTOMERS, other_org=True)
        seed_billing_history(store, demo, rng, now)


def _org_id(api_key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lago-sandbox:{api_key}"))


def _seed_org(store: SandboxStore, org: Org, rng: random.Random, now: datetime, count: int, *, other_org: bool) -> None:
    catalog = seed_catalog(store, org, rng, now, minimal=other_org)
    people = _pied_piper_customers(org, rng, now) if other_org else _hooli_customers(org, rng, now, count)
    store.put_many(org.id, kinds.CUSTOMER, [(c["external_id"], c) for c in people])
    set_sequence(store, org.id, "customer", len(people))
    subscriptions = seed_subscriptions(store, org, rng, now, people, catalog)
    seed_events(store, org, rng, now, subscriptions, catalog)
    if not other_org:
        seed_applied_coupons(store, org, rng, now, people, catalog)
        seed_wallets(store, org, rng, now, people)
    _recent_activity(store, org, rng, now, people)


def _hooli_customers(org: Org, rng: random.Random, now: datetime, count: int) -> list[Record]:
    acme = _customer(org, rng, 1, ACME_EXTERNAL_ID, now - timedelta(days=420), PLACES["US"][2])
    acme.update(
        name="Acme Corp",
        legal_name="Acme Corporation",
        email="billing@acme.example",
        customer_type="company",
        currency="USD",
        phone="+1 212 555 0100",
        address_line1="1 Acme Plaza",
        net_payment_term=30,
    )
    acme["metadata"] = [_metadata(rng, "segment", "enterprise", acme["created_at"])]
    people = [acme]
    span_days = 400
    for index in range(1, count):
        place = rng.choice(PLACES[COUNTRY_CYCLE[index % len(COUNTRY_CYCLE)]])
        created = now - timedelta(days=span_days * (count - index) / count, seconds=rng.randint(0, 86_000))
        name, firstname, lastname, customer_type = _identity(rng)
        slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        external_id = f"{slug}_{index:04d}"
        record = _customer(org, rng, index + 1, external_id, created, place)
        domain = slug.replace("_", "-")
        record.update(
            name=name,
            firstname=firstname,
            lastname=lastname,
            customer_type=customer_type,
            email=f"billing@{domain}.example" if customer_type == "company" else f"{domain}@mail.example",
            legal_name=name if customer_type == "company" else None,
            net_payment_term=rng.choice((None, 15, 30, 30, 45)),
        )
        if rng.random() < 0.4:
            record["metadata"] = [_metadata(rng, "segment", rng.choice(SEGMENTS), record["created_at"])]
        if index == 1:
            record.update(XYZ_FIELDS)
        people.append(record)
    return people


def _identity(rng: random.Random) -> tuple[str, str | None, str | None, str]:
    if rng.random() < 0.15:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        return f"{first} {last}", first, last, "individual"
    suffix = rng.choice(COMPANY_SUFFIX)
    name = f"{rng.choice(COMPANY_FIRST)} {rng.choice(COMPANY_SECOND)}"
    return (f"{name} {suffix}" if suffix else name), None, None, "company"


def _pied_piper_customers(org: Org, rng: random.Random, now: datetime) -> list[Record]:
    rows = (
        ("acme", "Acme Corp", "accounts@acme-uk.example", PLACES["GB"][0]),
        ("raviga", "Raviga Capital", "ap@raviga.example", PLACES["US"][0]),
        ("endframe", "Endframe", "billing@endframe.example", PLACES["US"][0]),
        ("bachmanity", "Bachmanity", "erlich@bachmanity.example", PLACES["US"][0]),
        ("aviato", "Aviato", "finance@aviato.example", PLACES["US"][0]),
        ("nucleus", "Nucleus Systems", "billing@nucleus.example", PLACES["DE"][0]),
    )
    people = []
    for index, (external_id, name, email, place) in enumerate(rows, start=1):
        record = _customer(org, rng, index, external_id, now - timedelta(days=200 - index * 20), place)
        record.update(name=name, legal_name=name, email=email, customer_type="company")
        people.append(record)
    return people


def _customer(org: Org, rng: random.Random, sequence: int, external_id: str, created: datetime, place: Place) -> Record:
    record = new_customer(org, external_id, sequence, iso(created))
    record["lago_id"] = seeded_id(rng)
    record.update(
        country=place.country,
        state=place.state,
        city=place.city,
        zipcode=place.zipcode,
        timezone=place.timezone,
        applicable_timezone=place.timezone,
        currency=place.currency,
        address_line1=f"{rng.randint(1, 999)} Market Street",
    )
    return record


def _metadata(rng: random.Random, key: str, value: str, created_at: str) -> Record:
    return {
        "lago_id": seeded_id(rng),
        "key": key,
        "value": value,
        "display_in_invoice": False,
        "created_at": created_at,
    }


def _recent_activity(store: SandboxStore, org: Org, rng: random.Random, now: datetime, people: list[Record]) -> None:
    """`customer.created` activity logs, dated and identified deterministically, for last month's customers."""
    cutoff = iso(now - timedelta(days=30))
    for customer in people:
        if customer["created_at"] >= cutoff:
            log = record_activity(
                store, org.id, "customer.created", "Customer", customer, external_customer_id=customer["external_id"]
            )
            store.delete(org.id, ACTIVITY_KIND, log["lago_id"])
            log_id = seeded_id(rng)
            log.update(lago_id=log_id, activity_id=log_id, logged_at=customer["created_at"])
            log["created_at"] = customer["created_at"]
            store.put(org.id, ACTIVITY_KIND, log_id, log)


def seeded_id(rng: random.Random) -> str:
    """A UUID4-shaped id drawn from the seed's generator (same ids on every run)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


__all__ = [
    "DEMO_API_KEY",
    "DEMO_ORG_NAME",
    "OTHER_API_KEY",
    "OTHER_ORG_NAME",
    "SEEDS",
    "DemoCatalog",
    "apply_seed",
    "seed_now",
    "seeded_id",
]
