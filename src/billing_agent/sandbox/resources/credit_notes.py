"""Sandbox routes: credit notes — create, list (with Lago's filters), get, update refund status, void."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from starlette.responses import Response
from starlette.routing import BaseRoute

from billing_agent.sandbox import kinds
from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.credit_notes import (
    CREDIT_NOTE_KIND,
    apply_offset,
    build_credit_note,
    update_refund_status,
    void_credit_note,
)
from billing_agent.sandbox.http import Ctx, list_response, not_found, ok, validation_error
from billing_agent.sandbox.invoicing import customer_index, load_invoice, save_invoice, strip_private
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.store import Record


def _render(ctx: Ctx, note: Record, customers: dict[str, Record] | None = None) -> Record:
    view = strip_private(note)
    external_id = str(note.get("_customer_external_id"))
    live = (
        customers.get(external_id) if customers is not None else ctx.store.get(ctx.org_id, kinds.CUSTOMER, external_id)
    )
    if live is not None:
        view["customer"] = strip_private(live)
    return view


def _note(ctx: Ctx) -> Record:
    note = ctx.store.get(ctx.org_id, CREDIT_NOTE_KIND, ctx.path("lago_id"))
    if note is None:
        raise not_found("credit_note")
    return note


def _log(ctx: Ctx, activity_type: str, note: Record, changes: dict[str, list[object]] | None = None) -> None:
    record_activity(
        ctx.store,
        ctx.org_id,
        activity_type,
        "CreditNote",
        strip_private({k: v for k, v in note.items() if k != "items"}),
        changes=changes,
        external_customer_id=note.get("_customer_external_id"),
    )


async def create_credit_note(ctx: Ctx) -> Response:
    """POST /credit_notes."""
    params = await ctx.envelope("credit_note")
    with ctx.store.transaction():
        invoice = load_invoice(ctx.store, ctx.org_id, str(params.get("invoice_id") or ""))
        if invoice is None:
            raise not_found("invoice")
        existing = [
            note
            for note in ctx.store.snapshot(ctx.org_id, CREDIT_NOTE_KIND)
            if note["lago_invoice_id"] == invoice["lago_id"]
        ]
        note = build_credit_note(invoice, params, existing)
        ctx.store.put(ctx.org_id, CREDIT_NOTE_KIND, note["lago_id"], note)
        if note["offset_amount_cents"]:
            apply_offset(invoice, note)
            save_invoice(ctx.store, ctx.org_id, invoice)
        _log(ctx, "credit_note.created", note)
    return ok({"credit_note": _render(ctx, note)})


async def list_credit_notes(ctx: Ctx) -> Response:
    """GET /credit_notes."""
    return _list(ctx, ctx.query("external_customer_id"))


async def list_customer_credit_notes(ctx: Ctx) -> Response:
    """GET /customers/{external_customer_id}/credit_notes."""
    external_id = ctx.path("external_customer_id")
    if ctx.store.get(ctx.org_id, kinds.CUSTOMER, external_id) is None:
        raise not_found("customer")
    return _list(ctx, external_id)


def _list(ctx: Ctx, external_customer_id: str | None) -> Response:
    tests = _filters(ctx, external_customer_id)
    customers = customer_index(ctx.store, ctx.org_id)
    notes = [note for note in ctx.store.snapshot(ctx.org_id, CREDIT_NOTE_KIND) if all(t(note) for t in tests)]
    notes.sort(key=lambda note: (note["issuing_date"], note["created_at"]), reverse=True)
    return list_response(ctx, "credit_notes", notes, lambda note: _render(ctx, note, customers))


def _filters(ctx: Ctx, external_customer_id: str | None) -> list[Callable[[Record], bool]]:
    exact = {
        "currency": ctx.query("currency"),
        "reason": ctx.query("reason"),
        "credit_status": ctx.query("credit_status"),
        "refund_status": ctx.query("refund_status"),
        "invoice_number": ctx.query("invoice_number"),
        "_customer_external_id": external_customer_id,
    }
    tests = [_field_is(key, value) for key, value in exact.items() if value is not None]
    low, high = ctx.query_int("amount_from"), ctx.query_int("amount_to")
    if low is not None:
        tests.append(lambda n: n["total_amount_cents"] >= low)
    if high is not None:
        tests.append(lambda n: n["total_amount_cents"] <= high)
    for name, after in (("issuing_date_from", True), ("issuing_date_to", False)):
        bound = _date(ctx.query(name), name)
        if bound is not None:
            tests.append(_issued(bound, after))
    term = (ctx.query("search_term") or "").lower()
    if term:
        tests.append(lambda n: term in n["number"].lower() or term in str(n.get("_customer_external_id")).lower())
    return tests


def _field_is(key: str, value: str) -> Callable[[Record], bool]:
    return lambda note: note.get(key) == value


def _issued(bound: str, on_or_after: bool) -> Callable[[Record], bool]:
    if on_or_after:
        return lambda note: str(note["issuing_date"]) >= bound
    return lambda note: str(note["issuing_date"]) <= bound


def _date(raw: str | None, name: str) -> str | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise validation_error(**{name: ["invalid_date"]}) from None


async def get_credit_note(ctx: Ctx) -> Response:
    """GET /credit_notes/{lago_id}."""
    return ok({"credit_note": _render(ctx, _note(ctx))})


async def update_credit_note(ctx: Ctx) -> Response:
    """PUT /credit_notes/{lago_id}: `refund_status`."""
    params = await ctx.envelope("credit_note")
    with ctx.store.transaction():
        note = _note(ctx)
        changes = update_refund_status(note, params)
        ctx.store.put(ctx.org_id, CREDIT_NOTE_KIND, note["lago_id"], note)
        _log(ctx, "credit_note.updated", note, changes)
    return ok({"credit_note": _render(ctx, note)})


async def void(ctx: Ctx) -> Response:
    """PUT /credit_notes/{lago_id}/void: 405 `no_voidable_amount` when already voided or fully consumed."""
    with ctx.store.transaction():
        note = _note(ctx)
        before = note.get("credit_status")
        void_credit_note(note)
        ctx.store.put(ctx.org_id, CREDIT_NOTE_KIND, note["lago_id"], note)
        _log(ctx, "credit_note.voided", note, {"credit_status": [before, "voided"]})
    return ok({"credit_note": _render(ctx, note)})


ROUTES: list[BaseRoute] = [
    api_route("/credit_notes", "POST", create_credit_note),
    api_route("/credit_notes", "GET", list_credit_notes),
    api_route("/credit_notes/{lago_id}", "GET", get_credit_note),
    api_route("/credit_notes/{lago_id}", "PUT", update_credit_note),
    api_route("/credit_notes/{lago_id}/void", "PUT", void),
    api_route("/customers/{external_customer_id}/credit_notes", "GET", list_customer_credit_notes),
]
