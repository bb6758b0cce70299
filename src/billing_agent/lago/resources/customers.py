"""Customers: upsert, get, list, delete, current usage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from billing_agent.lago.models import Customer, CustomerUsage
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg

_EXAMPLE = "acme_corp"


class CustomersMixin(ResourceClient):
    """Customer operations (customers are addressed by `external_id`)."""

    async def list_customers(
        self,
        *,
        search_term: str | None = None,
        countries: Sequence[str] | None = None,
        states: Sequence[str] | None = None,
        currencies: Sequence[str] | None = None,
        customer_type: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[Customer]:
        """One page of customers, optionally filtered (country codes ISO 3166 alpha-2, currencies ISO 4217)."""
        filters = {
            "search_term": search_term,
            "countries": countries,
            "states": states,
            "currencies": currencies,
            "customer_type": customer_type,
        }
        return await self._page(Customer, "customers", "/customers", filters, page, per_page)

    async def get_customer(self, external_id: str) -> Customer:
        """The customer with this `external_id`."""
        return await self._one(Customer, "customer", "GET", f"/customers/{seg(external_id, 'external_id', _EXAMPLE)}")

    async def create_customer(self, customer: Mapping[str, Any]) -> Customer:
        """Create the customer, or update the one with the same `external_id` (Lago's upsert)."""
        require_fields(customer, "customer", "external_id")
        return await self._one(
            Customer, "customer", "POST", "/customers", json={"customer": as_body(customer, "customer")}
        )

    async def update_customer(self, external_id: str, changes: Mapping[str, Any]) -> Customer:
        """Change fields of an existing customer (Lago's upsert with `external_id` merged into `changes`)."""
        seg(external_id, "external_id", _EXAMPLE)
        body = {**as_body(changes, "changes"), "external_id": external_id}
        return await self._one(Customer, "customer", "POST", "/customers", json={"customer": body})

    async def delete_customer(self, external_id: str) -> Customer:
        """Delete the customer; returns the deleted record."""
        path = f"/customers/{seg(external_id, 'external_id', _EXAMPLE)}"
        return await self._one(Customer, "customer", "DELETE", path)

    async def get_customer_current_usage(
        self, external_customer_id: str, external_subscription_id: str
    ) -> CustomerUsage:
        """Usage of one subscription in its current, not yet invoiced, billing period."""
        customer = seg(external_customer_id, "external_customer_id", _EXAMPLE)
        seg(external_subscription_id, "external_subscription_id", "sub_acme_corp")
        return await self._one(
            CustomerUsage,
            "customer_usage",
            "GET",
            f"/customers/{customer}/current_usage",
            params={"external_subscription_id": external_subscription_id},
        )
