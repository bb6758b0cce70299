"""The demo billing history: the product page's examples resolve, the mix is realistic, it is fast and stable."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, SandboxStore, create_sandbox_app
from billing_agent.sandbox.invoicing import INVOICE_KIND
from billing_agent.sandbox.seed_billing import seed_billing_history
from billing_agent.sandbox.store import utcnow

Json = dict[str, Any]
CATALOG_KINDS = ("customer", "plan", "subscription", "coupon", "applied_coupon")


@pytest.fixture(scope="module")
def demo_invoices(demo_server: SandboxServer) -> list[Json]:
    """Every invoice of the 1,200-customer demo org (read only)."""
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    with httpx.Client(base_url=demo_server.api_url, headers=headers) as client:
        invoices: list[Json] = client.get("/invoices", params={"per_page": 10_000}).json()["invoices"]
    return invoices


def test_the_product_page_examples_resolve(demo_invoices: list[Json]) -> None:
    numbers = {invoice["number"]: invoice for invoice in demo_invoices}
    assert numbers["INV-001"]["status"] == "finalized"
    assert "INV-002" in numbers
    week_ago = (date.today() - timedelta(days=7)).isoformat()
    failed = [i for i in demo_invoices if i["status"] == "failed"]
    assert 15 <= len(failed) <= 25
    assert sum(i["issuing_date"] >= week_ago for i in failed) >= 5
    month_ago = (date.today() - timedelta(days=30)).isoformat()
    overdue = [i for i in demo_invoices if i["payment_overdue"]]
    assert len(overdue) >= 100 and sum(i["issuing_date"] >= month_ago for i in overdue) >= 20
    acme = [i for i in demo_invoices if i["customer"]["external_id"] == "acme_corp"]
    assert len(acme) >= 2 and any(i["payment_status"] == "succeeded" for i in acme)


def test_the_mix_covers_every_state_over_90_days(demo_invoices: list[Json]) -> None:
    states = Counter(invoice["status"] for invoice in demo_invoices)
    assert states["draft"] >= 10 and states["voided"] >= 10
    assert states["finalized"] > len(demo_invoices) / 2
    payments = Counter(i["payment_status"] for i in demo_invoices if i["status"] == "finalized")
    assert payments["succeeded"] > payments["pending"] > 0 and payments["failed"] > 0
    oldest = min(invoice["issuing_date"] for invoice in demo_invoices)
    assert (date.today() - date.fromisoformat(oldest)).days <= 90
    assert len({invoice["customer"]["external_id"] for invoice in demo_invoices}) >= 1000


def test_paid_invoices_have_matching_payments(demo_server: SandboxServer, demo_invoices: list[Json]) -> None:
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    with httpx.Client(base_url=demo_server.api_url, headers=headers) as client:
        payments = client.get("/payments", params={"per_page": 10_000}).json()["payments"]
        notes = client.get("/credit_notes").json()["credit_notes"]
        acme_payments = client.get("/customers/acme_corp/payments").json()["payments"]
    paid: Counter[str] = Counter()
    for payment in payments:
        if payment["payment_status"] == "succeeded":
            paid[payment["invoice_ids"][0]] += payment["amount_cents"]
    for invoice in demo_invoices:
        assert paid[invoice["lago_id"]] == invoice["total_paid_amount_cents"], invoice["number"]
    assert acme_payments and len(notes) >= 3


def _catalog_store() -> tuple[SandboxStore, Any]:
    """A store holding the demo org's customers, plans and subscriptions, but no billing history yet."""
    source = create_sandbox_app(":memory:", seed="demo").state.sandbox.store
    org = source.orgs()[0]
    store = SandboxStore(":memory:")
    target = store.add_org(org.name, org.api_key, org_id=org.id)
    for kind in CATALOG_KINDS:
        store.put_many(
            target.id,
            kind,
            [(str(r.get("external_id") or r.get("code") or r["lago_id"]), r) for r in source.all(org.id, kind)],
        )
    return store, target


def test_billing_history_seeds_fast_and_deterministically() -> None:
    now = utcnow().replace(hour=0, minute=0, second=0)
    runs = []
    for _ in range(2):
        store, org = _catalog_store()
        started = time.perf_counter()
        seed_billing_history(store, org, random.Random(7), now)
        elapsed = time.perf_counter() - started
        assert elapsed < 1.5, f"billing history took {elapsed:.2f}s"
        invoices = store.all(org.id, INVOICE_KIND)
        runs.append([(i["number"], i["status"], i["payment_status"], i["total_amount_cents"]) for i in invoices])
    assert len(runs[0]) > 2000 and runs[0] == runs[1]
