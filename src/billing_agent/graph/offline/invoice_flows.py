"""Invoice flows: filtered lists and counts, one invoice by number or id, and single-invoice actions."""

from __future__ import annotations

import re
from typing import Any

from billing_agent.graph.offline.catalog import PlannedCall
from billing_agent.graph.offline.dates import parse_date_range
from billing_agent.graph.offline.entities import CustomerRef, find_amount_range, find_customer
from billing_agent.graph.offline.flows import Flow, Step
from billing_agent.graph.offline.lookups import list_customer_subscriptions, resolve_customer, resolve_invoice
from billing_agent.graph.offline.replies import count_sentence
from billing_agent.graph.offline.request import Request

COUNT_QUESTION = re.compile(r"\b(?:how many|number of|count)\b")

# (pattern, tool, past-tense verb); first match wins, so "retry payment" precedes "retry".
INVOICE_ACTIONS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\b(?:download|pdf)\b"), "download_invoice", "Downloaded"),
    (re.compile(r"\bvoid\b"), "void_invoice", "Voided"),
    (re.compile(r"\bfinali[sz]e\b"), "finalize_invoice", "Finalized"),
    (re.compile(r"\brefresh\b"), "refresh_invoice", "Refreshed"),
    (re.compile(r"\bretry\b.*\bpayment\b|\bpayment\b.*\bretry\b"), "retry_invoice_payment", "Retried the payment of"),
    (re.compile(r"\bretry\b"), "retry_invoice", "Retried"),
)

# (pattern, filter, value, words used in the answer).
INVOICE_FILTERS: tuple[tuple[re.Pattern[str], str, Any, str], ...] = (
    (re.compile(r"\boverdue\b|\bpast due\b"), "payment_overdue", True, "overdue"),
    (re.compile(r"\bfailed\b|\bfailing\b"), "payment_status", "failed", "payment-failed"),
    (re.compile(r"\bunpaid\b|\bpending payment\b|\boutstanding\b"), "payment_status", "pending", "unpaid"),
    (re.compile(r"\bpaid\b|\bsucceeded\b"), "payment_status", "succeeded", "paid"),
    (re.compile(r"\bdrafts?\b"), "status", "draft", "draft"),
    (re.compile(r"\bvoided\b"), "status", "voided", "voided"),
    (re.compile(r"\bfinali[sz]ed\b"), "status", "finalized", "finalized"),
)


def invoice_action_tool(lower: str) -> tuple[str, str] | None:
    """The single-invoice action named in the request (tool, past-tense verb), if any."""
    for pattern, tool, verb in INVOICE_ACTIONS:
        if pattern.search(lower):
            return tool, verb
    return None


def invoice_action_flow(request: Request, ref: str, tool: str, verb: str) -> Flow:
    """Resolves the invoice, then runs the action on its Lago id."""
    invoice = yield from resolve_invoice(request, ref)
    results = yield Step((PlannedCall.of(tool, lago_id=invoice.lago_id),), f"Invoice {invoice.label}: `{tool}`.")
    if tool != "download_invoice":
        return f"{verb} invoice {invoice.label}."
    records = results[0].records
    file_url = records[0].get("file_url") if records else None
    if isinstance(file_url, str) and file_url:
        return f"Invoice {invoice.label} PDF: {file_url}"
    return f"Lago is generating the PDF of invoice {invoice.label}; ask again in a moment to get the link."


def show_invoice_flow(request: Request, ref: str) -> Flow:
    """Fetches one invoice by number or Lago id."""
    invoice = yield from resolve_invoice(request, ref)
    if invoice.number is None:
        yield Step((PlannedCall.of("get_invoice", invoice_id=invoice.lago_id),), "Fetching the invoice.")
    return f"Here is invoice {invoice.label}."


def list_invoices_flow(request: Request) -> Flow:
    """Lists (or counts) invoices filtered by status, customer, issuing date and amount."""
    args: dict[str, Any] = {}
    words: list[str] = []
    for pattern, name, value, word in INVOICE_FILTERS:
        if pattern.search(request.lower) and name not in args:
            args[name] = value
            words.append(word)
    qualifiers: list[str] = []
    customer_ref = find_customer(request.text)
    if customer_ref is not None:
        customer = yield from resolve_customer(request, customer_ref)
        args["customer_external_id"] = customer.external_id
        qualifiers.append(f"for {customer.label}")
    amounts = find_amount_range(request.text)
    if amounts is not None:
        qualifiers.append(_amount_words(amounts.from_cents, amounts.to_cents))
        args.update(_without_none(amount_from=amounts.from_cents, amount_to=amounts.to_cents))
    period = parse_date_range(request.lower, request.today)
    if period is not None:
        args.update(issuing_date_from=period.start.isoformat(), issuing_date_to=period.end.isoformat())
        qualifiers.append(f"issued {period.describe()}")
    results = yield Step((PlannedCall(("list_invoices",), args),), "Listing invoices.")
    noun = " ".join([*words, "invoice"])
    if COUNT_QUESTION.search(request.lower):
        total = results[0].total_count if results[0].total_count is not None else len(results[0].records)
        return f"{total:,} {noun if total == 1 else noun + 's'} {' '.join(qualifiers)}".rstrip() + "."
    return count_sentence(results[0], noun, " ".join(qualifiers))


def _amount_words(from_cents: int | None, to_cents: int | None) -> str:
    parts = []
    if from_cents is not None:
        parts.append(f"of at least {from_cents / 100:,.2f}")
    if to_cents is not None:
        parts.append(f"of at most {to_cents / 100:,.2f}")
    return " and ".join(parts) + " in total"


def _without_none(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def preview_flow(request: Request, ref: CustomerRef) -> Flow:
    """Previews the next invoice of the customer's active subscriptions (nothing is saved)."""
    customer = yield from resolve_customer(request, ref)
    subscriptions = yield from list_customer_subscriptions(request, customer)
    if not subscriptions:
        return f"{customer.label} has no active subscription, so there is no upcoming invoice to preview."
    external_ids = [sub["external_id"] for sub in subscriptions]
    call = PlannedCall.of(
        "preview_invoice", customer_external_id=customer.external_id, subscriptions={"external_ids": external_ids}
    )
    yield Step((call,), f"Previewing the next invoice of {customer.label}.")
    return f"Preview of the next invoice of {customer.label} (nothing was saved)."
