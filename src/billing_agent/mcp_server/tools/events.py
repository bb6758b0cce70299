"""Usage event tools: send one or a batch, get one, list (events are addressed by `transaction_id`)."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.lago import Event
from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.results import error_result
from billing_agent.mcp_server.tools.params import ArgsModel, DateTimeArg, PageArg, PerPageArg
from billing_agent.mcp_server.tools.raw import fetch_page

TransactionId = Annotated[str, Field(min_length=1, description="Unique id of the event (idempotency key).")]
MAX_BATCH = 100


class EventInput(ArgsModel):
    """One usage event of a batch."""

    transaction_id: str = Field(min_length=1)
    external_subscription_id: str = Field(min_length=1)
    code: str = Field(min_length=1)
    timestamp: float | None = None
    properties: dict[str, Any] | None = None
    precise_total_amount_cents: str | None = None


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the event tools."""
    results = deps.results

    @lago_tool(
        server,
        "get_event",
        "Get one usage event by transaction_id. Example: get_event(transaction_id='evt_123').",
    )
    async def get_event(transaction_id: TransactionId) -> CallToolResult:
        async with deps.lago() as lago:
            event = await lago.get_event(transaction_id)
        return results.record("event", event)

    @lago_tool(
        server,
        "create_event",
        "Send one usage event for a subscription and a billable metric code; a reused transaction_id is refused. "
        "Example: create_event(transaction_id='evt_123', external_subscription_id='sub_acme', code='api_calls', "
        "properties={'calls': 10}).",
    )
    async def create_event(
        transaction_id: TransactionId,
        code: Annotated[str, Field(min_length=1, description="The billable metric's code.")],
        external_subscription_id: Annotated[str | None, Field(description="The subscription's external_id.")] = None,
        external_customer_id: Annotated[
            str | None, Field(description="Not used by current Lago; give external_subscription_id.")
        ] = None,
        timestamp: Annotated[float | None, Field(description="Unix seconds (default: now).")] = None,
        properties: Annotated[dict[str, Any] | None, Field(description="e.g. {'gb': 10}.")] = None,
        precise_total_amount_cents: Annotated[
            str | int | float | None,
            Field(description="Total in cents for dynamic charges, as a number or a decimal string ('1234.56')."),
        ] = None,
    ) -> CallToolResult:
        if not external_subscription_id:
            finder = "list_customer_subscriptions"
            if external_customer_id:
                finder += f"(external_customer_id='{external_customer_id}')"
            return error_result(
                "Lago needs external_subscription_id to attach usage to a subscription; find it with "
                f"{finder} and call create_event again."
            )
        body = drop_none(
            transaction_id=transaction_id,
            external_subscription_id=external_subscription_id,
            code=code,
            timestamp=timestamp,
            properties=properties,
            precise_total_amount_cents=None if precise_total_amount_cents is None else str(precise_total_amount_cents),
        )
        async with deps.lago() as lago:
            event = await lago.create_event(body)
        return results.record("event", event, note="Event received.")

    @lago_tool(
        server,
        "send_events_batch",
        f"Send up to {MAX_BATCH} usage events at once (each with transaction_id, external_subscription_id, code). "
        "Example: send_events_batch(events=[{'transaction_id': 'e1', 'external_subscription_id': 'sub_acme', "
        "'code': 'api_calls'}]).",
    )
    async def send_events_batch(
        events: Annotated[list[EventInput], Field(min_length=1, max_length=MAX_BATCH)],
    ) -> CallToolResult:
        async with deps.lago() as lago:
            sent = await lago.send_events_batch([event.body() for event in events])
        return results.records("event", "events", sent, tool="send_events_batch")

    @lago_tool(
        server,
        "list_events",
        "List received usage events, newest first, by subscription, metric code and time range. Example: "
        "list_events(external_subscription_id='sub_acme', code='api_calls').",
    )
    async def list_events(
        external_subscription_id: str | None = None,
        code: str | None = None,
        timestamp_from_started_at: Annotated[
            bool | None, Field(description="Only since the subscription started (needs external_subscription_id).")
        ] = None,
        timestamp_from: DateTimeArg = None,
        timestamp_to: DateTimeArg = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        if timestamp_from_started_at and not external_subscription_id:
            return error_result("timestamp_from_started_at needs external_subscription_id; pass both.")
        size = deps.per_page(per_page)
        filters = {
            "external_subscription_id": external_subscription_id,
            "code": code,
            "timestamp_from_started_at": timestamp_from_started_at,
            "timestamp_from": timestamp_from,
            "timestamp_to": timestamp_to,
        }
        async with deps.lago() as lago:
            found = await fetch_page(lago, Event, "events", "/events", filters, page, size)
        return results.records("event", "events", found.items, tool="list_events", meta=found.meta, per_page=size)
