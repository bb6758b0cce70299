"""Sandbox routes: invoices — list, get, update, lifecycle actions, download, preview and one-off creation.

Lifecycle as Lago's services apply it: refresh is a no-op unless draft; finalize only finds drafts (404
otherwise); retry only failed invoices (else 405 `invalid_status`), completed at once (→ finalized); retry_payment
answers an empty 200 and settles deterministically (see `invoicing.retry_payment_succeeds`), 405 `invalid_status`
when draft, voided, otherwise not finalized, or already paid; void only finalized, unpaid invoices without
credit notes (else 405 `not_voidable`; the premium `generate_credit_note` option is not modelled); download only
finalized invoices (404 otherwise), and the PDF is ready immediately (Lago may first answer an empty 200 while it
renders).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from billing_agent.sandbox.app import api_route
from billing_agent.sandbox.http import (
    Ctx,
    empty_ok,
    list_response,
    not_allowed,
    not_found,
    ok,
    validation_error,
)
from billing_agent.sandbox.invoice_query import parse_invoice_filters
from billing_agent.sandbox.invoicing import (
    ADD_ON_KIND,
    CUSTOMER_KIND,
    INVOICE_KIND,
    PAYMENT_STATUSES,
    customer_index,
    customer_view,
    file_url,
    invoices_newest_first,
    load_invoice,
    make_fee,
    make_invoice,
    recompute_totals,
    render_invoice,
    retry_payment_succeeds,
    save_invoice,
    set_payment_status,
    strip_private,
)
from billing_agent.sandbox.logs import record_activity
from billing_agent.sandbox.lookups import next_sequence
from billing_agent.sandbox.payment_records import PAYMENT_KIND, apply_payment, make_payment
from billing_agent.sandbox.pdf import invoice_pdf
from billing_agent.sandbox.preview import preview_invoice
from billing_agent.sandbox.store import Record, iso, new_id, utcnow

CREDIT_NOTE_KIND = "credit_note"


def _page(ctx: Ctx, invoices: list[Record]) -> Response:
    customers = customer_index(ctx.store, ctx.org_id)

    def render(invoice: Record) -> Record:
        live = customers.get(str((invoice.get("_customer") or {}).get("external_id")))
        customer = strip_private(live) if live is not None else None
        return render_invoice(ctx.store, ctx.org_id, invoice, customer=customer)

    return list_response(ctx, "invoices", invoices, render)


def _one(ctx: Ctx, invoice: Record) -> Response:
    return ok({"invoice": render_invoice(ctx.store, ctx.org_id, invoice, extended=True)})


def _invoice(ctx: Ctx) -> Record:
    invoice = load_invoice(ctx.store, ctx.org_id, ctx.path("lago_id"))
    if invoice is None:
        raise not_found("invoice")
    return invoice


def _log(ctx: Ctx, activity_type: str, invoice: Record, changes: dict[str, Any] | None = None) -> None:
    record_activity(
        ctx.store,
        ctx.org_id,
        activity_type,
        "Invoice",
        strip_private({k: v for k, v in invoice.items() if k != "fees"}),
        changes=changes,
        external_customer_id=(invoice.get("_customer") or {}).get("external_id"),
    )


async def list_invoices(ctx: Ctx) -> Response:
    """GET /invoices."""
    filters = parse_invoice_filters(ctx)
    return _page(ctx, filters.apply(invoices_newest_first(ctx.store, ctx.org_id)))


async def list_customer_invoices(ctx: Ctx) -> Response:
    """GET /customers/{external_customer_id}/invoices."""
    external_id = ctx.path("external_customer_id")
    if ctx.store.get(ctx.org_id, CUSTOMER_KIND, external_id) is None:
        raise not_found("customer")
    filters = parse_invoice_filters(ctx, customer_external_id=external_id)
    return _page(ctx, filters.apply(invoices_newest_first(ctx.store, ctx.org_id)))


async def get_invoice(ctx: Ctx) -> Response:
    """GET /invoices/{lago_id}."""
    return _one(ctx, _invoice(ctx))


async def update_invoice(ctx: Ctx) -> Response:
    """PUT /invoices/{lago_id}: `payment_status` and `metadata` (405 `update_on_voided_invoice` when voided)."""
    params = await ctx.envelope("invoice")
    with ctx.store.transaction():
        invoice = _invoice(ctx)
        if invoice["status"] == "voided":
            raise not_allowed("update_on_voided_invoice")
        changes: dict[str, Any] = {}
        status = params.get("payment_status")
        if status is not None:
            if status not in PAYMENT_STATUSES:
                raise validation_error(payment_status=["value_is_invalid"])
            if status != invoice["payment_status"]:
                changes["payment_status"] = [invoice["payment_status"], status]
                set_payment_status(invoice, status)
        if "metadata" in params:
            changes["metadata"] = [invoice["metadata"], _metadata(invoice, params["metadata"])]
            invoice["metadata"] = changes["metadata"][1]
        save_invoice(ctx.store, ctx.org_id, invoice)
        activity = "invoice.payment_status_updated" if "payment_status" in changes else "invoice.updated"
        _log(ctx, activity, invoice, changes)
    return _one(ctx, invoice)


def _metadata(invoice: Record, items: Any) -> list[Record]:
    """Lago's metadata update: items with a known `id` are updated, others created, missing ones removed."""
    if not isinstance(items, list):
        raise validation_error(metadata=["invalid_type"])
    current = {item["lago_id"]: item for item in invoice.get("metadata") or []}
    result = []
    for item in items:
        if not isinstance(item, dict) or not item.get("key") or item.get("value") is None:
            raise validation_error(metadata=["invalid_key_value"])
        existing = current.get(str(item.get("id")))
        result.append(
            {
                "lago_id": existing["lago_id"] if existing else new_id(),
                "key": str(item["key"]),
                "value": str(item["value"]),
                "created_at": existing["created_at"] if existing else iso(utcnow()),
            }
        )
    return result


async def refresh_invoice(ctx: Ctx) -> Response:
    """PUT /invoices/{lago_id}/refresh: recompute a draft (customer details, totals); other statuses: unchanged."""
    with ctx.store.transaction():
        invoice = _invoice(ctx)
        if invoice["status"] == "draft":
            live = ctx.store.get(ctx.org_id, CUSTOMER_KIND, str(invoice["_customer"].get("external_id")))
            if live is not None:
                invoice["_customer"].update({k: live.get(k) for k in ("name", "email", "legal_name") if k in live})
            recompute_totals(invoice)
            save_invoice(ctx.store, ctx.org_id, invoice)
            _log(ctx, "invoice.drafted", invoice)
    return _one(ctx, invoice)


async def finalize_invoice(ctx: Ctx) -> Response:
    """PUT /invoices/{lago_id}/finalize: draft → finalized (number and dates kept); 404 unless draft."""
    with ctx.store.transaction():
        invoice = _invoice(ctx)
        if invoice["status"] != "draft":
            raise not_found("invoice")
        invoice["status"] = "finalized"
        save_invoice(ctx.store, ctx.org_id, invoice)
        _log(ctx, "invoice.created", invoice, {"status": ["draft", "finalized"]})
    return _one(ctx, invoice)


async def retry_invoice(ctx: Ctx) -> Response:
    """POST /invoices/{lago_id}/retry: a failed invoice is generated again (→ finalized); else 405."""
    with ctx.store.transaction():
        invoice = _invoice(ctx)
        if invoice["status"] != "failed":
            raise not_allowed("invalid_status")
        invoice["status"] = "finalized"
        invoice.pop("error_details", None)
        save_invoice(ctx.store, ctx.org_id, invoice)
        _log(ctx, "invoice.created", invoice, {"status": ["failed", "finalized"]})
    return _one(ctx, invoice)


async def retry_invoice_payment(ctx: Ctx) -> Response:
    """POST /invoices/{lago_id}/retry_payment: 200 with an empty body; the outcome is deterministic per invoice."""
    with ctx.store.transaction():
        invoice = _invoice(ctx)
        if invoice["status"] != "finalized" or invoice["payment_status"] == "succeeded":
            raise not_allowed("invalid_status")
        succeeded = retry_payment_succeeds(invoice["lago_id"])
        amount = int(invoice["total_due_amount_cents"])
        payment = make_payment(invoice, amount, manual=False, succeeded=succeeded)
        ctx.store.put(ctx.org_id, PAYMENT_KIND, payment["lago_id"], payment)
        if succeeded:
            apply_payment(invoice, amount)
        else:
            set_payment_status(invoice, "failed")
        save_invoice(ctx.store, ctx.org_id, invoice)
        _log(ctx, "invoice.payment_status_updated" if succeeded else "invoice.payment_failure", invoice)
    return empty_ok()


async def void_invoice(ctx: Ctx) -> Response:
    """POST /invoices/{lago_id}/void: finalized and unpaid → voided; else 405 `not_voidable`."""
    await ctx.body()
    with ctx.store.transaction():
        invoice = _invoice(ctx)
        if not _voidable(ctx, invoice):
            raise not_allowed("not_voidable")
        invoice["status"] = "voided"
        invoice["voided_at"] = iso(utcnow())
        save_invoice(ctx.store, ctx.org_id, invoice)
        _log(ctx, "invoice.voided", invoice, {"status": ["finalized", "voided"]})
    return _one(ctx, invoice)


def _voidable(ctx: Ctx, invoice: Record) -> bool:
    if invoice["status"] != "finalized" or invoice["payment_status"] == "succeeded":
        return False
    if int(invoice.get("total_paid_amount_cents") or 0) > 0 or invoice.get("payment_dispute_lost_at"):
        return False
    return not any(
        note["lago_invoice_id"] == invoice["lago_id"] and note.get("credit_status") != "voided"
        for note in ctx.store.snapshot(ctx.org_id, CREDIT_NOTE_KIND)
    )


async def download_invoice(ctx: Ctx) -> Response:
    """POST /invoices/{lago_id}/download: finalized invoices only (404 otherwise); sets `file_url`."""
    with ctx.store.transaction():
        invoice = _invoice(ctx)
        if invoice["status"] != "finalized":
            raise not_found("invoice")
        if not invoice.get("file_url"):
            invoice["file_url"] = file_url(str(ctx.request.base_url), ctx.org_id, invoice)
            save_invoice(ctx.store, ctx.org_id, invoice)
            _log(ctx, "invoice.generated", invoice)
    return ok({"invoice": render_invoice(ctx.store, ctx.org_id, invoice)})


async def preview(ctx: Ctx) -> Response:
    """POST /invoices/preview: the body is not wrapped; nothing is saved."""
    return ok({"invoice": preview_invoice(ctx.store, ctx.org_id, await ctx.body())})


async def create_one_off_invoice(ctx: Ctx) -> Response:
    """POST /invoices: a finalized one-off invoice of add-on fees for a customer."""
    params = await ctx.envelope("invoice")
    customer = ctx.store.get(ctx.org_id, CUSTOMER_KIND, str(params.get("external_customer_id") or ""))
    if customer is None:
        raise not_found("customer")
    lines = params.get("fees")
    if not isinstance(lines, list) or not lines:
        raise validation_error(fees=["value_is_mandatory"])
    with ctx.store.transaction():
        add_ons = [_add_on(ctx, line) for line in lines]
        currency = str(params.get("currency") or customer.get("currency") or add_ons[0].get("amount_currency"))
        invoice_id = new_id()
        fees = [
            _one_off_fee(invoice_id, currency, customer, line, add_on)
            for line, add_on in zip(lines, add_ons, strict=True)
        ]
        invoice = make_invoice(
            lago_id=invoice_id,
            sequential_id=next_sequence(ctx.store, ctx.org_id, INVOICE_KIND),
            customer=customer,
            currency=currency,
            fees=fees,
            invoice_type="one_off",
            status="finalized",
            issued_at=utcnow(),
            net_payment_term=int(customer.get("net_payment_term") or 0),
        )
        save_invoice(ctx.store, ctx.org_id, invoice)
        _log(ctx, "invoice.one_off_created", invoice)
    return _one(ctx, invoice)


def _add_on(ctx: Ctx, line: Any) -> Record:
    if not isinstance(line, dict) or not line.get("add_on_code"):
        raise validation_error(add_on_code=["value_is_mandatory"])
    add_on = ctx.store.get(ctx.org_id, ADD_ON_KIND, str(line["add_on_code"]))
    if add_on is None:
        raise not_found("add_on")
    return add_on


def _one_off_fee(invoice_id: str, currency: str, customer: Record, line: Record, add_on: Record) -> Record:
    try:
        raw_units = line.get("units")
        units = float(raw_units) if raw_units is not None else 1.0
        unit_amount = int(
            line["unit_amount_cents"] if line.get("unit_amount_cents") is not None else add_on["amount_cents"]
        )
    except (TypeError, ValueError):
        raise validation_error(fees=["invalid_units_or_amount"]) from None
    if units <= 0 or unit_amount < 0:
        raise validation_error(fees=["invalid_units_or_amount"])
    return make_fee(
        invoice_id=invoice_id,
        currency=currency,
        item_type="add_on",
        code=str(add_on["code"]),
        name=str(line.get("invoice_display_name") or add_on.get("name") or add_on["code"]),
        unit_amount_cents=unit_amount,
        units=units,
        customer=customer,
        description=line.get("description") or add_on.get("description"),
        item_id=add_on["lago_id"],
    )


async def invoice_file(request: Request) -> Response:
    """GET /_sandbox/files/{org_id}/invoices/{lago_id}.pdf: the PDF behind `file_url` (like a signed URL)."""
    store = request.app.state.sandbox.store
    org_id, lago_id = request.path_params["org_id"], request.path_params["lago_id"]
    invoice = load_invoice(store, org_id, lago_id)
    if invoice is None or not invoice.get("file_url"):
        return Response("invoice file not found", status_code=404, media_type="text/plain")
    customer = customer_view(store, org_id, invoice)
    name = str(customer.get("name") or customer.get("external_id") or "")
    return Response(invoice_pdf(invoice, name), media_type="application/pdf")


ROUTES: list[BaseRoute] = [
    api_route("/invoices", "GET", list_invoices),
    api_route("/invoices", "POST", create_one_off_invoice),
    api_route("/invoices/preview", "POST", preview),
    api_route("/invoices/{lago_id}", "GET", get_invoice),
    api_route("/invoices/{lago_id}", "PUT", update_invoice),
    api_route("/invoices/{lago_id}/refresh", "PUT", refresh_invoice),
    api_route("/invoices/{lago_id}/finalize", "PUT", finalize_invoice),
    api_route("/invoices/{lago_id}/retry", "POST", retry_invoice),
    api_route("/invoices/{lago_id}/retry_payment", "POST", retry_invoice_payment),
    api_route("/invoices/{lago_id}/void", "POST", void_invoice),
    api_route("/invoices/{lago_id}/download", "POST", download_invoice),
    api_route("/customers/{external_customer_id}/invoices", "GET", list_customer_invoices),
    Route("/_sandbox/files/{org_id}/invoices/{lago_id}.pdf", invoice_file, methods=["GET"]),
]
