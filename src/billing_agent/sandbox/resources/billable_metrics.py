"""Sandbox routes: billable metrics (create, list, get, update, delete)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.http import Ctx, list_response, ok
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.lookups import require
from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow
from billing_agent.sandbox.validation import Checker, single_error

AGGREGATION_TYPES = ("count_agg", "sum_agg", "max_agg", "unique_count_agg", "weighted_sum_agg", "latest_agg")


def new_billable_metric(
    code: str, name: str, aggregation_type: str, created_at: str, *, field_name: str | None = None
) -> Record:
    """A billable metric with every field of Lago's object."""
    return {
        "lago_id": new_id(),
        "name": name,
        "code": code,
        "description": None,
        "recurring": False,
        "rounding_function": None,
        "rounding_precision": None,
        "created_at": created_at,
        "field_name": field_name,
        "aggregation_type": aggregation_type,
        "weighted_interval": "seconds" if aggregation_type == "weighted_sum_agg" else None,
        "filters": [],
    }


def _validate(data: dict[str, Any], current: Record | None) -> None:
    check = Checker(data)
    if current is None:
        check.mandatory("name", "code", "aggregation_type")
    check.one_of("aggregation_type", AGGREGATION_TYPES)
    check.one_of("rounding_function", ("ceil", "floor", "round"))
    check.integer("rounding_precision", minimum=None)
    check.boolean("recurring")
    aggregation = data.get("aggregation_type") or (current or {}).get("aggregation_type")
    field_name = data.get("field_name") if "field_name" in data else (current or {}).get("field_name")
    if aggregation not in (None, "count_agg") and not field_name:
        check.add("field_name", "value_is_mandatory")
    filters = data.get("filters")
    if filters is not None and not (
        isinstance(filters, list)
        and all(isinstance(f, dict) and f.get("key") and isinstance(f.get("values"), list) for f in filters)
    ):
        check.add("filters", "invalid_format")
    check.done()


def _apply(metric: Record, data: dict[str, Any]) -> None:
    for field in ("name", "description", "field_name", "rounding_function", "rounding_precision", "expression"):
        if field in data:
            metric[field] = data[field]
    for field in ("aggregation_type", "recurring", "weighted_interval"):
        if data.get(field) is not None:
            metric[field] = data[field]
    if metric["aggregation_type"] == "weighted_sum_agg" and not metric.get("weighted_interval"):
        metric["weighted_interval"] = "seconds"
    if isinstance(data.get("filters"), list):
        metric["filters"] = [{"key": str(f["key"]), "values": [str(v) for v in f["values"]]} for f in data["filters"]]
    if metric.get("expression") is None:
        metric.pop("expression", None)


async def create_billable_metric(ctx: Ctx) -> Response:
    """POST /billable_metrics (422 `value_already_exist` on a taken code)."""
    data = await ctx.envelope("billable_metric")
    _validate(data, None)
    store, org_id, code = ctx.store, ctx.org_id, str(data["code"])
    with store.transaction():
        if store.get(org_id, kinds.BILLABLE_METRIC, code) is not None:
            raise single_error("code", "value_already_exist")
        metric = new_billable_metric(code, str(data["name"]), data["aggregation_type"], iso(utcnow()))
        _apply(metric, data)
        store.put(org_id, kinds.BILLABLE_METRIC, code, metric)
        record_activity(store, org_id, "billable_metric.created", "BillableMetric", metric)
    return ok({"billable_metric": metric})


async def list_billable_metrics(ctx: Ctx) -> Response:
    """GET /billable_metrics, newest first."""
    metrics = list(reversed(ctx.store.snapshot(ctx.org_id, kinds.BILLABLE_METRIC)))
    return list_response(ctx, "billable_metrics", metrics)


async def get_billable_metric(ctx: Ctx) -> Response:
    """GET /billable_metrics/{code}."""
    return ok({"billable_metric": require(ctx.store, ctx.org_id, kinds.BILLABLE_METRIC, ctx.path("code"))})


async def update_billable_metric(ctx: Ctx) -> Response:
    """PUT /billable_metrics/{code}."""
    data = await ctx.envelope("billable_metric")
    store, org_id, code = ctx.store, ctx.org_id, ctx.path("code")
    with store.transaction():
        metric = require(store, org_id, kinds.BILLABLE_METRIC, code)
        _validate(data, metric)
        before = dict(metric)
        _apply(metric, data)
        new_code = str(data.get("code") or code)
        if new_code != code:
            if store.get(org_id, kinds.BILLABLE_METRIC, new_code) is not None:
                raise single_error("code", "value_already_exist")
            store.delete(org_id, kinds.BILLABLE_METRIC, code)
            metric["code"] = new_code
            _rename_in_plans(store, org_id, metric)
        store.put(org_id, kinds.BILLABLE_METRIC, new_code, metric)
        changes = {k: [before.get(k), v] for k, v in metric.items() if before.get(k) != v}
        record_activity(store, org_id, "billable_metric.updated", "BillableMetric", metric, changes=changes)
    return ok({"billable_metric": metric})


def _rename_in_plans(store: SandboxStore, org_id: str, metric: Record) -> None:
    for shared in store.snapshot(org_id, kinds.PLAN):
        if any(c["lago_billable_metric_id"] == metric["lago_id"] for c in shared["charges"]):
            plan = dict(shared)
            plan["charges"] = [
                {**c, "billable_metric_code": metric["code"]}
                if c["lago_billable_metric_id"] == metric["lago_id"]
                else c
                for c in shared["charges"]
            ]
            store.put(org_id, kinds.PLAN, plan["code"], plan)


async def delete_billable_metric(ctx: Ctx) -> Response:
    """DELETE /billable_metrics/{code}: removes the metric and the plan charges built on it."""
    store, org_id, code = ctx.store, ctx.org_id, ctx.path("code")
    with store.transaction():
        metric = require(store, org_id, kinds.BILLABLE_METRIC, code)
        for shared in list(store.snapshot(org_id, kinds.PLAN)):
            kept = [c for c in shared["charges"] if c["lago_billable_metric_id"] != metric["lago_id"]]
            if len(kept) != len(shared["charges"]):
                store.put(org_id, kinds.PLAN, shared["code"], {**shared, "charges": kept})
        store.delete(org_id, kinds.BILLABLE_METRIC, code)
        record_activity(store, org_id, "billable_metric.deleted", "BillableMetric", metric)
    return ok({"billable_metric": metric})


ROUTES: list[BaseRoute] = [
    api_route("/billable_metrics", "POST", create_billable_metric),
    api_route("/billable_metrics", "GET", list_billable_metrics),
    api_route("/billable_metrics/{code}", "GET", get_billable_metric),
    api_route("/billable_metrics/{code}", "PUT", update_billable_metric),
    api_route("/billable_metrics/{code}", "DELETE", delete_billable_metric),
]
