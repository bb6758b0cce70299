"""Activity and API log recording: every mutation leaves an activity log, every request an API log."""

from __future__ import annotations

import json
from typing import Any

from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow

ACTIVITY_KIND = "activity_log"
API_LOG_KIND = "api_log"


def record_activity(
    store: SandboxStore,
    org_id: str,
    activity_type: str,
    resource_type: str,
    resource: Record,
    *,
    changes: dict[str, Any] | None = None,
    external_customer_id: str | None = None,
    external_subscription_id: str | None = None,
    source: str = "api",
    user_email: str | None = None,
) -> Record:
    """Store an activity log such as `customer.created` for `resource`."""
    activity_id = new_id()
    log = {
        "lago_id": activity_id,
        "activity_id": activity_id,
        "activity_type": activity_type,
        "activity_source": source,
        "activity_object": resource,
        "activity_object_changes": changes or {},
        "user_email": user_email,
        "resource_id": resource.get("lago_id"),
        "resource_type": resource_type,
        "external_customer_id": external_customer_id,
        "external_subscription_id": external_subscription_id,
        "organization_id": org_id,
        "logged_at": iso(utcnow()),
        "created_at": iso(utcnow()),
    }
    return store.put(org_id, ACTIVITY_KIND, activity_id, log)


def record_api_call(
    store: SandboxStore,
    org_id: str,
    *,
    method: str,
    path: str,
    status: int,
    request_body: bytes,
    response_body: bytes,
    client: str,
) -> Record:
    """Store an API log for one request to `/api/v1`."""
    request_id = new_id()
    log = {
        "lago_id": request_id,
        "request_id": request_id,
        "api_version": "v1",
        "client": client,
        "http_method": method.lower(),
        "http_status": status,
        "request_origin": "",
        "request_path": path,
        "request_body": _as_json(request_body),
        "request_response": _as_json(response_body),
        "logged_at": iso(utcnow()),
        "created_at": iso(utcnow()),
    }
    return store.put(org_id, API_LOG_KIND, request_id, log)


def _as_json(raw: bytes) -> Any:
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {"raw": raw[:2000].decode("utf-8", "replace")}
