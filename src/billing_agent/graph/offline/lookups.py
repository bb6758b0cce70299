"""Sub-flows that turn what the user named into Lago identifiers (customer external_id, invoice lago_id)."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from billing_agent.graph.offline.catalog import PlannedCall
from billing_agent.graph.offline.entities import CustomerRef, is_uuid
from billing_agent.graph.offline.flows import FlowStop, Step
from billing_agent.graph.offline.request import Request
from billing_agent.graph.offline.results import ToolResult

MAX_CHOICES = 5
ACTIVE_STATUSES = ("active", "pending")


@dataclass(frozen=True)
class Customer:
    """A resolved customer."""

    external_id: str
    name: str | None = None

    @property
    def label(self) -> str:
        """Name and external id, like "Acme Corp (acme_corp)", or just the external id."""
        if self.name and self.name != self.external_id:
            return f"{self.name} ({self.external_id})"
        return self.external_id


@dataclass(frozen=True)
class Invoice:
    """A resolved invoice."""

    lago_id: str
    number: str | None = None

    @property
    def label(self) -> str:
        """The invoice number when known, else its id."""
        return self.number or self.lago_id


def resolve_customer(request: Request, ref: CustomerRef) -> Generator[Step, list[ToolResult], Customer]:
    """Finds the one customer the user meant; stops with a question when none or several match."""
    if ref.explicit_id:
        return Customer(ref.value)
    if request.catalog.accepts("list_customers", "search_term"):
        results = yield Step((PlannedCall.of("list_customers", search_term=ref.value),), f"Looking up '{ref.value}'.")
        return _pick_customer(ref.value, results[0].records)
    results = yield Step((PlannedCall.of("get_customer", external_customer_id=ref.value),))
    return _pick_customer(ref.value, results[0].records)


def _pick_customer(wanted: str, records: list[dict[str, Any]]) -> Customer:
    customers = [_customer(record) for record in records if isinstance(record.get("external_id"), str)]
    key = wanted.casefold()
    by_id = [c for c in customers if c.external_id.casefold() == key]
    by_name = [c for c in customers if (c.name or "").casefold() == key]
    exact = by_id or by_name
    if len(exact) == 1:
        return exact[0]
    if not exact and len(customers) == 1:
        return customers[0]
    if not customers:
        raise FlowStop(f"No customer matches '{wanted}'. Try 'List customers' to find its external id.")
    choices = ", ".join(c.label for c in (exact or customers)[:MAX_CHOICES])
    raise FlowStop(
        f"Several customers match '{wanted}': {choices}. Which one? Name it by external id, e.g. "
        f"'customer ID {(exact or customers)[0].external_id}'."
    )


def _customer(record: dict[str, Any]) -> Customer:
    name = record.get("name") if isinstance(record.get("name"), str) else None
    return Customer(str(record["external_id"]), name or None)


def resolve_invoice(request: Request, ref: str) -> Generator[Step, list[ToolResult], Invoice]:
    """Turns an invoice number ("INV-001") into its Lago id; a Lago id is used as it is."""
    if is_uuid(ref):
        return Invoice(ref)
    if request.catalog.has("find_invoice_by_number"):
        results = yield Step((PlannedCall.of("find_invoice_by_number", invoice_number=ref),), f"Finding invoice {ref}.")
        records = results[0].records
    else:
        results = yield Step((PlannedCall.of("list_invoices", search_term=ref),), f"Finding invoice {ref}.")
        records = [r for r in results[0].records if str(r.get("number", "")).casefold() == ref.casefold()]
    if not records or not isinstance(records[0].get("lago_id"), str):
        raise FlowStop(f"No invoice numbered '{ref}' was found. Check the number, or list invoices to find it.")
    number = records[0].get("number")
    return Invoice(records[0]["lago_id"], number if isinstance(number, str) else ref)


def list_customer_subscriptions(
    request: Request, customer: Customer
) -> Generator[Step, list[ToolResult], list[dict[str, Any]]]:
    """The customer's active or pending subscriptions."""
    call = PlannedCall(
        ("list_subscriptions", "list_customer_subscriptions"), {"external_customer_id": customer.external_id}
    )
    results = yield Step((call,), f"Listing the subscriptions of {customer.label}.")
    return [
        record
        for record in results[0].records
        if isinstance(record.get("external_id"), str) and str(record.get("status", "active")) in ACTIVE_STATUSES
    ]


def subscription_label(record: dict[str, Any]) -> str:
    """External id with plan and status, like "sub_1 (plan premium, active)"."""
    details = [str(record[key]) for key in ("plan_code", "status") if record.get(key)]
    suffix = f" (plan {details[0]}, {details[1]})" if len(details) == 2 else ""
    return f"{record.get('external_id', '?')}{suffix}"
