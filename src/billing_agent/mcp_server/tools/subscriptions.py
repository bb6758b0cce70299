"""Subscription tools: list, get, create (assign a plan), update or change plan, terminate."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.results import error_result
from billing_agent.mcp_server.tools.params import ArgsModel, CustomerExternalId, PageArg, PerPageArg

SubscriptionStatus = Literal["active", "pending", "canceled", "terminated"]
SubscriptionExternalId = Annotated[str, Field(min_length=1, description="The subscription's external_id.")]
StatusFilter = Annotated[list[SubscriptionStatus] | None, Field(description="Default: active only.")]


class PlanOverrides(ArgsModel):
    """Changes to the plan for this subscription only."""

    amount_cents: int | None = None
    amount_currency: str | None = None
    description: str | None = None
    invoice_display_name: str | None = None
    name: str | None = None
    trial_period: float | None = None


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the subscription tools."""
    results = deps.results

    @lago_tool(
        server,
        "list_subscriptions",
        "List subscriptions across customers, by plan_code and status (default: active only). Example: "
        "list_subscriptions(plan_code='enterprise', status=['active', 'pending']).",
    )
    async def list_subscriptions(
        plan_code: str | None = None,
        status: StatusFilter = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_subscriptions(plan_code=plan_code, statuses=status, page=page, per_page=size)
        return results.records(
            "subscription", "subscriptions", found.items, tool="list_subscriptions", meta=found.meta, per_page=size
        )

    @lago_tool(
        server,
        "get_subscription",
        "Get one subscription (plan, status, dates) by its external_id. Example: get_subscription(external_id="
        "'sub_acme').",
    )
    async def get_subscription(external_id: SubscriptionExternalId) -> CallToolResult:
        async with deps.lago() as lago:
            subscription = await lago.get_subscription(external_id)
        return results.record("subscription", subscription)

    @lago_tool(
        server,
        "list_customer_subscriptions",
        "List one customer's subscriptions (default: active only). Example: list_customer_subscriptions("
        "external_customer_id='acme').",
    )
    async def list_customer_subscriptions(
        external_customer_id: CustomerExternalId,
        plan_code: str | None = None,
        status: StatusFilter = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            await lago.get_customer(external_customer_id)  # an unknown customer is an error, not an empty list
            found = await lago.list_subscriptions(
                external_customer_id=external_customer_id,
                plan_code=plan_code,
                statuses=status,
                page=page,
                per_page=size,
            )
        return results.records(
            "subscription",
            "subscriptions",
            found.items,
            tool="list_customer_subscriptions",
            meta=found.meta,
            per_page=size,
        )

    @lago_tool(
        server,
        "create_subscription",
        "Subscribe a customer to a plan (billing starts per billing_time); with the external_id of an existing "
        "subscription it changes that subscription's plan. Example: create_subscription(external_customer_id="
        "'acme', plan_code='startup', external_id='sub_acme').",
    )
    async def create_subscription(
        external_customer_id: CustomerExternalId,
        plan_code: Annotated[str, Field(min_length=1)],
        name: str | None = None,
        external_id: Annotated[str | None, Field(description="Your id for it (default: generated).")] = None,
        billing_time: Literal["anniversary", "calendar"] | None = None,
        subscription_at: Annotated[str | None, Field(description="ISO 8601 start date-time.")] = None,
        ending_at: Annotated[str | None, Field(description="ISO 8601 end date-time.")] = None,
        plan_overrides: PlanOverrides | None = None,
    ) -> CallToolResult:
        body = drop_none(
            external_customer_id=external_customer_id,
            plan_code=plan_code,
            name=name,
            external_id=external_id or f"sub_{external_customer_id}_{plan_code}_{uuid.uuid4().hex[:8]}",
            billing_time=billing_time,
            subscription_at=subscription_at,
            ending_at=ending_at,
            plan_overrides=plan_overrides.body() if plan_overrides else None,
        )
        async with deps.lago() as lago:
            subscription = await lago.create_subscription(body)
        return results.record("subscription", subscription, note="Subscription created.")

    @lago_tool(
        server,
        "update_subscription",
        "Change a subscription's name, dates or plan overrides; a different plan_code upgrades/downgrades it. "
        "Example: update_subscription(external_id='sub_acme', ending_at='2025-12-31T00:00:00Z').",
    )
    async def update_subscription(
        external_id: SubscriptionExternalId,
        name: str | None = None,
        ending_at: Annotated[str | None, Field(description="ISO 8601 end date-time.")] = None,
        plan_code: Annotated[str | None, Field(description="Switch to this plan.")] = None,
        subscription_at: Annotated[str | None, Field(description="ISO 8601 start (pending ones only).")] = None,
        plan_overrides: PlanOverrides | None = None,
    ) -> CallToolResult:
        changes = drop_none(
            name=name,
            ending_at=ending_at,
            subscription_at=subscription_at,
            plan_overrides=plan_overrides.body() if plan_overrides else None,
        )
        if not changes and not plan_code:
            return error_result(
                "Nothing to update: pass name, ending_at, subscription_at, plan_code or plan_overrides."
            )
        notes = []
        async with deps.lago() as lago:
            subscription = await lago.get_subscription(external_id)
            if plan_code and plan_code != subscription.plan_code:
                subscription = await lago.create_subscription(
                    {
                        "external_customer_id": subscription.external_customer_id,
                        "plan_code": plan_code,
                        "external_id": external_id,
                    }
                )
                notes.append(f"plan changed to {plan_code}")
            if changes:
                subscription = await lago.update_subscription(external_id, changes)
                notes.append(f"updated {', '.join(sorted(changes))}")
        return results.record("subscription", subscription, note=f"Subscription {'; '.join(notes) or 'unchanged'}.")

    @lago_tool(
        server,
        "delete_subscription",
        "Terminate a subscription now (a final invoice may be issued); status='pending' cancels a pending one. "
        "Example: delete_subscription(external_id='sub_acme').",
    )
    async def delete_subscription(
        external_id: SubscriptionExternalId,
        status: Annotated[
            Literal["active", "pending"] | None, Field(description="'pending' targets a pending one.")
        ] = None,
    ) -> CallToolResult:
        async with deps.lago() as lago:
            subscription = await lago.terminate_subscription(external_id, status=status)
        return results.record("subscription", subscription, note="Subscription terminated.")
