"""Invoices: list, get, update, lifecycle actions, download, preview, one-off create.

Retry safety of the POST actions (a 5xx or lost connection is retried only when repeating cannot apply twice):
- `download`: safe, it renders (or returns) the same PDF.
- `preview`: safe, Lago saves nothing.
- `retry`, `retry_payment`: not retried; a second attempt may charge or regenerate again.
- `void`: not retried; a repeat after a lost success answers 405 `not_voidable` and hides that it worked.
- one-off create: not retried; it would issue a second invoice.
`refresh` and `finalize` are PUTs and converge, so they are retried like any PUT; should a lost `finalize` have
worked, the retry's 404 says so (see `LagoSession.request`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from billing_agent.lago.models import Invoice
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg

_EXAMPLE = "1a901a90-1a90-1a90-1a90-1a901a901a90"


def _path(lago_id: str, action: str = "") -> str:
    base = f"/invoices/{seg(lago_id, 'lago_id', _EXAMPLE)}"
    return f"{base}/{action}" if action else base


class InvoicesMixin(ResourceClient):
    """Invoice operations (invoices are addressed by `lago_id`)."""

    async def list_invoices(
        self,
        *,
        external_customer_id: str | None = None,
        status: str | None = None,
        statuses: Sequence[str] | None = None,
        payment_status: str | None = None,
        payment_statuses: Sequence[str] | None = None,
        payment_overdue: bool | None = None,
        issuing_date_from: date | str | None = None,
        issuing_date_to: date | str | None = None,
        amount_from: int | None = None,
        amount_to: int | None = None,
        currency: str | None = None,
        invoice_type: str | None = None,
        search_term: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[Invoice]:
        """One page of invoices, newest issuing date first (amounts in cents, dates ISO `YYYY-MM-DD`)."""
        filters = {
            "external_customer_id": external_customer_id,
            "status": status,
            "statuses": statuses,
            "payment_status": payment_status,
            "payment_statuses": payment_statuses,
            "payment_overdue": payment_overdue,
            "issuing_date_from": issuing_date_from,
            "issuing_date_to": issuing_date_to,
            "amount_from": amount_from,
            "amount_to": amount_to,
            "currency": currency,
            "invoice_type": invoice_type,
            "search_term": search_term,
        }
        return await self._page(Invoice, "invoices", "/invoices", filters, page, per_page)

    async def list_customer_invoices(
        self,
        external_customer_id: str,
        *,
        status: str | None = None,
        payment_status: str | None = None,
        payment_overdue: bool | None = None,
        issuing_date_from: date | str | None = None,
        issuing_date_to: date | str | None = None,
        amount_from: int | None = None,
        amount_to: int | None = None,
        invoice_type: str | None = None,
        search_term: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[Invoice]:
        """One page of one customer's invoices."""
        customer = seg(external_customer_id, "external_customer_id", "acme_corp")
        filters = {
            "status": status,
            "payment_status": payment_status,
            "payment_overdue": payment_overdue,
            "issuing_date_from": issuing_date_from,
            "issuing_date_to": issuing_date_to,
            "amount_from": amount_from,
            "amount_to": amount_to,
            "invoice_type": invoice_type,
            "search_term": search_term,
        }
        return await self._page(Invoice, "invoices", f"/customers/{customer}/invoices", filters, page, per_page)

    async def get_invoice(self, lago_id: str) -> Invoice:
        """The invoice with this `lago_id`."""
        return await self._one(Invoice, "invoice", "GET", _path(lago_id))

    async def update_invoice(self, lago_id: str, changes: Mapping[str, Any]) -> Invoice:
        """Change an invoice's `payment_status` or `metadata` (405 on a voided invoice)."""
        body = {"invoice": as_body(changes, "changes")}
        return await self._one(Invoice, "invoice", "PUT", _path(lago_id), json=body)

    async def refresh_invoice(self, lago_id: str) -> Invoice:
        """Recompute a draft invoice (no change for other statuses)."""
        return await self._one(Invoice, "invoice", "PUT", _path(lago_id, "refresh"))

    async def finalize_invoice(self, lago_id: str) -> Invoice:
        """Finalize a draft invoice."""
        return await self._one(Invoice, "invoice", "PUT", _path(lago_id, "finalize"))

    async def retry_invoice(self, lago_id: str) -> Invoice:
        """Generate a failed invoice again (405 `invalid_status` otherwise)."""
        return await self._one(Invoice, "invoice", "POST", _path(lago_id, "retry"), idempotent=False)

    async def retry_invoice_payment(self, lago_id: str) -> None:
        """Ask the payment provider to collect the invoice again; Lago answers with an empty body."""
        await self.request("POST", _path(lago_id, "retry_payment"), idempotent=False)

    async def void_invoice(self, lago_id: str) -> Invoice:
        """Void a finalized invoice (405 `not_voidable` otherwise)."""
        return await self._one(Invoice, "invoice", "POST", _path(lago_id, "void"), idempotent=False)

    async def download_invoice(self, lago_id: str) -> Invoice | None:
        """The invoice with its `file_url`; None while Lago is still generating the PDF (ask again later)."""
        return await self._one_or_none(Invoice, "invoice", "POST", _path(lago_id, "download"), idempotent=True)

    async def preview_invoice(self, body: Mapping[str, Any]) -> Invoice:
        """Estimate an invoice without saving anything (body not enveloped: `customer`, `plan_code`, …)."""
        return await self._one(
            Invoice, "invoice", "POST", "/invoices/preview", json=as_body(body, "body"), idempotent=True
        )

    async def create_invoice(self, invoice: Mapping[str, Any]) -> Invoice:
        """Issue a one-off invoice (`external_customer_id`, `currency`, `fees` of add-ons)."""
        require_fields(invoice, "invoice", "external_customer_id")
        return await self._one(Invoice, "invoice", "POST", "/invoices", json={"invoice": as_body(invoice, "invoice")})
