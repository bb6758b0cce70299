"""The filters of `GET /invoices` and `GET /customers/{id}/invoices`, as Lago's InvoicesQuery applies them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from billing_agent.sandbox.http import Ctx, validation_error
from billing_agent.sandbox.invoicing import (
    INVOICE_STATUSES,
    PAYMENT_STATUSES,
    customer_index,
    is_overdue,
    matches_search,
    today,
)
from billing_agent.sandbox.store import Record

InvoiceTest = Callable[[Record], bool]


@dataclass(frozen=True)
class InvoiceFilters:
    """Parsed invoice list filters; `None` / empty means "not filtered"."""

    customer_external_id: str | None = None
    statuses: tuple[str, ...] = ()
    payment_statuses: tuple[str, ...] = ()
    payment_overdue: bool | None = None
    issuing_date_from: date | None = None
    issuing_date_to: date | None = None
    amount_from: int | None = None
    amount_to: int | None = None
    currency: str | None = None
    invoice_type: str | None = None
    search_term: str | None = None
    customers: Mapping[str, Record] = field(default_factory=dict)

    def tests(self) -> list[InvoiceTest]:
        """One predicate per active filter."""
        tests: list[InvoiceTest] = []
        if self.customer_external_id is not None:
            wanted = self.customer_external_id
            tests.append(lambda inv: _customer_id(inv) == wanted)
        if self.statuses:
            tests.append(lambda inv: inv["status"] in self.statuses)
        if self.payment_statuses:
            tests.append(lambda inv: inv["payment_status"] in self.payment_statuses)
        if self.payment_overdue is not None:
            on = today().isoformat()
            tests.append(lambda inv: is_overdue(inv, on) == self.payment_overdue)
        if self.issuing_date_from is not None:
            start = self.issuing_date_from.isoformat()
            tests.append(lambda inv: inv["issuing_date"] >= start)
        if self.issuing_date_to is not None:
            end = self.issuing_date_to.isoformat()
            tests.append(lambda inv: inv["issuing_date"] <= end)
        if self.amount_from is not None:
            tests.append(lambda inv: inv["total_amount_cents"] >= (self.amount_from or 0))
        if self.amount_to is not None:
            tests.append(lambda inv: inv["total_amount_cents"] <= (self.amount_to or 0))
        if self.currency:
            tests.append(lambda inv: inv["currency"] == self.currency)
        if self.invoice_type:
            tests.append(lambda inv: inv["invoice_type"] == self.invoice_type)
        if self.search_term:
            term, customers = self.search_term, self.customers
            tests.append(lambda inv: matches_search(inv, term, customers.get(_customer_id(inv))))
        return tests

    def apply(self, invoices: Iterable[Record]) -> list[Record]:
        """The matching invoices, in the order given."""
        tests = self.tests()
        if len(tests) == 1:
            only = tests[0]
            return [inv for inv in invoices if only(inv)]
        return [inv for inv in invoices if all(test(inv) for test in tests)]


def _customer_id(invoice: Record) -> str:
    return str((invoice.get("_customer") or {}).get("external_id"))


def parse_invoice_filters(ctx: Ctx, customer_external_id: str | None = None) -> InvoiceFilters:
    """Read the invoice filters from the query string; 422 `validation_errors` for values Lago rejects."""
    errors: dict[str, list[str]] = {}
    statuses = _choices(ctx, "status", INVOICE_STATUSES, errors)
    payment_statuses = _choices(ctx, "payment_status", PAYMENT_STATUSES, errors)
    overdue = _boolean(ctx.query("payment_overdue"), "payment_overdue", errors)
    date_from = _date(ctx.query("issuing_date_from"), "issuing_date_from", errors)
    date_to = _date(ctx.query("issuing_date_to"), "issuing_date_to", errors)
    if errors:
        raise validation_error(**errors)
    return InvoiceFilters(
        customer_external_id=customer_external_id or ctx.query("external_customer_id"),
        statuses=statuses,
        payment_statuses=payment_statuses,
        payment_overdue=overdue,
        issuing_date_from=date_from,
        issuing_date_to=date_to,
        amount_from=ctx.query_int("amount_from"),
        amount_to=ctx.query_int("amount_to"),
        currency=ctx.query("currency"),
        invoice_type=ctx.query("invoice_type"),
        search_term=ctx.query("search_term"),
        customers=customer_index(ctx.store, ctx.org_id),
    )


def _choices(ctx: Ctx, name: str, allowed: tuple[str, ...], errors: dict[str, list[str]]) -> tuple[str, ...]:
    """`name` or `names[]` (Lago accepts both), each value one of `allowed`."""
    values = ctx.query_list(f"{name}es") or ctx.query_list(name)
    bad = [value for value in values if value not in allowed]
    if bad:
        errors[name] = [f"must be one of: {', '.join(allowed)}"]
    return tuple(values)


def _boolean(raw: str | None, name: str, errors: dict[str, list[str]]) -> bool | None:
    if raw is None:
        return None
    lowered = raw.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    errors[name] = ["must be boolean"]
    return None


def _date(raw: str | None, name: str, errors: dict[str, list[str]]) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = ["invalid_date"]
        return None
