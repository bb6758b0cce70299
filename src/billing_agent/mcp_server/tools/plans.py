"""Plan tools: list, get, create, update, delete (plans are addressed by `code`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.results import error_result
from billing_agent.mcp_server.tools.params import ArgsModel, PageArg, PerPageArg

Interval = Literal["weekly", "monthly", "quarterly", "semiannual", "yearly"]
PlanCode = Annotated[str, Field(min_length=1, description="The plan's code.")]
ChargeModel = Literal["standard", "graduated", "volume", "package", "percentage", "graduated_percentage", "dynamic"]


class ChargeFilter(ArgsModel):
    """Prices for events whose properties match `values` (e.g. {'region': ['us']})."""

    invoice_display_name: str | None = None
    properties: dict[str, Any] | None = None
    values: dict[str, Any] | None = None


class PlanCharge(ArgsModel):
    """A usage charge: a billable metric (its lago_id) priced with a charge model."""

    billable_metric_id: str
    charge_model: ChargeModel
    invoiceable: bool | None = None
    invoice_display_name: str | None = None
    pay_in_advance: bool | None = None
    prorated: bool | None = None
    min_amount_cents: int | None = None
    properties: dict[str, Any] | None = None
    tax_codes: list[str] | None = None
    filters: list[ChargeFilter] | None = None


class MinimumCommitment(ArgsModel):
    """The least a customer pays per period."""

    amount_cents: int
    invoice_display_name: str | None = None
    tax_codes: list[str] | None = None


class UsageThreshold(ArgsModel):
    """Progressive billing: invoice as soon as usage reaches this amount."""

    amount_cents: int
    threshold_display_name: str | None = None
    recurring: bool | None = None


def _plan_body(
    *,
    charges: list[PlanCharge] | None,
    minimum_commitment: MinimumCommitment | None,
    usage_thresholds: list[UsageThreshold] | None,
    **fields: Any,
) -> dict[str, Any]:
    return drop_none(
        **fields,
        charges=[charge.body() for charge in charges] if charges is not None else None,
        minimum_commitment=minimum_commitment.body() if minimum_commitment else None,
        usage_thresholds=[item.body() for item in usage_thresholds] if usage_thresholds is not None else None,
    )


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the plan tools."""
    results = deps.results

    @lago_tool(server, "list_plans", "List plans (code, price, interval). Example: list_plans().")
    async def list_plans(page: PageArg = None, per_page: PerPageArg = None) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_plans(page=page, per_page=size)
        return results.records("plan", "plans", found.items, tool="list_plans", meta=found.meta, per_page=size)

    @lago_tool(server, "get_plan", "Get one plan with its charges by code. Example: get_plan(code='enterprise').")
    async def get_plan(code: PlanCode) -> CallToolResult:
        async with deps.lago() as lago:
            plan = await lago.get_plan(code)
        return results.record("plan", plan)

    @lago_tool(
        server,
        "create_plan",
        "Create a plan: a base price (amount_cents, amount_currency) per interval, plus optional usage charges "
        "(billable_metric_id = the metric's lago_id). Example: create_plan(name='Startup', code='startup', "
        "interval='monthly', amount_cents=4900, amount_currency='USD').",
    )
    async def create_plan(
        name: Annotated[str, Field(min_length=1)],
        code: PlanCode,
        interval: Interval,
        amount_cents: Annotated[int, Field(ge=0)],
        amount_currency: Annotated[str, Field(min_length=3, max_length=3)],
        invoice_display_name: str | None = None,
        description: str | None = None,
        trial_period: Annotated[float | None, Field(description="Days.")] = None,
        pay_in_advance: bool | None = None,
        bill_charges_monthly: bool | None = None,
        tax_codes: list[str] | None = None,
        charges: list[PlanCharge] | None = None,
        minimum_commitment: MinimumCommitment | None = None,
        usage_thresholds: list[UsageThreshold] | None = None,
    ) -> CallToolResult:
        body = _plan_body(
            name=name,
            code=code,
            interval=interval,
            amount_cents=amount_cents,
            amount_currency=amount_currency,
            invoice_display_name=invoice_display_name,
            description=description,
            trial_period=trial_period,
            pay_in_advance=pay_in_advance,
            bill_charges_monthly=bill_charges_monthly,
            tax_codes=tax_codes,
            charges=charges,
            minimum_commitment=minimum_commitment,
            usage_thresholds=usage_thresholds,
        )
        async with deps.lago() as lago:
            plan = await lago.create_plan(body)
        return results.record("plan", plan, note="Plan created.")

    @lago_tool(
        server,
        "update_plan",
        "Change a plan found by code (new_code renames it); cascade_updates=true also applies price changes to "
        "existing subscriptions. Example: update_plan(code='startup', amount_cents=5900).",
    )
    async def update_plan(
        code: PlanCode,
        name: str | None = None,
        new_code: str | None = None,
        interval: Interval | None = None,
        amount_cents: Annotated[int | None, Field(ge=0)] = None,
        amount_currency: str | None = None,
        invoice_display_name: str | None = None,
        description: str | None = None,
        trial_period: float | None = None,
        pay_in_advance: bool | None = None,
        bill_charges_monthly: bool | None = None,
        tax_codes: list[str] | None = None,
        charges: list[PlanCharge] | None = None,
        minimum_commitment: MinimumCommitment | None = None,
        usage_thresholds: list[UsageThreshold] | None = None,
        cascade_updates: bool | None = None,
    ) -> CallToolResult:
        changes = _plan_body(
            name=name,
            code=new_code,
            interval=interval,
            amount_cents=amount_cents,
            amount_currency=amount_currency,
            invoice_display_name=invoice_display_name,
            description=description,
            trial_period=trial_period,
            pay_in_advance=pay_in_advance,
            bill_charges_monthly=bill_charges_monthly,
            tax_codes=tax_codes,
            charges=charges,
            minimum_commitment=minimum_commitment,
            usage_thresholds=usage_thresholds,
            cascade_updates=cascade_updates,
        )
        if not changes:
            return error_result("Nothing to update: pass at least one field to change (e.g. amount_cents).")
        async with deps.lago() as lago:
            plan = await lago.update_plan(code, changes)
        return results.record("plan", plan, note="Plan updated.")

    @lago_tool(
        server,
        "delete_plan",
        "Delete a plan; its active subscriptions are terminated. Example: delete_plan(code='legacy').",
    )
    async def delete_plan(code: PlanCode) -> CallToolResult:
        async with deps.lago() as lago:
            plan = await lago.delete_plan(code)
        return results.record("plan", plan, note="Plan deleted.")
