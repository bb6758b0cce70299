"""Invoice records of the sandbox: building fees and invoices, totals, numbering, payment state and rendering.

Invoices are stored under kind `invoice`, keyed by `lago_id`, in the shape Lago's InvoiceSerializer sends
plus a few private keys (prefixed `_`) that are never rendered. `payment_overdue` and the embedded
`customer` are computed when an invoice is rendered, so they are always current.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from billing_agent.sandbox import kinds
from billing_agent.sandbox.resources.subscriptions import render as render_subscription
from billing_agent.sandbox.store import Record, SandboxStore, iso, new_id, utcnow

INVOICE_KIND = "invoice"
"""Invoices, keyed by `lago_id`."""
ADD_ON_KIND = "add_on"
"""Add-ons (seeded; used by one-off invoices), keyed by `code`."""
CUSTOMER_KIND = kinds.CUSTOMER
NUMBER_PREFIX = "INV"
INVOICE_STATUSES = ("draft", "finalized", "voided", "failed", "pending")
PAYMENT_STATUSES = ("pending", "succeeded", "failed")
INVOICE_TYPES = ("subscription", "add_on", "credit", "one_off", "advance_charges", "progressive_billing")
EXTENDED_ONLY = ("fees", "credits")
RETRY_PAYMENT_SUCCESS_PERCENT = 70


def today() -> date:
    """The current UTC date (the sandbox bills in UTC)."""
    return datetime.now(UTC).date()


def precise(cents: int) -> str:
    """Cents as Lago's precise decimal string in major units: 2500 → `"25.0"`."""
    return str(cents / 100)


def strip_private(record: Record) -> Record:
    """A copy of `record` without the sandbox's private (`_`-prefixed) keys."""
    return {key: value for key, value in record.items() if not key.startswith("_")}


def invoice_number(sequential_id: int) -> str:
    """Organization-wide invoice number: 1 → `INV-001`, 1234 → `INV-1234`."""
    return f"{NUMBER_PREFIX}-{sequential_id:03d}"


def make_fee(
    *,
    invoice_id: str,
    currency: str,
    item_type: str,
    code: str,
    name: str,
    unit_amount_cents: int,
    units: float = 1.0,
    customer: Record,
    subscription: Record | None = None,
    description: str | None = None,
    period: tuple[datetime, datetime] | None = None,
    created_at: datetime | None = None,
    item_id: str | None = None,
) -> Record:
    """A fee in the shape of Lago's FeeObject (no taxes: the sandbox's organizations are tax-exempt)."""
    amount = round(unit_amount_cents * units)
    moment = iso(created_at or utcnow())
    return {
        "lago_id": new_id(),
        "lago_charge_id": None,
        "lago_charge_filter_id": None,
        "lago_invoice_id": invoice_id,
        "lago_true_up_fee_id": None,
        "lago_true_up_parent_fee_id": None,
        "lago_subscription_id": subscription["lago_id"] if subscription else None,
        "lago_customer_id": customer.get("lago_id"),
        "external_customer_id": customer.get("external_id"),
        "external_subscription_id": subscription.get("external_id") if subscription else None,
        "amount_cents": amount,
        "precise_amount": precise(amount),
        "precise_total_amount": precise(amount),
        "amount_currency": currency,
        "taxes_amount_cents": 0,
        "taxes_precise_amount": "0.0",
        "taxes_rate": 0.0,
        "units": str(float(units)),
        "precise_unit_amount": precise(unit_amount_cents),
        "total_aggregated_units": str(float(units)),
        "total_amount_cents": amount,
        "total_amount_currency": currency,
        "events_count": None,
        "pay_in_advance": False,
        "invoiceable": True,
        "from_date": iso(period[0]) if period else None,
        "to_date": iso(period[1]) if period else None,
        "payment_status": "pending",
        "created_at": moment,
        "succeeded_at": None,
        "failed_at": None,
        "refunded_at": None,
        "event_transaction_id": None,
        "description": description,
        "precise_coupons_amount_cents": "0.0",
        "sub_total_excluding_taxes_amount_cents": amount,
        "sub_total_excluding_taxes_precise_amount_cents": str(float(amount)),
        "amount_details": {},
        "self_billed": False,
        "item": {
            "type": item_type,
            "code": code,
            "name": name,
            "description": description,
            "invoice_display_name": name,
            "filter_invoice_display_name": None,
            "lago_item_id": item_id or new_id(),
            "item_type": {"add_on": "AddOn", "subscription": "Subscription", "charge": "BillableMetric"}.get(
                item_type, "AddOn"
            ),
        },
        "applied_taxes": [],
    }


def make_invoice(
    *,
    lago_id: str,
    sequential_id: int,
    customer: Record,
    currency: str,
    fees: list[Record],
    invoice_type: str,
    status: str,
    issued_at: datetime,
    net_payment_term: int,
    coupons_amount_cents: int = 0,
    subscription_ids: list[str] | None = None,
) -> Record:
    """A new invoice record; totals come from `fees` and `coupons_amount_cents`."""
    issuing_date = issued_at.date()
    invoice: Record = {
        "lago_id": lago_id,
        "billing_entity_code": customer.get("billing_entity_code"),
        "sequential_id": sequential_id,
        "number": invoice_number(sequential_id),
        "issuing_date": issuing_date.isoformat(),
        "payment_due_date": (issuing_date + timedelta(days=net_payment_term)).isoformat(),
        "net_payment_term": net_payment_term,
        "invoice_type": invoice_type,
        "status": status,
        "payment_status": "pending",
        "payment_dispute_lost_at": None,
        "payment_overdue": False,
        "currency": currency,
        "fees_amount_cents": 0,
        "coupons_amount_cents": coupons_amount_cents,
        "credit_notes_amount_cents": 0,
        "sub_total_excluding_taxes_amount_cents": 0,
        "taxes_amount_cents": 0,
        "sub_total_including_taxes_amount_cents": 0,
        "prepaid_credit_amount_cents": 0,
        "prepaid_granted_credit_amount_cents": 0,
        "prepaid_purchased_credit_amount_cents": 0,
        "progressive_billing_credit_amount_cents": 0,
        "total_amount_cents": 0,
        "total_due_amount_cents": 0,
        "total_paid_amount_cents": 0,
        "total_offsetted_credit_note_amount_cents": 0,
        "file_url": None,
        "version_number": 4,
        "self_billed": False,
        "created_at": iso(issued_at),
        "updated_at": iso(issued_at),
        "voided_at": None,
        "metadata": [],
        "applied_taxes": [],
        "fees": fees,
        "credits": [],
        "_customer": customer_ref(customer),
        "_subscription_ids": subscription_ids or [],
    }
    return recompute_totals(invoice)


def customer_ref(customer: Record) -> Record:
    """The customer fields an invoice keeps for searching and as a fallback when the customer is deleted."""
    keys = ("lago_id", "external_id", "name", "firstname", "lastname", "legal_name", "email", "sequential_id")
    ref = {key: customer.get(key) for key in keys}
    ref["slug"] = customer.get("slug") or f"{NUMBER_PREFIX}-{int(customer.get('sequential_id') or 0):03d}"
    ref["applicable_timezone"] = customer.get("applicable_timezone") or "UTC"
    ref["created_at"] = customer.get("created_at") or iso(utcnow())
    ref["currency"] = customer.get("currency")
    return ref


def recompute_totals(invoice: Record) -> Record:
    """Derive every amount of `invoice` from its fees, coupons, credits and payments (in place)."""
    fees_amount = sum(int(fee["amount_cents"]) for fee in invoice["fees"])
    coupons = min(int(invoice.get("coupons_amount_cents") or 0), fees_amount)
    sub_total = fees_amount - coupons
    taxes = int(invoice.get("taxes_amount_cents") or 0)
    total = max(sub_total + taxes - int(invoice.get("credit_notes_amount_cents") or 0), 0)
    invoice["fees_amount_cents"] = fees_amount
    invoice["coupons_amount_cents"] = coupons
    invoice["sub_total_excluding_taxes_amount_cents"] = sub_total
    invoice["sub_total_including_taxes_amount_cents"] = sub_total + taxes
    invoice["total_amount_cents"] = total
    paid = int(invoice.get("total_paid_amount_cents") or 0)
    offset = int(invoice.get("total_offsetted_credit_note_amount_cents") or 0)
    invoice["total_due_amount_cents"] = max(total - paid - offset, 0)
    return invoice


def set_payment_status(invoice: Record, status: str, moment: datetime | None = None) -> None:
    """Set the payment status of the invoice and of its fees (Lago keeps them in step)."""
    invoice["payment_status"] = status
    stamp = iso(moment or utcnow())
    for fee in invoice["fees"]:
        fee["payment_status"] = status
        fee["succeeded_at"] = stamp if status == "succeeded" else None
        fee["failed_at"] = stamp if status == "failed" else None


def is_overdue(invoice: Record, on: str | None = None) -> bool:
    """Lago's `payment_overdue`: finalized, not paid, due date (ISO, compared as text) before `on` (today)."""
    if invoice["status"] != "finalized" or invoice["payment_status"] == "succeeded":
        return False
    due = invoice.get("payment_due_date")
    return due is not None and invoice.get("payment_dispute_lost_at") is None and due < (on or today().isoformat())


def retry_payment_succeeds(invoice_id: str) -> bool:
    """Deterministic outcome of a payment retry: about 70% of invoices succeed, chosen by a hash of the id.

    The same invoice always gets the same outcome, so tests and demos are repeatable.
    """
    digest = hashlib.sha256(invoice_id.encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < RETRY_PAYMENT_SUCCESS_PERCENT


_DERIVED: weakref.WeakKeyDictionary[SandboxStore, dict[tuple[str, str], tuple[list[Record], Any]]] = (
    weakref.WeakKeyDictionary()
)


def _derived(store: SandboxStore, org_id: str, kind: str, build: Callable[[list[Record]], Any]) -> Any:
    """`build(snapshot of kind)`, computed again only when records of `kind` changed since the last call."""
    snapshot = store.snapshot(org_id, kind)
    cache = _DERIVED.setdefault(store, {})
    key = (org_id, f"{kind}:{build.__name__}")
    cached = cache.get(key)
    if cached is None or cached[0] is not snapshot:
        cached = (snapshot, build(snapshot))
        cache[key] = cached
    return cached[1]


def _by_external_id(customers: list[Record]) -> dict[str, Record]:
    return {str(customer.get("external_id")): customer for customer in customers}


def _newest_first(invoices: list[Record]) -> list[Record]:
    return sorted(
        invoices, key=lambda inv: (inv["issuing_date"], inv["created_at"], inv["sequential_id"]), reverse=True
    )


def customer_index(store: SandboxStore, org_id: str) -> dict[str, Record]:
    """Customers by `external_id` (shared records: do not mutate), rebuilt only when customers change."""
    index: dict[str, Record] = _derived(store, org_id, kinds.CUSTOMER, _by_external_id)
    return index


def invoices_newest_first(store: SandboxStore, org_id: str) -> list[Record]:
    """Every invoice, newest issuing date first (shared records: do not mutate), re-sorted only after changes."""
    ordered: list[Record] = _derived(store, org_id, INVOICE_KIND, _newest_first)
    return ordered


def customer_view(store: SandboxStore, org_id: str, invoice: Record) -> Record:
    """The invoice's customer as Lago embeds it: the live record, else the copy kept on the invoice."""
    ref: Record = invoice.get("_customer") or {}
    live = store.get(org_id, CUSTOMER_KIND, str(ref.get("external_id")))
    if live is not None:
        return strip_private(live)
    return {key: value for key, value in ref.items() if value is not None or key in ("name", "email")}


def render_invoice(
    store: SandboxStore, org_id: str, invoice: Record, *, extended: bool = False, customer: Record | None = None
) -> Record:
    """The invoice as the API sends it; `extended` adds fees, credits and subscriptions (single-invoice views)."""
    view = strip_private(invoice)
    if extended:
        view["subscriptions"] = invoice_subscriptions(store, org_id, invoice)
    else:
        for key in EXTENDED_ONLY:
            view.pop(key, None)
    view["payment_overdue"] = is_overdue(invoice)
    view["customer"] = customer if customer is not None else customer_view(store, org_id, invoice)
    return view


def invoice_subscriptions(store: SandboxStore, org_id: str, invoice: Record) -> list[Record]:
    """The invoice's subscriptions as the subscriptions API renders them now."""
    shown = []
    for sub_id in invoice.get("_subscription_ids") or []:
        sub = store.get(org_id, kinds.SUBSCRIPTION, sub_id)
        if sub is not None:
            plan = store.get(org_id, kinds.PLAN, str(sub.get("plan_code")))
            shown.append(render_subscription(sub, plan, utcnow()))
    return shown


def load_invoice(store: SandboxStore, org_id: str, lago_id: str) -> Record | None:
    """The stored invoice with this `lago_id`, or None."""
    return store.get(org_id, INVOICE_KIND, lago_id)


def save_invoice(store: SandboxStore, org_id: str, invoice: Record, moment: datetime | None = None) -> Record:
    """Store `invoice` after stamping `updated_at`."""
    invoice["updated_at"] = iso(moment or utcnow())
    return store.put(org_id, INVOICE_KIND, invoice["lago_id"], invoice)


def file_url(base_url: str, org_id: str, invoice: Record) -> str:
    """Where the sandbox serves the invoice's PDF (an unauthenticated link, like Lago's signed file URLs)."""
    return f"{base_url.rstrip('/')}/_sandbox/files/{org_id}/invoices/{invoice['lago_id']}.pdf"


def matches_search(invoice: Record, term: str, customer: Record | None = None) -> bool:
    """Lago's invoice `search_term`: number, id, or the customer's name, email or external id (case-insensitive).

    `customer` is the live customer record; without it the copy kept on the invoice is searched.
    """
    needle = term.lower()
    if invoice["lago_id"] == term or needle in invoice["number"].lower():
        return True
    ref: dict[str, Any] = customer or invoice.get("_customer") or {}
    fields = ("name", "firstname", "lastname", "legal_name", "email", "external_id")
    return any(needle in str(ref.get(name) or "").lower() for name in fields)
