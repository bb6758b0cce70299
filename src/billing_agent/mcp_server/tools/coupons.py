"""Coupon tools: the coupon catalogue (by `code`) and coupons applied to customers."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.results import error_result
from billing_agent.mcp_server.tools.params import CustomerExternalId, PageArg, PerPageArg

CouponCode = Annotated[str, Field(min_length=1, description="The coupon's code.")]
CouponType = Literal["fixed_amount", "percentage"]
Frequency = Literal["once", "recurring", "forever"]
Expiration = Literal["no_expiration", "time_limit"]
Rate = Annotated[str | None, Field(description="Percentage as a string, e.g. '20' (percentage coupons).")]


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the coupon tools."""
    results = deps.results

    @lago_tool(
        server, "list_coupons", "List the coupon catalogue (codes, amounts, frequency). Example: list_coupons()."
    )
    async def list_coupons(page: PageArg = None, per_page: PerPageArg = None) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_coupons(page=page, per_page=size)
        return results.records("coupon", "coupons", found.items, tool="list_coupons", meta=found.meta, per_page=size)

    @lago_tool(server, "get_coupon", "Get one coupon by code. Example: get_coupon(code='SUMMER20').")
    async def get_coupon(code: CouponCode) -> CallToolResult:
        async with deps.lago() as lago:
            coupon = await lago.get_coupon(code)
        return results.record("coupon", coupon)

    @lago_tool(
        server,
        "create_coupon",
        "Create a coupon: fixed_amount (amount_cents + amount_currency) or percentage (percentage_rate); frequency "
        "once, recurring (frequency_duration periods) or forever. Example: create_coupon(name='Summer 20%', "
        "code='SUMMER20', coupon_type='percentage', percentage_rate='20', frequency='once', "
        "expiration='no_expiration').",
    )
    async def create_coupon(
        name: Annotated[str, Field(min_length=1)],
        code: CouponCode,
        coupon_type: CouponType,
        frequency: Frequency,
        expiration: Expiration,
        amount_cents: int | None = None,
        amount_currency: str | None = None,
        percentage_rate: Rate = None,
        frequency_duration: int | None = None,
        reusable: Annotated[bool | None, Field(description="Can one customer get it more than once.")] = None,
        plan_codes: list[str] | None = None,
        billable_metric_codes: list[str] | None = None,
        expiration_at: Annotated[str | None, Field(description="ISO 8601, with expiration='time_limit'.")] = None,
    ) -> CallToolResult:
        body = drop_none(
            name=name,
            code=code,
            coupon_type=coupon_type,
            frequency=frequency,
            expiration=expiration,
            amount_cents=amount_cents,
            amount_currency=amount_currency,
            percentage_rate=percentage_rate,
            frequency_duration=frequency_duration,
            reusable=reusable,
            expiration_at=expiration_at,
            applies_to=_applies_to(plan_codes, billable_metric_codes),
        )
        async with deps.lago() as lago:
            coupon = await lago.create_coupon(body)
        return results.record("coupon", coupon, note="Coupon created.")

    @lago_tool(
        server,
        "update_coupon",
        "Change a coupon found by code (customers it was already applied to keep their terms). Example: "
        "update_coupon(code='SUMMER20', name='Summer sale').",
    )
    async def update_coupon(
        code: CouponCode,
        name: str | None = None,
        coupon_type: CouponType | None = None,
        amount_cents: int | None = None,
        amount_currency: str | None = None,
        percentage_rate: Rate = None,
        frequency: Frequency | None = None,
        frequency_duration: int | None = None,
        reusable: bool | None = None,
        plan_codes: list[str] | None = None,
        billable_metric_codes: list[str] | None = None,
        expiration: Expiration | None = None,
        expiration_at: str | None = None,
    ) -> CallToolResult:
        changes = drop_none(
            name=name,
            coupon_type=coupon_type,
            amount_cents=amount_cents,
            amount_currency=amount_currency,
            percentage_rate=percentage_rate,
            frequency=frequency,
            frequency_duration=frequency_duration,
            reusable=reusable,
            expiration=expiration,
            expiration_at=expiration_at,
            applies_to=_applies_to(plan_codes, billable_metric_codes),
        )
        if not changes:
            return error_result("Nothing to update: pass at least one field to change (e.g. name).")
        async with deps.lago() as lago:
            coupon = await lago.update_coupon(code, changes)
        return results.record("coupon", coupon, note="Coupon updated.")

    @lago_tool(
        server,
        "delete_coupon",
        "Terminate a coupon so it can no longer be applied (existing applications continue). Example: "
        "delete_coupon(code='SUMMER20').",
    )
    async def delete_coupon(code: CouponCode) -> CallToolResult:
        async with deps.lago() as lago:
            coupon = await lago.delete_coupon(code)
        return results.record("coupon", coupon, note="Coupon terminated.")

    @lago_tool(
        server,
        "list_applied_coupons",
        "List coupons applied to customers, by status, customer or coupon codes. Example: list_applied_coupons("
        "external_customer_id='acme', status='active').",
    )
    async def list_applied_coupons(
        status: Literal["active", "terminated"] | None = None,
        external_customer_id: str | None = None,
        coupon_codes: list[str] | None = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_applied_coupons(
                status=status,
                external_customer_id=external_customer_id,
                coupon_codes=coupon_codes,
                page=page,
                per_page=size,
            )
        return results.records(
            "applied_coupon",
            "applied_coupons",
            found.items,
            tool="list_applied_coupons",
            meta=found.meta,
            per_page=size,
        )

    @lago_tool(
        server,
        "apply_coupon",
        "Apply a coupon to a customer (its next invoices get the discount); amount/percentage/frequency "
        "override the coupon's own. Example: apply_coupon(external_customer_id='acme', coupon_code='SUMMER20').",
    )
    async def apply_coupon(
        external_customer_id: CustomerExternalId,
        coupon_code: CouponCode,
        frequency: Frequency | None = None,
        frequency_duration: int | None = None,
        amount_cents: int | None = None,
        amount_currency: str | None = None,
        percentage_rate: Rate = None,
    ) -> CallToolResult:
        body = drop_none(
            external_customer_id=external_customer_id,
            coupon_code=coupon_code,
            frequency=frequency,
            frequency_duration=frequency_duration,
            amount_cents=amount_cents,
            amount_currency=amount_currency,
            percentage_rate=percentage_rate,
        )
        async with deps.lago() as lago:
            applied = await lago.apply_coupon(body)
        return results.record(
            "applied_coupon", applied, note=f"Coupon {coupon_code} applied to {external_customer_id}."
        )

    @lago_tool(
        server,
        "remove_applied_coupon",
        "Remove a coupon from a customer (no further discounts). applied_coupon_id is the lago_id from "
        "list_applied_coupons. Example: remove_applied_coupon(external_customer_id='acme', applied_coupon_id='1a2b…').",
    )
    async def remove_applied_coupon(
        external_customer_id: CustomerExternalId,
        applied_coupon_id: Annotated[str, Field(min_length=1, description="The applied coupon's lago_id.")],
    ) -> CallToolResult:
        async with deps.lago() as lago:
            applied = await lago.remove_applied_coupon(external_customer_id, applied_coupon_id)
        return results.record("applied_coupon", applied, note="Applied coupon removed.")


def _applies_to(plan_codes: list[str] | None, billable_metric_codes: list[str] | None) -> dict[str, list[str]] | None:
    limits = drop_none(plan_codes=plan_codes, billable_metric_codes=billable_metric_codes)
    return limits or None
