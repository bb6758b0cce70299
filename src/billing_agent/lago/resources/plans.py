"""Plans: CRUD by `code`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billing_agent.lago.models import Plan
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg

_EXAMPLE = "startup"


class PlansMixin(ResourceClient):
    """Plan operations (plans are addressed by `code`)."""

    async def list_plans(self, *, page: int | None = None, per_page: int | None = None) -> Page[Plan]:
        """One page of plans."""
        return await self._page(Plan, "plans", "/plans", {}, page, per_page)

    async def get_plan(self, code: str) -> Plan:
        """The plan with this code."""
        return await self._one(Plan, "plan", "GET", f"/plans/{seg(code, 'code', _EXAMPLE)}")

    async def create_plan(self, plan: Mapping[str, Any]) -> Plan:
        """Create a plan (`code`, `name`, `interval`, `amount_cents`, `amount_currency`, …)."""
        require_fields(plan, "plan", "code")
        return await self._one(Plan, "plan", "POST", "/plans", json={"plan": as_body(plan, "plan")})

    async def update_plan(self, code: str, changes: Mapping[str, Any]) -> Plan:
        """Change fields of a plan."""
        path = f"/plans/{seg(code, 'code', _EXAMPLE)}"
        return await self._one(Plan, "plan", "PUT", path, json={"plan": as_body(changes, "changes")})

    async def delete_plan(self, code: str) -> Plan:
        """Delete a plan; returns the deleted record."""
        return await self._one(Plan, "plan", "DELETE", f"/plans/{seg(code, 'code', _EXAMPLE)}")
