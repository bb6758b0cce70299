"""Payment tools: list, get, list a customer's, record a manual payment."""

from __future__ import annotations

from typing import Annotated

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.tools.params import CustomerExternalId, PageArg, PerPageArg

InvoiceIdFilter = Annotated[str | None, Field(description="Only payments of this invoice (lago_id).")]


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the payment tools."""
    results = deps.results

    @lago_tool(
        server,
        "list_payments",
        "List payments, by customer and/or invoice. Example: list_payments(external_customer_id='acme').",
    )
    async def list_payments(
        external_customer_id: str | None = None,
        invoice_id: InvoiceIdFilter = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_payments(
                external_customer_id=external_customer_id, invoice_id=invoice_id, page=page, per_page=size
            )
        return results.records("payment", "payments", found.items, tool="list_payments", meta=found.meta, per_page=size)

    @lago_tool(server, "get_payment", "Get one payment by lago_id. Example: get_payment(lago_id='1a2b…').")
    async def get_payment(
        lago_id: Annotated[str, Field(min_length=1, description="The payment's lago_id.")],
    ) -> CallToolResult:
        async with deps.lago() as lago:
            payment = await lago.get_payment(lago_id)
        return results.record("payment", payment)

    @lago_tool(
        server,
        "list_customer_payments",
        "List one customer's payments. Example: list_customer_payments(external_customer_id='acme').",
    )
    async def list_customer_payments(
        external_customer_id: CustomerExternalId,
        invoice_id: InvoiceIdFilter = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_customer_payments(
                external_customer_id, invoice_id=invoice_id, page=page, per_page=size
            )
        return results.records(
            "payment", "payments", found.items, tool="list_customer_payments", meta=found.meta, per_page=size
        )

    @lago_tool(
        server,
        "create_payment",
        "Record a payment received outside Lago (bank transfer, check) against an invoice; the invoice's due "
        "amount drops. Example: create_payment(invoice_id='1a2b…', amount_cents=250000, reference='wire 0042').",
    )
    async def create_payment(
        invoice_id: Annotated[str, Field(min_length=1, description="The invoice's lago_id.")],
        amount_cents: Annotated[int, Field(gt=0)],
        reference: Annotated[str, Field(min_length=1, description="Your payment reference.")],
        paid_at: Annotated[str | None, Field(description="YYYY-MM-DD (default: today).")] = None,
    ) -> CallToolResult:
        body = drop_none(invoice_id=invoice_id, amount_cents=amount_cents, reference=reference, paid_at=paid_at)
        async with deps.lago() as lago:
            payment = await lago.create_payment(body)
        return results.record("payment", payment, note="Payment recorded.")
