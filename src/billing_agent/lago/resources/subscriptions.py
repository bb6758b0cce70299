"""Subscriptions: create, get, list, update, terminate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from billing_agent.lago.models import Subscription
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg

_EXAMPLE = "sub_acme_corp"


class SubscriptionsMixin(ResourceClient):
    """Subscription operations (subscriptions are addressed by `external_id`)."""

    async def list_subscriptions(
        self,
        *,
        external_customer_id: str | None = None,
        plan_code: str | None = None,
        statuses: Sequence[str] | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[Subscription]:
        """One page of subscriptions; Lago returns only active ones unless `statuses` says otherwise."""
        filters = {"external_customer_id": external_customer_id, "plan_code": plan_code, "status": statuses}
        return await self._page(Subscription, "subscriptions", "/subscriptions", filters, page, per_page)

    async def get_subscription(self, external_id: str) -> Subscription:
        """The subscription with this `external_id`."""
        path = f"/subscriptions/{seg(external_id, 'external_id', _EXAMPLE)}"
        return await self._one(Subscription, "subscription", "GET", path)

    async def create_subscription(self, subscription: Mapping[str, Any]) -> Subscription:
        """Subscribe a customer to a plan (`external_customer_id`, `plan_code`, `external_id`, …)."""
        require_fields(subscription, "subscription", "external_customer_id", "plan_code")
        body = {"subscription": as_body(subscription, "subscription")}
        return await self._one(Subscription, "subscription", "POST", "/subscriptions", json=body)

    async def update_subscription(self, external_id: str, changes: Mapping[str, Any]) -> Subscription:
        """Change fields of a subscription (name, ending_at, plan_overrides, …)."""
        path = f"/subscriptions/{seg(external_id, 'external_id', _EXAMPLE)}"
        body = {"subscription": as_body(changes, "changes")}
        return await self._one(Subscription, "subscription", "PUT", path, json=body)

    async def terminate_subscription(self, external_id: str, *, status: str | None = None) -> Subscription:
        """Terminate a subscription (`status="pending"` cancels a pending one)."""
        path = f"/subscriptions/{seg(external_id, 'external_id', _EXAMPLE)}"
        return await self._one(Subscription, "subscription", "DELETE", path, params={"status": status})
