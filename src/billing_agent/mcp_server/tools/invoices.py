"""Invoice tools: find, list, preview, create one-off, update, refresh, finalize, download, retry, void."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.results import error_result, text_result
from billing_agent.mcp_server.tools.params import (
    ArgsModel,
    CustomerExternalId,
    DateArg,
    InvoiceLagoId,
    PageArg,
    PerPageArg,
)

InvoiceStatus = Literal["draft", "finalized", "voided", "pending", "failed"]
PaymentStatus = Literal["pending", "succeeded", "failed"]
InvoiceType = Literal["subscription", "add_on", "credit", "one_off", "advance_charges", "progressive_billing"]


class PreviewCoupon(ArgsModel):
    """A coupon to apply in a preview (an existing code, or an inline one)."""

    code: str
    name: str | None = None
    coupon_type: Literal["fixed_amount", "percentage"] | None = None
    amount_cents: int | None = None
    amount_currency: str | None = None
    percentage_rate: str | None = None
    frequency_duration: int | None = None


class PreviewSubscriptions(ArgsModel):
    """Existing subscriptions to preview (e.g. a plan change or a termination)."""

    external_ids: list[str]
    plan_code: str | None = None
    terminated_at: str | None = None


class InvoiceFee(ArgsModel):
    """One line of a one-off invoice: an add-on charged `units` times."""

    add_on_code: str
    units: float
    unit_amount_cents: int | None = None
    description: str | None = None
    tax_codes: list[str] | None = None


class InvoiceMetadata(ArgsModel):
    """A key/value shown on the invoice (`id` updates an existing entry)."""

    key: str
    value: str
    id: str | None = None


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the invoice tools."""
    results = deps.results

    @lago_tool(
        server,
        "get_invoice",
        "Get one invoice with its fees, customer and amounts (cents). Takes the invoice lago_id (UUID); with an "
        "invoice number like 'HOO-2024-0042' use find_invoice_by_number. Example: get_invoice(invoice_id='1a2b…').",
    )
    async def get_invoice(invoice_id: InvoiceLagoId) -> CallToolResult:
        async with deps.lago() as lago:
            invoice = await lago.get_invoice(invoice_id)
        return results.record("invoice", invoice)

    @lago_tool(
        server,
        "find_invoice_by_number",
        "Find an invoice by its number and get its lago_id (needed by void/retry/download/refresh). "
        "Example: find_invoice_by_number(invoice_number='HOO-2024-0042').",
    )
    async def find_invoice_by_number(
        invoice_number: Annotated[str, Field(min_length=1, description="The invoice number.")],
    ) -> CallToolResult:
        async with deps.lago() as lago:
            page = await lago.list_invoices(search_term=invoice_number, per_page=20)
        records = [results.linked("invoice", invoice) for invoice in page.items]
        match = next((r for r in records if str(r.get("number", "")).lower() == invoice_number.lower()), None)
        if match is None:
            similar = ", ".join(str(r.get("number")) for r in records[:5])
            hint = f" Similar numbers: {similar}." if similar else ""
            return error_result(
                f"No invoice numbered '{invoice_number}'.{hint} Use list_invoices with search_term to search by "
                "number, customer name, email or external_id."
            )
        return results.record("invoice", match, note=f"Found invoice {invoice_number}: lago_id={match['lago_id']}")

    @lago_tool(
        server,
        "list_invoices",
        "List invoices, newest first, with filters: customer, issuing dates, status, payment status, type, "
        "overdue, amount range (cents); search_term matches number, customer name, email or external_id. "
        "Example: list_invoices(payment_overdue=true, customer_external_id='acme').",
    )
    async def list_invoices(
        search_term: Annotated[str | None, Field(description="Invoice number, customer name/email/id.")] = None,
        customer_external_id: Annotated[str | None, Field(description="Only this customer's invoices.")] = None,
        issuing_date_from: DateArg = None,
        issuing_date_to: DateArg = None,
        status: InvoiceStatus | None = None,
        payment_status: PaymentStatus | None = None,
        invoice_type: InvoiceType | None = None,
        payment_overdue: Annotated[bool | None, Field(description="true = only overdue invoices.")] = None,
        amount_from: Annotated[int | None, Field(ge=0, description="Minimum total, in cents.")] = None,
        amount_to: Annotated[int | None, Field(ge=0, description="Maximum total, in cents.")] = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_invoices(
                search_term=search_term,
                external_customer_id=customer_external_id,
                issuing_date_from=issuing_date_from,
                issuing_date_to=issuing_date_to,
                status=status,
                payment_status=payment_status,
                invoice_type=invoice_type,
                payment_overdue=payment_overdue,
                amount_from=amount_from,
                amount_to=amount_to,
                page=page,
                per_page=size,
            )
        return results.records("invoice", "invoices", found.items, tool="list_invoices", meta=found.meta, per_page=size)

    @lago_tool(
        server,
        "list_customer_invoices",
        "List one customer's invoices, newest first. Example: list_customer_invoices(external_customer_id='acme').",
    )
    async def list_customer_invoices(
        external_customer_id: CustomerExternalId, page: PageArg = None, per_page: PerPageArg = None
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            found = await lago.list_customer_invoices(external_customer_id, page=page, per_page=size)
        return results.records(
            "invoice", "invoices", found.items, tool="list_customer_invoices", meta=found.meta, per_page=size
        )

    @lago_tool(
        server,
        "preview_invoice",
        "Estimate an invoice without saving anything: a new subscription (customer + plan_code), a plan change or "
        "termination (subscriptions), with coupons. Example: preview_invoice(customer_external_id='acme', "
        "plan_code='startup').",
    )
    async def preview_invoice(
        customer_external_id: Annotated[str | None, Field(description="An existing customer.")] = None,
        customer_name: str | None = None,
        customer_currency: str | None = None,
        customer_address_line1: str | None = None,
        customer_address_line2: str | None = None,
        customer_city: str | None = None,
        customer_state: str | None = None,
        customer_country: Annotated[str | None, Field(description="ISO 3166 alpha-2, e.g. US.")] = None,
        customer_tax_identification_number: str | None = None,
        plan_code: str | None = None,
        subscription_at: Annotated[str | None, Field(description="ISO 8601 start date-time.")] = None,
        billing_time: Literal["anniversary", "calendar"] | None = None,
        coupons: list[PreviewCoupon] | None = None,
        subscriptions: PreviewSubscriptions | None = None,
        billing_entity_code: str | None = None,
    ) -> CallToolResult:
        customer = drop_none(
            external_id=customer_external_id,
            name=customer_name,
            currency=customer_currency,
            address_line1=customer_address_line1,
            address_line2=customer_address_line2,
            city=customer_city,
            state=customer_state,
            country=customer_country,
            tax_identification_number=customer_tax_identification_number,
        )
        body = drop_none(
            customer=customer or None,
            plan_code=plan_code,
            subscription_at=subscription_at,
            billing_time=billing_time,
            coupons=[coupon.body() for coupon in coupons] if coupons else None,
            subscriptions=subscriptions.body() if subscriptions else None,
            billing_entity_code=billing_entity_code,
        )
        async with deps.lago() as lago:
            invoice = await lago.preview_invoice(body)
        return results.record("invoice", invoice, note="Preview only: nothing was saved in Lago.")

    @lago_tool(
        server,
        "create_invoice",
        "Bill a customer now with a one-off invoice of add-on fees (setup fee, consulting hours...). Example: "
        "create_invoice(external_customer_id='acme', currency='USD', fees=[{'add_on_code': 'setup', 'units': 1}]).",
    )
    async def create_invoice(
        external_customer_id: CustomerExternalId,
        currency: Annotated[str, Field(min_length=3, max_length=3, description="ISO 4217, e.g. USD.")],
        fees: Annotated[list[InvoiceFee], Field(min_length=1)],
    ) -> CallToolResult:
        body = {
            "external_customer_id": external_customer_id,
            "currency": currency,
            "fees": [fee.body() for fee in fees],
        }
        async with deps.lago() as lago:
            invoice = await lago.create_invoice(body)
        return results.record("invoice", invoice, note="One-off invoice created.")

    @lago_tool(
        server,
        "update_invoice",
        "Set an invoice's payment_status (e.g. mark paid outside Lago: 'succeeded') and/or its metadata. "
        "Example: update_invoice(lago_id='1a2b…', payment_status='succeeded').",
    )
    async def update_invoice(
        lago_id: InvoiceLagoId,
        payment_status: PaymentStatus | None = None,
        metadata: list[InvoiceMetadata] | None = None,
    ) -> CallToolResult:
        changes = drop_none(
            payment_status=payment_status,
            metadata=[entry.body() for entry in metadata] if metadata else None,
        )
        if not changes:
            return error_result("Nothing to update: pass payment_status and/or metadata.")
        async with deps.lago() as lago:
            invoice = await lago.update_invoice(lago_id, changes)
        return results.record("invoice", invoice, note="Invoice updated.")

    @lago_tool(
        server,
        "refresh_invoice",
        "Recompute a draft invoice (fees, taxes, customer details); finalized invoices are unchanged. "
        "Example: refresh_invoice(lago_id='1a2b…').",
    )
    async def refresh_invoice(lago_id: InvoiceLagoId) -> CallToolResult:
        async with deps.lago() as lago:
            invoice = await lago.refresh_invoice(lago_id)
        return results.record("invoice", invoice, note="Invoice refreshed.")

    @lago_tool(
        server,
        "finalize_invoice",
        "Finalize a draft invoice: it gets its number, is sent to the customer and payment collection starts. "
        "Example: finalize_invoice(lago_id='1a2b…').",
    )
    async def finalize_invoice(lago_id: InvoiceLagoId) -> CallToolResult:
        async with deps.lago() as lago:
            invoice = await lago.finalize_invoice(lago_id)
        return results.record("invoice", invoice, note="Invoice finalized.")

    @lago_tool(
        server,
        "download_invoice",
        "Get the PDF link (file_url) of a finalized invoice; while the PDF is being generated, call again in a few "
        "seconds. Example: download_invoice(lago_id='1a2b…').",
    )
    async def download_invoice(lago_id: InvoiceLagoId) -> CallToolResult:
        async with deps.lago() as lago:
            invoice = await lago.download_invoice(lago_id)
        if invoice is None or not invoice.file_url:
            return text_result(
                f"The PDF of invoice {lago_id} is being generated; call download_invoice again in a few seconds.",
                {"invoice_id": lago_id, "file_url": None, "pdf_status": "generating"},
            )
        return results.record("invoice", invoice, note=f"PDF: {invoice.file_url}")

    @lago_tool(
        server,
        "retry_invoice",
        "Retry the finalization of an invoice whose generation failed (status 'failed' only). "
        "Example: retry_invoice(lago_id='1a2b…').",
    )
    async def retry_invoice(lago_id: InvoiceLagoId) -> CallToolResult:
        async with deps.lago() as lago:
            invoice = await lago.retry_invoice(lago_id)
        return results.record("invoice", invoice, note="Invoice finalization retried.")

    @lago_tool(
        server,
        "retry_invoice_payment",
        "Charge a finalized, unpaid invoice again through the customer's payment provider (after a failed "
        "payment). Example: retry_invoice_payment(lago_id='1a2b…').",
    )
    async def retry_invoice_payment(lago_id: InvoiceLagoId) -> CallToolResult:
        async with deps.lago() as lago:
            await lago.retry_invoice_payment(lago_id)
            invoice = await lago.get_invoice(lago_id)
        return results.record(
            "invoice", invoice, note="Payment retry requested; payment_status updates when the provider answers."
        )

    @lago_tool(
        server,
        "void_invoice",
        "Void a finalized invoice (irreversible; it can no longer be paid or changed). Takes the lago_id, not the "
        "number (use find_invoice_by_number first). Example: void_invoice(lago_id='1a2b…').",
    )
    async def void_invoice(lago_id: InvoiceLagoId) -> CallToolResult:
        async with deps.lago() as lago:
            invoice = await lago.void_invoice(lago_id)
        return results.record("invoice", invoice, note="Invoice voided.")
