"""Finding catalog records the way Lago's API addresses them (404 `<resource>_not_found` when missing)."""

from __future__ import annotations

from collections.abc import Iterable

from billing_agent.sandbox import kinds
from billing_agent.sandbox.http import not_found
from billing_agent.sandbox.store import Record, SandboxStore


def require(store: SandboxStore, org_id: str, kind: str, key: str) -> Record:
    """The record of `kind` addressed by `key` (a fresh copy), else 404 `<kind>_not_found`."""
    record = store.get(org_id, kind, key)
    if record is None:
        raise not_found(kind)
    return record


def require_by_id(store: SandboxStore, org_id: str, kind: str, lago_id: str) -> Record:
    """The record of `kind` whose `lago_id` is given (a fresh copy), else 404 `<kind>_not_found`."""
    record = store.get_by_lago_id(org_id, kind, lago_id)
    if record is None:
        raise not_found(kind)
    return record


def find_subscription(
    store: SandboxStore, org_id: str, external_id: str, statuses: Iterable[str] = ("active",)
) -> Record | None:
    """The newest subscription with this `external_id` in one of `statuses` (a fresh copy), or None."""
    wanted = set(statuses)
    for record in reversed(store.snapshot(org_id, kinds.SUBSCRIPTION)):
        if record["external_id"] == external_id and record["status"] in wanted:
            return store.get(org_id, kinds.SUBSCRIPTION, record["lago_id"])
    return None


def customer_subscriptions(store: SandboxStore, org_id: str, external_customer_id: str) -> list[Record]:
    """Every subscription of a customer, oldest first (shared records: do not mutate)."""
    return [
        record
        for record in store.snapshot(org_id, kinds.SUBSCRIPTION)
        if record["external_customer_id"] == external_customer_id
    ]


def next_sequence(store: SandboxStore, org_id: str, name: str) -> int:
    """The next number of a per-organization counter (customer `sequential_id`, …)."""
    meta_key = f"sequence:{org_id}:{name}"
    value = int(store.get_meta(meta_key) or "0") + 1
    store.set_meta(meta_key, str(value))
    return value


def set_sequence(store: SandboxStore, org_id: str, name: str, value: int) -> None:
    """Move a per-organization counter (seeding)."""
    store.set_meta(f"sequence:{org_id}:{name}", str(value))
