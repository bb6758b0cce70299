"""Billable metrics: list, get, create, update by `code`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billing_agent.lago.models import BillableMetric
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg

_EXAMPLE = "api_calls"


class BillableMetricsMixin(ResourceClient):
    """Billable metric operations (addressed by `code`)."""

    async def list_billable_metrics(
        self, *, page: int | None = None, per_page: int | None = None
    ) -> Page[BillableMetric]:
        """One page of billable metrics."""
        return await self._page(BillableMetric, "billable_metrics", "/billable_metrics", {}, page, per_page)

    async def get_billable_metric(self, code: str) -> BillableMetric:
        """The billable metric with this code."""
        path = f"/billable_metrics/{seg(code, 'code', _EXAMPLE)}"
        return await self._one(BillableMetric, "billable_metric", "GET", path)

    async def create_billable_metric(self, billable_metric: Mapping[str, Any]) -> BillableMetric:
        """Create a billable metric (`code`, `name`, `aggregation_type`, `field_name`, …)."""
        require_fields(billable_metric, "billable_metric", "code")
        body = {"billable_metric": as_body(billable_metric, "billable_metric")}
        return await self._one(BillableMetric, "billable_metric", "POST", "/billable_metrics", json=body)

    async def update_billable_metric(self, code: str, changes: Mapping[str, Any]) -> BillableMetric:
        """Change fields of a billable metric."""
        path = f"/billable_metrics/{seg(code, 'code', _EXAMPLE)}"
        body = {"billable_metric": as_body(changes, "changes")}
        return await self._one(BillableMetric, "billable_metric", "PUT", path, json=body)

    async def delete_billable_metric(self, code: str) -> BillableMetric:
        """Delete a billable metric (and the charges using it); returns the deleted record."""
        path = f"/billable_metrics/{seg(code, 'code', _EXAMPLE)}"
        return await self._one(BillableMetric, "billable_metric", "DELETE", path)
