"""Credit notes: create, list, get, update, void."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from billing_agent.lago.models import CreditNote
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg

_EXAMPLE = "1a901a90-1a90-1a90-1a90-1a901a901a90"


class CreditNotesMixin(ResourceClient):
    """Credit note operations (credit notes are addressed by `lago_id`)."""

    async def create_credit_note(self, credit_note: Mapping[str, Any]) -> CreditNote:
        """Issue a credit note on an invoice (`invoice_id`, `reason`, `items`, credit/refund amounts)."""
        require_fields(credit_note, "credit_note", "invoice_id")
        body = {"credit_note": as_body(credit_note, "credit_note")}
        return await self._one(CreditNote, "credit_note", "POST", "/credit_notes", json=body)

    async def list_credit_notes(
        self,
        *,
        external_customer_id: str | None = None,
        issuing_date_from: date | str | None = None,
        issuing_date_to: date | str | None = None,
        search_term: str | None = None,
        currency: str | None = None,
        reason: str | None = None,
        credit_status: str | None = None,
        refund_status: str | None = None,
        invoice_number: str | None = None,
        amount_from: int | None = None,
        amount_to: int | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[CreditNote]:
        """One page of credit notes."""
        filters = {
            "external_customer_id": external_customer_id,
            "issuing_date_from": issuing_date_from,
            "issuing_date_to": issuing_date_to,
            "search_term": search_term,
            "currency": currency,
            "reason": reason,
            "credit_status": credit_status,
            "refund_status": refund_status,
            "invoice_number": invoice_number,
            "amount_from": amount_from,
            "amount_to": amount_to,
        }
        return await self._page(CreditNote, "credit_notes", "/credit_notes", filters, page, per_page)

    async def get_credit_note(self, lago_id: str) -> CreditNote:
        """The credit note with this `lago_id`."""
        path = f"/credit_notes/{seg(lago_id, 'lago_id', _EXAMPLE)}"
        return await self._one(CreditNote, "credit_note", "GET", path)

    async def update_credit_note(self, lago_id: str, changes: Mapping[str, Any]) -> CreditNote:
        """Change a credit note's `refund_status` or metadata."""
        path = f"/credit_notes/{seg(lago_id, 'lago_id', _EXAMPLE)}"
        body = {"credit_note": as_body(changes, "changes")}
        return await self._one(CreditNote, "credit_note", "PUT", path, json=body)

    async def void_credit_note(self, lago_id: str) -> CreditNote:
        """Void a credit note's remaining credit (405 when it cannot be voided)."""
        path = f"/credit_notes/{seg(lago_id, 'lago_id', _EXAMPLE)}/void"
        return await self._one(CreditNote, "credit_note", "PUT", path)
