"""Activity logs and API logs (read only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from billing_agent.lago.models import ActivityLog, ApiLog
from billing_agent.lago.pagination import Page
from billing_agent.lago.resources.base import ResourceClient, seg


class LogsMixin(ResourceClient):
    """Audit trail: what changed (activity logs) and what was requested (API logs)."""

    async def list_activity_logs(
        self,
        *,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
        activity_types: Sequence[str] | None = None,
        activity_sources: Sequence[str] | None = None,
        user_emails: Sequence[str] | None = None,
        external_customer_id: str | None = None,
        resource_types: Sequence[str] | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[ActivityLog]:
        """One page of activity logs (`activity_types` e.g. `invoice.created`; sources api, front, system)."""
        filters = {
            "from_date": from_date,
            "to_date": to_date,
            "activity_types": activity_types,
            "activity_sources": activity_sources,
            "user_emails": user_emails,
            "external_customer_id": external_customer_id,
            "resource_types": resource_types,
        }
        return await self._page(ActivityLog, "activity_logs", "/activity_logs", filters, page, per_page)

    async def get_activity_log(self, activity_id: str) -> ActivityLog:
        """One activity log."""
        path = f"/activity_logs/{seg(activity_id, 'activity_id', '1a901a90-1a90-1a90-1a90-1a901a901a90')}"
        return await self._one(ActivityLog, "activity_log", "GET", path)

    async def list_api_logs(
        self,
        *,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
        http_methods: Sequence[str] | None = None,
        http_statuses: Sequence[int | str] | None = None,
        request_paths: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[ApiLog]:
        """One page of API logs (`http_methods` e.g. post, put, delete; `http_statuses` codes or succeeded/failed)."""
        filters = {
            "from_date": from_date,
            "to_date": to_date,
            "http_methods": http_methods,
            "http_statuses": http_statuses,
            "request_paths": request_paths,
        }
        return await self._page(ApiLog, "api_logs", "/api_logs", filters, page, per_page)

    async def get_api_log(self, request_id: str) -> ApiLog:
        """One API log."""
        path = f"/api_logs/{seg(request_id, 'request_id', '1a901a90-1a90-1a90-1a90-1a901a901a90')}"
        return await self._one(ApiLog, "api_log", "GET", path)
