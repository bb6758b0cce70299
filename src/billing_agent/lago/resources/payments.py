"""Payments: manual create, list, get."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billing_agent.lago.models import Payment
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg


class PaymentsMixin(ResourceClient):
    """Payment operations (payments are addressed by `lago_id`)."""

    async def create_payment(self, payment: Mapping[str, Any]) -> Payment:
        """Record a manual payment (`invoice_id`, `amount_cents`, `reference`, `paid_at`); never retried on 5xx."""
        require_fields(payment, "payment", "invoice_id", "amount_cents")
        return await self._one(Payment, "payment", "POST", "/payments", json={"payment": as_body(payment, "payment")})

    async def list_payments(
        self,
        *,
        external_customer_id: str | None = None,
        invoice_id: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[Payment]:
        """One page of payments."""
        filters = {"external_customer_id": external_customer_id, "invoice_id": invoice_id}
        return await self._page(Payment, "payments", "/payments", filters, page, per_page)

    async def get_payment(self, lago_id: str) -> Payment:
        """The payment with this `lago_id`."""
        path = f"/payments/{seg(lago_id, 'lago_id', '1a901a90-1a90-1a90-1a90-1a901a901a90')}"
        return await self._one(Payment, "payment", "GET", path)

    async def list_customer_payments(
        self,
        external_customer_id: str,
        *,
        invoice_id: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[Payment]:
        """One page of one customer's payments."""
        customer = seg(external_customer_id, "external_customer_id", "acme_corp")
        filters = {"invoice_id": invoice_id}
        return await self._page(Payment, "payments", f"/customers/{customer}/payments", filters, page, per_page)
