"""Customer tools: get, list/search, create or update, delete, current usage."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult
from pydantic import Field

from billing_agent.lago import CustomerUsage, LagoNotFoundError
from billing_agent.mcp_server.registry import ToolDeps, drop_none, lago_tool
from billing_agent.mcp_server.results import as_record, error_result
from billing_agent.mcp_server.tools.params import CustomerExternalId, PageArg, PerPageArg
from billing_agent.mcp_server.tools.raw import fetch_one, path_segment

CountryArg = Annotated[str | None, Field(description="ISO 3166 alpha-2, e.g. US.")]
CurrencyArg = Annotated[str | None, Field(description="ISO 4217, e.g. USD.")]


def _customer_fields(**fields: Any) -> dict[str, Any]:
    return drop_none(**fields)


def register(server: FastMCP, deps: ToolDeps) -> None:
    """Register the customer tools."""
    results = deps.results

    @lago_tool(
        server,
        "get_customer",
        "Get one customer (billing details, currency, country) by external_id. Example: "
        "get_customer(external_customer_id='acme').",
    )
    async def get_customer(external_customer_id: CustomerExternalId) -> CallToolResult:
        async with deps.lago() as lago:
            customer = await lago.get_customer(external_customer_id)
        return results.record("customer", customer)

    @lago_tool(
        server,
        "list_customers",
        "List customers; filter by search_term (name, email, external_id, partial), countries, currencies, states or "
        "customer_type; external_customer_id returns that one customer. Example: list_customers(countries=['US']).",
    )
    async def list_customers(
        external_customer_id: Annotated[str | None, Field(description="Exact external_id.")] = None,
        search_term: Annotated[str | None, Field(description="Part of a name, email or external_id.")] = None,
        countries: Annotated[list[str] | None, Field(description="ISO 3166 alpha-2 codes, e.g. ['US'].")] = None,
        states: list[str] | None = None,
        currencies: Annotated[list[str] | None, Field(description="ISO 4217 codes, e.g. ['EUR'].")] = None,
        customer_type: Literal["company", "individual"] | None = None,
        page: PageArg = None,
        per_page: PerPageArg = None,
    ) -> CallToolResult:
        size = deps.per_page(per_page)
        async with deps.lago() as lago:
            if external_customer_id:
                try:
                    items = [await lago.get_customer(external_customer_id)]
                except LagoNotFoundError:
                    items = []
                return results.records("customer", "customers", items, tool="list_customers", per_page=size)
            found = await lago.list_customers(
                search_term=search_term,
                countries=countries,
                states=states,
                currencies=currencies,
                customer_type=customer_type,
                page=page,
                per_page=size,
            )
        return results.records(
            "customer", "customers", found.items, tool="list_customers", meta=found.meta, per_page=size
        )

    @lago_tool(
        server,
        "create_customer",
        "Create a customer, or update the one with this external_id (upsert: only the fields given change). "
        "Example: create_customer(external_id='acme', name='Acme Inc', email='billing@acme.com', currency='USD').",
    )
    async def create_customer(
        external_id: CustomerExternalId,
        name: str | None = None,
        firstname: str | None = None,
        lastname: str | None = None,
        email: Annotated[str | None, Field(description="Billing email(s), comma-separated.")] = None,
        address_line1: str | None = None,
        address_line2: str | None = None,
        city: str | None = None,
        country: CountryArg = None,
        state: str | None = None,
        zipcode: str | None = None,
        phone: str | None = None,
        url: str | None = None,
        legal_name: str | None = None,
        legal_number: str | None = None,
        logo_url: str | None = None,
        tax_identification_number: str | None = None,
        timezone: Annotated[str | None, Field(description="IANA zone, e.g. Europe/Paris.")] = None,
        currency: CurrencyArg = None,
        net_payment_term: Annotated[int | None, Field(ge=0, description="Days to pay.")] = None,
        customer_type: Literal["company", "individual"] | None = None,
        finalize_zero_amount_invoice: Literal["inherit", "finalize", "skip"] | None = None,
    ) -> CallToolResult:
        body = _customer_fields(
            external_id=external_id,
            name=name,
            firstname=firstname,
            lastname=lastname,
            email=email,
            address_line1=address_line1,
            address_line2=address_line2,
            city=city,
            country=country,
            state=state,
            zipcode=zipcode,
            phone=phone,
            url=url,
            legal_name=legal_name,
            legal_number=legal_number,
            logo_url=logo_url,
            tax_identification_number=tax_identification_number,
            timezone=timezone,
            currency=currency,
            net_payment_term=net_payment_term,
            customer_type=customer_type,
            finalize_zero_amount_invoice=finalize_zero_amount_invoice,
        )
        async with deps.lago() as lago:
            customer = await lago.create_customer(body)
        return results.record("customer", customer, note="Customer saved.")

    @lago_tool(
        server,
        "update_customer",
        "Change fields of an existing customer (e.g. billing email); fields not given stay as they are. "
        "Example: update_customer(external_id='acme', email='ap@acme.com').",
    )
    async def update_customer(
        external_id: CustomerExternalId,
        name: str | None = None,
        firstname: str | None = None,
        lastname: str | None = None,
        email: Annotated[str | None, Field(description="Billing email(s), comma-separated.")] = None,
        address_line1: str | None = None,
        address_line2: str | None = None,
        city: str | None = None,
        country: CountryArg = None,
        state: str | None = None,
        zipcode: str | None = None,
        phone: str | None = None,
        url: str | None = None,
        legal_name: str | None = None,
        legal_number: str | None = None,
        tax_identification_number: str | None = None,
        timezone: str | None = None,
        currency: CurrencyArg = None,
        net_payment_term: Annotated[int | None, Field(ge=0)] = None,
    ) -> CallToolResult:
        changes = _customer_fields(
            name=name,
            firstname=firstname,
            lastname=lastname,
            email=email,
            address_line1=address_line1,
            address_line2=address_line2,
            city=city,
            country=country,
            state=state,
            zipcode=zipcode,
            phone=phone,
            url=url,
            legal_name=legal_name,
            legal_number=legal_number,
            tax_identification_number=tax_identification_number,
            timezone=timezone,
            currency=currency,
            net_payment_term=net_payment_term,
        )
        if not changes:
            return error_result("Nothing to update: pass at least one field to change (e.g. email).")
        async with deps.lago() as lago:
            await lago.get_customer(external_id)  # an update never creates a customer by accident (upsert API)
            customer = await lago.update_customer(external_id, changes)
        return results.record("customer", customer, note=f"Customer updated: {', '.join(sorted(changes))}.")

    @lago_tool(
        server,
        "delete_customer",
        "Delete a customer: terminates its subscriptions and wallets and removes it. Example: "
        "delete_customer(external_id='acme').",
    )
    async def delete_customer(external_id: CustomerExternalId) -> CallToolResult:
        async with deps.lago() as lago:
            customer = await lago.delete_customer(external_id)
        return results.record("customer", customer, note="Customer deleted.")

    @lago_tool(
        server,
        "get_customer_current_usage",
        "Usage and amount (cents) of the current, not yet invoiced period of one subscription. Example: "
        "get_customer_current_usage(external_customer_id='acme', external_subscription_id='sub_acme').",
    )
    async def get_customer_current_usage(
        external_customer_id: CustomerExternalId,
        external_subscription_id: Annotated[str, Field(min_length=1, description="The subscription's external_id.")],
        apply_taxes: Annotated[bool | None, Field(description="Include taxes (default true).")] = None,
    ) -> CallToolResult:
        async with deps.lago() as lago:
            usage, customer = await asyncio.gather(
                fetch_one(
                    lago,
                    CustomerUsage,
                    "customer_usage",
                    f"/customers/{path_segment(external_customer_id)}/current_usage",
                    {"external_subscription_id": external_subscription_id, "apply_taxes": apply_taxes},
                ),
                lago.get_customer(external_customer_id),
            )
        record = as_record(usage)
        record["customer"] = results.linked("customer", customer)
        record["external_subscription_id"] = external_subscription_id
        return results.record("customer_usage", record)
