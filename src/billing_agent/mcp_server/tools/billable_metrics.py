"""Billable metric tools: get, list, create, update (metrics are addressed by `code`)."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.lago import BillableMetric
from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.results import error_result
from billing_agent.mcp_server.tools.params import ArgsModel, PageArg, PerPageArg
from billing_agent.mcp_server.tools.raw import fetch_page

AggregationType = Literal[
    "count_agg", "sum_agg", "max_agg", "unique_count_agg", "weighted_sum_agg", "latest_agg", "custom_agg"
]
RoundingFunction = Literal["round", "ceil", "floor"]
MetricCode = Annotated[str, Field(min_length=1, description="The billable metric's code.")]


class MetricFilter(ArgsModel):
    """An event property whose values get their own prices (e.g. key 'region', values ['us', 'eu'])."""

    key: str
    values: list[str]


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the billable metric tools."""
    results = deps.results

    @lago_tool(
        server,
        "get_billable_metric",
        "Get one billable metric (what usage is counted and how) by code. "
        "Example: get_billable_metric(code='api_calls').",
    )
    async def get_billable_metric(code: MetricCode) -> CallToolResult:
        async with deps.lago() as lago:
            metric = await lago.get_billable_metric(code)
        return results.record("billable_metric", metric)

    @lago_tool(
        server,
        "list_billable_metrics",
        "List billable metrics, optionally by aggregation_type or recurring. Example: list_billable_metrics().",
    )
    async def list_billable_metrics(
        aggregation_type: AggregationType | None = None,
        recurring: bool | None = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        filters = {"aggregation_type": aggregation_type, "recurring": recurring}
        async with deps.lago() as lago:
            found = await fetch_page(lago, BillableMetric, "billable_metrics", "/billable_metrics", filters, page, size)
        return results.records(
            "billable_metric",
            "billable_metrics",
            found.items,
            tool="list_billable_metrics",
            meta=found.meta,
            per_page=size,
        )

    @lago_tool(
        server,
        "create_billable_metric",
        "Create a billable metric: how events with this code are aggregated into billable units (field_name is "
        "the event property for sum/max/unique/latest). Example: create_billable_metric(name='API calls', "
        "code='api_calls', aggregation_type='count_agg').",
    )
    async def create_billable_metric(
        name: Annotated[str, Field(min_length=1)],
        code: MetricCode,
        aggregation_type: AggregationType,
        description: str | None = None,
        recurring: bool | None = None,
        rounding_function: RoundingFunction | None = None,
        rounding_precision: int | None = None,
        expression: str | None = None,
        field_name: Annotated[str | None, Field(description="Event property to aggregate.")] = None,
        weighted_interval: Literal["seconds"] | None = None,
        filters: list[MetricFilter] | None = None,
    ) -> CallToolResult:
        body = drop_none(
            name=name,
            code=code,
            aggregation_type=aggregation_type,
            description=description,
            recurring=recurring,
            rounding_function=rounding_function,
            rounding_precision=rounding_precision,
            expression=expression,
            field_name=field_name,
            weighted_interval=weighted_interval,
            filters=[item.body() for item in filters] if filters else None,
        )
        async with deps.lago() as lago:
            metric = await lago.create_billable_metric(body)
        return results.record("billable_metric", metric, note="Billable metric created.")

    @lago_tool(
        server,
        "update_billable_metric",
        "Change a billable metric found by code (new_code renames it). Example: update_billable_metric("
        "code='api_calls', name='API requests').",
    )
    async def update_billable_metric(
        code: MetricCode,
        name: str | None = None,
        new_code: str | None = None,
        description: str | None = None,
        recurring: bool | None = None,
        rounding_function: RoundingFunction | None = None,
        rounding_precision: int | None = None,
        expression: str | None = None,
        field_name: str | None = None,
        weighted_interval: Literal["seconds"] | None = None,
        filters: list[MetricFilter] | None = None,
    ) -> CallToolResult:
        changes = drop_none(
            name=name,
            code=new_code,
            description=description,
            recurring=recurring,
            rounding_function=rounding_function,
            rounding_precision=rounding_precision,
            expression=expression,
            field_name=field_name,
            weighted_interval=weighted_interval,
            filters=[item.body() for item in filters] if filters is not None else None,
        )
        if not changes:
            return error_result("Nothing to update: pass at least one field to change (e.g. name).")
        async with deps.lago() as lago:
            metric = await lago.update_billable_metric(code, changes)
        return results.record("billable_metric", metric, note="Billable metric updated.")
