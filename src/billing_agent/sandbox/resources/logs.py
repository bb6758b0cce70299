"""Sandbox routes: activity logs and API logs (recorded by `sandbox.logs`), newest first, with Lago's filters.

API logs render `request_body` / `request_response` as JSON text, as Lago does (they are string columns).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable
from datetime import date, timedelta

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox.app import API_PREFIX, api_route
from billing_agent.sandbox.http import Ctx, list_response, not_found, ok, validation_error
from billing_agent.sandbox.logs import ACTIVITY_KIND, API_LOG_KIND
from billing_agent.sandbox.store import Record

LogTest = Callable[[Record], bool]


def _day_bounds(ctx: Ctx) -> list[LogTest]:
    """`from_date` / `to_date` (ISO dates, inclusive) against `logged_at`."""
    tests: list[LogTest] = []
    for name in ("from_date", "to_date"):
        raw = ctx.query(name)
        if raw is None:
            continue
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise validation_error(**{name: ["invalid_date"]}) from None
        if name == "from_date":
            tests.append(_logged_from(day.isoformat()))
        else:
            tests.append(_logged_before((day + timedelta(days=1)).isoformat()))
    return tests


def _logged_from(start: str) -> LogTest:
    return lambda log: str(log["logged_at"]) >= start


def _logged_before(end: str) -> LogTest:
    return lambda log: str(log["logged_at"]) < end


def _member(ctx: Ctx, param: str, field: str) -> list[LogTest]:
    values = set(ctx.query_list(param))
    return [lambda log: log.get(field) in values] if values else []


def _equal(ctx: Ctx, param: str) -> list[LogTest]:
    value = ctx.query(param)
    return [lambda log: log.get(param) == value] if value is not None else []


def _newest(logs: list[Record], tests: list[LogTest]) -> list[Record]:
    chosen = [log for log in reversed(logs) if all(test(log) for test in tests)]
    chosen.sort(key=lambda log: log["logged_at"], reverse=True)  # stable: same second → latest recorded first
    return chosen


def _activity_view(log: Record) -> Record:
    return {key: value for key, value in log.items() if key != "lago_id"}


async def list_activity_logs(ctx: Ctx) -> Response:
    """GET /activity_logs."""
    tests = [
        *_day_bounds(ctx),
        *_member(ctx, "activity_types", "activity_type"),
        *_member(ctx, "activity_sources", "activity_source"),
        *_member(ctx, "user_emails", "user_email"),
        *_member(ctx, "resource_ids", "resource_id"),
        *_member(ctx, "resource_types", "resource_type"),
        *_equal(ctx, "external_customer_id"),
        *_equal(ctx, "external_subscription_id"),
    ]
    logs = _newest(ctx.store.snapshot(ctx.org_id, ACTIVITY_KIND), tests)
    return list_response(ctx, "activity_logs", logs, _activity_view)


async def get_activity_log(ctx: Ctx) -> Response:
    """GET /activity_logs/{activity_id}."""
    log = ctx.store.get(ctx.org_id, ACTIVITY_KIND, ctx.path("activity_id"))
    if log is None:
        raise not_found("activity_log")
    return ok({"activity_log": _activity_view(log)})


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _api_view(log: Record) -> Record:
    view = {key: value for key, value in log.items() if key != "lago_id"}
    view["request_body"] = _as_text(log.get("request_body", {}))
    view["request_response"] = _as_text(log.get("request_response", {}))
    return view


def _statuses(ctx: Ctx) -> list[LogTest]:
    wanted = ctx.query_list("http_statuses")
    if not wanted:
        return []
    codes: set[int] = set()
    for value in wanted:
        if value not in ("succeeded", "failed") and not value.isdigit():
            raise validation_error(http_statuses=["invalid_value"])
        if value.isdigit():
            codes.add(int(value))

    def test(log: Record) -> bool:
        status = int(log["http_status"])
        return status in codes or ("succeeded" in wanted and status <= 399) or ("failed" in wanted and status > 399)

    return [test]


def _paths(ctx: Ctx) -> list[LogTest]:
    patterns = ctx.query_list("request_paths")
    if not patterns:
        return []

    def test(log: Record) -> bool:
        path = str(log["request_path"])
        short = path.removeprefix(API_PREFIX)
        return any(fnmatch.fnmatchcase(path, p) or fnmatch.fnmatchcase(short, p) for p in patterns)

    return [test]


async def list_api_logs(ctx: Ctx) -> Response:
    """GET /api_logs (write requests only, as Lago records them)."""
    methods = {method.lower() for method in ctx.query_list("http_methods")}
    tests = [*_day_bounds(ctx), *_statuses(ctx), *_paths(ctx), *_equal(ctx, "api_version")]
    if methods:
        tests.append(lambda log: log["http_method"] in methods)
    tests.append(lambda log: log["http_method"] != "get")
    logs = _newest(ctx.store.snapshot(ctx.org_id, API_LOG_KIND), tests)
    return list_response(ctx, "api_logs", logs, _api_view)


async def get_api_log(ctx: Ctx) -> Response:
    """GET /api_logs/{request_id}."""
    log = ctx.store.get(ctx.org_id, API_LOG_KIND, ctx.path("request_id"))
    if log is None or log["http_method"] == "get":
        raise not_found("api_log")
    return ok({"api_log": _api_view(log)})


ROUTES: list[BaseRoute] = [
    api_route("/activity_logs", "GET", list_activity_logs),
    api_route("/activity_logs/{activity_id}", "GET", get_activity_log),
    api_route("/api_logs", "GET", list_api_logs),
    api_route("/api_logs/{request_id}", "GET", get_api_log),
]
