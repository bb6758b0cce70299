"""Sandbox routes: customers (upsert by `external_id`, list with filters, get, delete, current usage)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.http import Ctx, list_response, ok
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.lookups import customer_subscriptions, next_sequence, require
from billing_agent.sandbox.resources.coupons import terminate_customer_coupons
from billing_agent.sandbox.resources.subscriptions import end_subscription
from billing_agent.sandbox.resources.wallets import terminate_customer_wallets
from billing_agent.sandbox.store import Org, Record, SandboxStore, iso, new_id, utcnow
from billing_agent.sandbox.usage import current_usage
from billing_agent.sandbox.validation import Checker, single_error

TEXT_FIELDS = (
    "address_line1",
    "address_line2",
    "city",
    "email",
    "legal_name",
    "legal_number",
    "logo_url",
    "name",
    "firstname",
    "lastname",
    "phone",
    "state",
    "tax_identification_number",
    "url",
    "zipcode",
)
"""Nullable string fields copied from the request as given."""

SEARCHED_FIELDS = ("name", "firstname", "lastname", "legal_name", "external_id", "email")
_METADATA_PARAM = re.compile(r"^metadata\[(.+)\]$")


def org_slug(org: Org) -> str:
    """A short, stable prefix for an organization's customer slugs (`HOO` for Hooli Demo)."""
    letters = re.sub(r"[^A-Za-z]", "", org.name).upper()
    return (letters or "ORG")[:3]


def new_customer(org: Org, external_id: str, sequential_id: int, created_at: str) -> Record:
    """A customer with every field of Lago's customer object at its default."""
    record: Record = {
        "lago_id": new_id(),
        "sequential_id": sequential_id,
        "slug": f"{org_slug(org)}-{sequential_id:04d}",
        "external_id": external_id,
        "billing_entity_code": re.sub(r"[^a-z0-9]+", "_", org.name.lower()).strip("_") or "default",
        "account_type": "customer",
        "customer_type": None,
        "country": None,
        "currency": None,
        "timezone": None,
        "applicable_timezone": "UTC",
        "net_payment_term": None,
        "created_at": created_at,
        "updated_at": created_at,
        "finalize_zero_amount_invoice": "inherit",
        "skip_invoice_custom_sections": False,
        "billing_configuration": {"invoice_grace_period": 0, "document_locale": "en"},
        "shipping_address": {
            "address_line1": None,
            "address_line2": None,
            "city": None,
            "country": None,
            "state": None,
            "zipcode": None,
        },
        "metadata": [],
        "integration_customers": [],
        "taxes": [],
        "applicable_invoice_custom_sections": [],
    }
    for field in TEXT_FIELDS:
        record[field] = None
    return record


def apply_customer_fields(record: Record, data: dict[str, Any], moment: str) -> dict[str, Any]:
    """Copy the request's fields onto `record`; returns the changes as `{field: [old, new]}`."""
    before = {key: record.get(key) for key in data}
    for field in TEXT_FIELDS:
        if field in data:
            record[field] = data[field]
    if data.get("country"):
        record["country"] = str(data["country"]).upper()
    for field in ("currency", "customer_type", "net_payment_term", "timezone"):
        if field in data:
            record[field] = data[field]
    for field in ("account_type", "finalize_zero_amount_invoice", "skip_invoice_custom_sections"):
        if data.get(field) is not None:
            record[field] = data[field]
    record["applicable_timezone"] = record["timezone"] or "UTC"
    if isinstance(data.get("shipping_address"), dict):
        record["shipping_address"].update(data["shipping_address"])
    if isinstance(data.get("billing_configuration"), dict):
        record["billing_configuration"].update(
            {k: v for k, v in data["billing_configuration"].items() if v is not None}
        )
    if isinstance(data.get("metadata"), list):
        record["metadata"] = [_metadata_entry(item, moment) for item in data["metadata"]]
    record["updated_at"] = moment
    return {key: [before[key], record.get(key)] for key in data if before[key] != record.get(key)}


def _metadata_entry(item: dict[str, Any], moment: str) -> Record:
    return {
        "lago_id": str(item.get("id") or new_id()),
        "key": str(item["key"]),
        "value": str(item.get("value", "")),
        "display_in_invoice": bool(item.get("display_in_invoice", False)),
        "created_at": moment,
    }


def _validate(data: dict[str, Any]) -> None:
    check = Checker(data)
    check.mandatory("external_id")
    check.emails("email")
    check.currency("currency")
    check.country("country")
    check.timezone("timezone")
    check.one_of("customer_type", ("company", "individual"))
    check.one_of("account_type", ("customer", "partner"))
    check.one_of("finalize_zero_amount_invoice", ("inherit", "skip", "finalize"))
    check.integer("net_payment_term")
    shipping = data.get("shipping_address")
    if isinstance(shipping, dict) and shipping.get("country"):
        Checker(shipping).country("country")
    metadata = data.get("metadata")
    if metadata is not None and (
        not isinstance(metadata, list) or not all(isinstance(m, dict) and m.get("key") for m in metadata)
    ):
        check.add("metadata", "invalid_key")
    check.done()


def _has_live_subscription(store: SandboxStore, org_id: str, external_id: str) -> bool:
    return any(s["status"] in ("active", "pending") for s in customer_subscriptions(store, org_id, external_id))


async def upsert_customer(ctx: Ctx) -> Response:
    """POST /customers: create the customer, or update the one with this `external_id` (200 both ways)."""
    data = await ctx.envelope("customer")
    _validate(data)
    external_id = str(data["external_id"])
    store, org_id = ctx.store, ctx.org_id
    moment = iso(utcnow())
    with store.transaction():
        existing = store.get(org_id, kinds.CUSTOMER, external_id)
        if existing is None:
            record = new_customer(ctx.org, external_id, next_sequence(store, org_id, "customer"), moment)
            apply_customer_fields(record, data, moment)
            store.put(org_id, kinds.CUSTOMER, external_id, record)
            record_activity(store, org_id, "customer.created", "Customer", record, external_customer_id=external_id)
            return ok({"customer": record})
        new_currency = data.get("currency")
        if (
            new_currency
            and existing["currency"]
            and new_currency != existing["currency"]
            and _has_live_subscription(store, org_id, external_id)
        ):
            raise single_error("currency", "currencies_does_not_match")
        changes = apply_customer_fields(existing, data, moment)
        store.put(org_id, kinds.CUSTOMER, external_id, existing)
        record_activity(
            store, org_id, "customer.updated", "Customer", existing, changes=changes, external_customer_id=external_id
        )
    return ok({"customer": existing})


Predicate = Callable[[Record], bool]


def _in(field: str, wanted: set[str]) -> Predicate:
    return lambda customer: customer.get(field) in wanted


def _predicates(ctx: Ctx) -> list[Predicate]:
    """One check per filter present in the query (none at all for an unfiltered list)."""
    checks: list[Predicate] = []
    for param, field, upper in (
        ("countries", "country", True),
        ("states", "state", False),
        ("zipcodes", "zipcode", False),
        ("currencies", "currency", True),
        ("account_type", "account_type", False),
    ):
        values = ctx.query_list(param)
        if values:
            checks.append(_in(field, {v.upper() if upper else v for v in values}))
    customer_type = ctx.query("customer_type")
    if customer_type:
        checks.append(lambda c: c.get("customer_type") == customer_type)
    has_type = ctx.query_bool("has_customer_type")
    if has_type is not None:
        checks.append(lambda c: (c.get("customer_type") is not None) == has_type)
    has_tin = ctx.query_bool("has_tax_identification_number")
    if has_tin is not None:
        checks.append(lambda c: bool(c.get("tax_identification_number")) == has_tin)
    metadata = {m.group(1): v for k, v in ctx.request.query_params.items() if (m := _METADATA_PARAM.match(k))}
    if metadata:
        checks.append(lambda c: _metadata_matches(c, metadata))
    return checks


_SEARCH_INDEX: dict[tuple[int, str], tuple[list[Record], list[tuple[str, Record]]]] = {}


def _newest_first(ctx: Ctx, term: str) -> list[Record]:
    """Customers, newest first; with a `term`, those whose names, external id or email contain it.

    The lower-cased text searched is built once per version of the customer list.
    """
    snapshot = ctx.store.snapshot(ctx.org_id, kinds.CUSTOMER)
    if not term:
        return list(reversed(snapshot))
    cache_key = (id(ctx.store), ctx.org_id)
    cached = _SEARCH_INDEX.get(cache_key)
    if cached is None or cached[0] is not snapshot:
        index = [
            ("\x00".join(str(c.get(field) or "") for field in SEARCHED_FIELDS).lower(), c) for c in reversed(snapshot)
        ]
        cached = (snapshot, index)
        _SEARCH_INDEX[cache_key] = cached
    return [customer for text, customer in cached[1] if term in text]


def _metadata_matches(customer: Record, wanted: dict[str, str]) -> bool:
    values = {m["key"]: m["value"] for m in customer.get("metadata") or []}
    return all(values.get(key) == value for key, value in wanted.items())


async def list_customers(ctx: Ctx) -> Response:
    """GET /customers: newest first, filtered by search term, countries, states, currencies, type, metadata."""
    selected = _newest_first(ctx, (ctx.query("search_term") or "").lower())
    for check in _predicates(ctx):
        selected = [customer for customer in selected if check(customer)]
    return list_response(ctx, "customers", selected)


async def get_customer(ctx: Ctx) -> Response:
    """GET /customers/{external_customer_id}."""
    return ok({"customer": require(ctx.store, ctx.org_id, kinds.CUSTOMER, ctx.path("external_customer_id"))})


async def delete_customer(ctx: Ctx) -> Response:
    """DELETE /customers/{external_customer_id}: removes it and ends its subscriptions, coupons and wallets."""
    external_id = ctx.path("external_customer_id")
    store, org_id = ctx.store, ctx.org_id
    with store.transaction():
        customer = require(store, org_id, kinds.CUSTOMER, external_id)
        for subscription in customer_subscriptions(store, org_id, external_id):
            if subscription["status"] in ("active", "pending"):
                end_subscription(store, org_id, dict(subscription))
        terminate_customer_coupons(store, org_id, external_id)
        terminate_customer_wallets(store, org_id, external_id)
        store.delete(org_id, kinds.CUSTOMER, external_id)
        record_activity(store, org_id, "customer.deleted", "Customer", customer, external_customer_id=external_id)
    return ok({"customer": customer})


async def get_current_usage(ctx: Ctx) -> Response:
    """GET /customers/{external_customer_id}/current_usage?external_subscription_id=…"""
    usage = current_usage(
        ctx.store, ctx.org_id, ctx.path("external_customer_id"), ctx.query("external_subscription_id"), utcnow()
    )
    return ok({"customer_usage": usage})


ROUTES: list[BaseRoute] = [
    api_route("/customers", "POST", upsert_customer),
    api_route("/customers", "GET", list_customers),
    api_route("/customers/{external_customer_id}", "GET", get_customer),
    api_route("/customers/{external_customer_id}", "DELETE", delete_customer),
    api_route("/customers/{external_customer_id}/current_usage", "GET", get_current_usage),
]
