"""Credit note tools: list, get, create (credit or refund part of an invoice), update refund status, void."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.tools.params import ArgsModel, DateArg, PageArg, PerPageArg

Reason = Literal[
    "duplicated_charge", "product_unsatisfactory", "order_change", "order_cancellation", "fraudulent_charge", "other"
]
RefundStatus = Literal["pending", "succeeded", "failed"]
CreditNoteId = Annotated[str, Field(min_length=1, description="The credit note's lago_id (UUID).")]


class CreditNoteItem(ArgsModel):
    """The part of one invoice fee to credit (fee lago_id from get_invoice)."""

    fee_id: str
    amount_cents: int = Field(ge=0)


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the credit note tools."""
    results = deps.results

    @lago_tool(
        server,
        "list_credit_notes",
        "List credit notes by customer, dates, reason, credit/refund status, invoice number or amount (cents). "
        "Example: list_credit_notes(external_customer_id='acme').",
    )
    async def list_credit_notes(
        page: PageArg = None,
        per_page: PerPageArg = None,
        external_customer_id: str | None = None,
        issuing_date_from: DateArg = None,
        issuing_date_to: DateArg = None,
        search_term: str | None = None,
        currency: str | None = None,
        reason: Reason | None = None,
        credit_status: Literal["available", "consumed", "voided"] | None = None,
        refund_status: RefundStatus | None = None,
        invoice_number: str | None = None,
        amount_from: Annotated[int | None, Field(ge=0)] = None,
        amount_to: Annotated[int | None, Field(ge=0)] = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_credit_notes(
                external_customer_id=external_customer_id,
                issuing_date_from=issuing_date_from,
                issuing_date_to=issuing_date_to,
                search_term=search_term,
                currency=currency,
                reason=reason,
                credit_status=credit_status,
                refund_status=refund_status,
                invoice_number=invoice_number,
                amount_from=amount_from,
                amount_to=amount_to,
                page=page,
                per_page=size,
            )
        return results.records(
            "credit_note", "credit_notes", found.items, tool="list_credit_notes", meta=found.meta, per_page=size
        )

    @lago_tool(server, "get_credit_note", "Get one credit note by lago_id. Example: get_credit_note(lago_id='1a2b…').")
    async def get_credit_note(lago_id: CreditNoteId) -> CallToolResult:
        async with deps.lago() as lago:
            credit_note = await lago.get_credit_note(lago_id)
        return results.record("credit_note", credit_note)

    @lago_tool(
        server,
        "create_credit_note",
        "Credit and/or refund part of a finalized invoice: items name the fees (fee_id from get_invoice) and "
        "amounts; credit_amount_cents + refund_amount_cents must equal the items' total. Example: "
        "create_credit_note(invoice_id='1a2b…', reason='other', credit_amount_cents=500, refund_amount_cents=0, "
        "items=[{'fee_id': '3c4d…', 'amount_cents': 500}]).",
    )
    async def create_credit_note(
        invoice_id: Annotated[str, Field(min_length=1, description="The invoice's lago_id.")],
        reason: Reason,
        credit_amount_cents: Annotated[int, Field(ge=0)],
        refund_amount_cents: Annotated[int, Field(ge=0)],
        items: Annotated[list[CreditNoteItem], Field(min_length=1)],
        description: str | None = None,
        idempotency_key: Annotated[
            str | None,
            Field(
                max_length=200,
                description="Optional marker stored in the credit note's metadata (key `idempotency_key`), so a "
                "repeat can be detected with list_credit_notes.",
            ),
        ] = None,
    ) -> CallToolResult:
        body = drop_none(
            invoice_id=invoice_id,
            reason=reason,
            description=description,
            credit_amount_cents=credit_amount_cents,
            refund_amount_cents=refund_amount_cents,
            items=[item.body() for item in items],
            metadata={"idempotency_key": idempotency_key} if idempotency_key else None,
        )
        async with deps.lago() as lago:
            credit_note = await lago.create_credit_note(body)
        return results.record("credit_note", credit_note, note="Credit note created.")

    @lago_tool(
        server,
        "update_credit_note",
        "Set the refund_status of a credit note (e.g. a refund made outside Lago). Example: update_credit_note("
        "lago_id='1a2b…', refund_status='succeeded').",
    )
    async def update_credit_note(lago_id: CreditNoteId, refund_status: RefundStatus) -> CallToolResult:
        async with deps.lago() as lago:
            credit_note = await lago.update_credit_note(lago_id, {"refund_status": refund_status})
        return results.record("credit_note", credit_note, note="Credit note updated.")

    @lago_tool(
        server,
        "void_credit_note",
        "Void a credit note's remaining credit (irreversible). Example: void_credit_note(lago_id='1a2b…').",
    )
    async def void_credit_note(lago_id: CreditNoteId) -> CallToolResult:
        async with deps.lago() as lago:
            credit_note = await lago.void_credit_note(lago_id)
        return results.record("credit_note", credit_note, note="Credit note voided.")
