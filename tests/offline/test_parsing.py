"""Unit tests of the parsing pieces: time ranges, entities, schema fitting."""

from __future__ import annotations

from datetime import date

import pytest

from billing_agent.graph.offline.catalog import PlannedCall, ToolCatalog
from billing_agent.graph.offline.dates import DateRange, parse_date_range
from billing_agent.graph.offline.entities import (
    CustomerRef,
    find_amount_range,
    find_coupon_code,
    find_customer,
    find_email,
    find_invoice_ref,
)

from .schemas import INT, STR, STR_LIST, tool

THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("for the last 30 days", "2026-10-27", "2026-11-26"),
        ("in the past 2 weeks", "2026-11-12", "2026-11-26"),
        ("last week", "2026-11-16", "2026-11-22"),
        ("this week", "2026-11-23", "2026-11-26"),
        ("this month", "2026-11-01", "2026-11-26"),
        ("from last month", "2026-10-01", "2026-10-31"),
        ("from q3", "2026-07-01", "2026-09-30"),
        ("in q4", "2026-10-01", "2026-11-26"),
        ("q1 2025", "2025-01-01", "2025-03-31"),
        ("in december", "2025-12-01", "2025-12-31"),
        ("in march 2026", "2026-03-01", "2026-03-31"),
        ("yesterday", "2026-11-25", "2026-11-25"),
        ("this year", "2026-01-01", "2026-11-26"),
        ("last year", "2025-01-01", "2025-12-31"),
        ("since 2026-11-01", "2026-11-01", "2026-11-26"),
        ("between 2026-01-01 and 2026-02-15", "2026-01-01", "2026-02-15"),
    ],
)
def test_date_ranges(text: str, start: str, end: str) -> None:
    assert parse_date_range(text, THURSDAY) == DateRange(date.fromisoformat(start), date.fromisoformat(end))


def test_last_month_in_january_is_december() -> None:
    assert parse_date_range("last month", date(2027, 1, 5)) == DateRange(date(2026, 12, 1), date(2026, 12, 31))


@pytest.mark.parametrize("text", ["", "invoices", "last 0 days", "q1 0000", "from 2026-13-45", "in 9999-99-99"])
def test_no_or_invalid_range(text: str) -> None:
    assert parse_date_range(text, THURSDAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is the current usage for customer Acme Corp?", CustomerRef("Acme Corp", False)),
        ("Apply coupon SUMMER20 to customer Acme Corp", CustomerRef("Acme Corp", False)),
        ("Show me payment history for customer ID xyz", CustomerRef("xyz", True)),
        ("invoices of external_id acme-1", CustomerRef("acme-1", True)),
        ("Update the billing email for customer xyz to a@b.co", CustomerRef("xyz", False)),
        ("Terminate subscription for Acme Corp.", CustomerRef("Acme Corp", False)),
        ("usage for 'Big Co, Inc'", CustomerRef("Big Co, Inc", False)),
        ("Show me overdue invoices for the last 30 days", None),
        ("What are the number of invoices generated last week?", None),
        ("invoices of at least $50", None),
        ("Create a new customer with email gavin@hooli.com", None),
    ],
)
def test_customer_references(text: str, expected: CustomerRef | None) -> None:
    assert find_customer(text) == expected


def test_other_entities() -> None:
    assert find_email("Create a new customer with email gavin@hooli.com please") == "gavin@hooli.com"
    assert find_coupon_code("Apply coupon 'SUMMER20' to customer Acme") == "SUMMER20"
    assert find_coupon_code("apply the coupon to acme") is None
    assert find_invoice_ref("Download invoice INV-001.") == "INV-001"
    assert find_invoice_ref("void invoice number #2026-0042") == "2026-0042"
    assert find_invoice_ref("show invoices for acme") is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("invoices over $1,000", 100000, None),
        ("under 20.5", None, 2050),
        ("more than 2k", 200000, None),
        ("between $10 and $50.25", 1000, 5025),
        ("at least €5 and at most €9", 500, 900),
    ],
)
def test_amounts_in_cents(text: str, low: int | None, high: int | None) -> None:
    amounts = find_amount_range(text)
    assert amounts is not None
    assert (amounts.from_cents, amounts.to_cents) == (low, high)


def test_catalog_fits_aliases_types_and_refuses_what_it_cannot_express() -> None:
    catalog = ToolCatalog(
        [
            tool("list_invoices", customer_external_id=STR, issuing_date_from=STR, page=INT),
            tool("list_subscriptions", status=STR_LIST),
            tool("get_customer", ("external_customer_id",), external_customer_id=STR),
        ]
    )
    by_alias = catalog.fit(PlannedCall.of("list_invoices", external_customer_id="acme"))
    as_list = catalog.fit(PlannedCall(("list_subscriptions",), {}, {"status": "active", "unknown": 1}))
    missing_param = catalog.fit(PlannedCall.of("list_invoices", payment_overdue=True))
    missing_required = catalog.fit(PlannedCall.of("get_customer"))
    fallback = catalog.fit(PlannedCall(("list_customer_payments", "list_invoices"), {"external_customer_id": "a"}))

    assert by_alias == ("list_invoices", {"customer_external_id": "acme"})
    assert as_list == ("list_subscriptions", {"status": ["active"]})
    assert missing_param is None and missing_required is None
    assert fallback == ("list_invoices", {"customer_external_id": "a"})
    assert not ToolCatalog().bound and ToolCatalog().fit(PlannedCall.of("x", a=1)) == ("x", {"a": 1})
