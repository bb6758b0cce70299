"""Activity logs (what changed) and API logs (what was requested)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from billing_agent.lago.models.base import LagoModel


class ActivityLog(LagoModel):
    """One change in the organization, e.g. `invoice.created`."""

    activity_id: str
    activity_type: str | None = None
    activity_source: str | None = None
    activity_object: dict[str, Any] | None = None
    activity_object_changes: dict[str, Any] | None = None
    user_email: str | None = None
    resource_id: str | None = None
    resource_type: str | None = None
    external_customer_id: str | None = None
    external_subscription_id: str | None = None
    logged_at: datetime | None = None
    created_at: datetime | None = None


class ApiLog(LagoModel):
    """One request made to the Lago API."""

    request_id: str
    api_version: str | None = None
    client: str | None = None
    http_method: str | None = None
    http_status: int | None = None
    request_origin: str | None = None
    request_path: str | None = None
    request_body: Any = None
    request_response: Any = None
    logged_at: datetime | None = None
    created_at: datetime | None = None
