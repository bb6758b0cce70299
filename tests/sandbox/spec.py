"""Validate sandbox HTTP responses against Lago's official OpenAPI spec with openapi-core.

`load_spec` reads the spec once, applies the narrow, documented corrections in `SPEC_CORRECTIONS`
(places where the published spec contradicts what Lago's API actually sends), and builds an
`openapi_core.OpenAPI`. `validate_exchange` checks one real httpx response (status + body) against the
operation its request addresses. Paths are rewritten to the spec's first server so the sandbox's
random port does not matter.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from werkzeug.datastructures import Headers, ImmutableMultiDict

SpecDict = dict[str, Any]


@dataclass(frozen=True)
class SpecCorrection:
    """One narrow change to the published spec, with the reason it is wrong."""

    where: str
    reason: str
    apply: Callable[[SpecDict], None]


def _schema(spec: SpecDict, name: str) -> SpecDict:
    schema: SpecDict = spec["components"]["schemas"][name]
    return schema


def _base_invoice_props(spec: SpecDict) -> SpecDict:
    props: SpecDict = _schema(spec, "InvoiceBaseObject")["properties"]
    return props


def _make_nullable(prop: SpecDict) -> None:
    kind = prop.get("type")
    if isinstance(kind, str):
        prop["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        prop["type"] = [*kind, "null"]


def _add_response(path: str, method: str, status: str, ref: str) -> Callable[[SpecDict], None]:
    def apply(spec: SpecDict) -> None:
        spec["paths"][path][method]["responses"][status] = {"$ref": ref}

    return apply


def _combine(*appliers: Callable[[SpecDict], None]) -> Callable[[SpecDict], None]:
    def apply(spec: SpecDict) -> None:
        for applier in appliers:
            applier(spec)

    return apply


def _nullable_invoice_fields(*names: str) -> Callable[[SpecDict], None]:
    def apply(spec: SpecDict) -> None:
        for name in names:
            _make_nullable(_base_invoice_props(spec)[name])

    return apply


def _null_in_enum(schema: str, prop: str) -> Callable[[SpecDict], None]:
    def apply(spec: SpecDict) -> None:
        field = _schema(spec, schema)["properties"][prop]
        field["enum"] = [*field["enum"], None]

    return apply


def _wrap_show(path: str, root: str, schema: str) -> Callable[[SpecDict], None]:
    def apply(spec: SpecDict) -> None:
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        content["schema"] = {
            "type": "object",
            "required": [root],
            "properties": {root: {"$ref": f"#/components/schemas/{schema}"}},
        }

    return apply


def _manual_payment_fields(spec: SpecDict) -> None:
    props = _schema(spec, "PaymentObject")["properties"]
    for name in ("payment_provider_code", "payment_provider_type", "provider_customer_id", "reference"):
        _make_nullable(props[name])
    if "enum" in props["payment_provider_type"]:
        props["payment_provider_type"]["enum"] = [*props["payment_provider_type"]["enum"], None]


SPEC_CORRECTIONS: tuple[SpecCorrection, ...] = (
    SpecCorrection(
        "InvoiceBaseObject.file_url / payment_dispute_lost_at",
        "Lago's InvoiceSerializer sends `file_url: null` until the PDF exists and `payment_dispute_lost_at: null` "
        "unless a dispute was lost; the spec types both as non-null strings.",
        _nullable_invoice_fields("file_url", "payment_dispute_lost_at"),
    ),
    SpecCorrection(
        "InvoiceBaseObject.payment_due_date / net_payment_term",
        "Lago's InvoiceSerializer sends `payment_due_date&.iso8601` and `net_payment_term`, null for drafts "
        "of customers without terms; the spec omits null.",
        _nullable_invoice_fields("payment_due_date", "net_payment_term"),
    ),
    SpecCorrection(
        "POST /invoices/{lago_id}/void → 405",
        "Invoices::VoidService answers `not_allowed_failure!(code: 'not_voidable')` (405) for an invoice that is "
        "not finalized or already voided; the spec lists no 405 for this operation.",
        _add_response("/invoices/{lago_id}/void", "post", "405", "#/components/responses/NotAllowed"),
    ),
    SpecCorrection(
        "POST /invoices/{lago_id}/retry → 405",
        "Invoices::RetryService answers 405 `invalid_status` unless the invoice failed; the spec lists no 405.",
        _add_response("/invoices/{lago_id}/retry", "post", "405", "#/components/responses/NotAllowed"),
    ),
    SpecCorrection(
        "PUT /invoices/{lago_id} → 405",
        "InvoicesController#update answers 405 `update_on_voided_invoice` for a voided invoice; the spec lists no 405.",
        _add_response("/invoices/{lago_id}", "put", "405", "#/components/responses/NotAllowed"),
    ),
    SpecCorrection(
        "POST /invoices/preview, POST /payments, POST /credit_notes → 404 / 422",
        "Lago answers 404 `customer_not_found` / `invoice_not_found` when the referenced record is missing, "
        "422 for invalid preview input and 405 `invalid_type_or_status` for a credit note on an invoice that "
        "cannot take one (CreditNotes::CreateService); the spec lists none of these.",
        _combine(
            _add_response("/invoices/preview", "post", "422", "#/components/responses/UnprocessableEntity"),
            _add_response("/payments", "post", "404", "#/components/responses/NotFound"),
            _add_response("/credit_notes", "post", "404", "#/components/responses/NotFound"),
            _add_response("/credit_notes", "post", "405", "#/components/responses/NotAllowed"),
            _add_response("/invoices", "post", "404", "#/components/responses/NotFound"),
        ),
    ),
    SpecCorrection(
        "GET /invoices → 422",
        "InvoicesQuery validates `status(es)`, `payment_status(es)` and `payment_overdue` with "
        "InvoicesQueryFiltersContract and answers 422 `validation_errors`; the spec documents that 422 for "
        "GET /customers/{id}/invoices only.",
        _add_response("/invoices", "get", "422", "#/components/responses/UnprocessableEntity"),
    ),
    SpecCorrection(
        "SubscriptionObject.on_termination_credit_note",
        "The spec types it `[string, 'null']` but its enum omits null, so the null Lago sends for pay-in-arrears "
        "plans can never validate.",
        _null_in_enum("SubscriptionObject", "on_termination_credit_note"),
    ),
    SpecCorrection(
        "GET /payments/{lago_id}",
        "PaymentsController#show renders `PaymentSerializer(root_name: 'payment')`, i.e. `{\"payment\": {...}}`; "
        "the spec documents the bare object.",
        _wrap_show("/payments/{lago_id}", "payment", "PaymentObject"),
    ),
    SpecCorrection(
        "GET /wallet_transactions/{lago_id}",
        "WalletTransactionsController#show renders `WalletTransactionSerializer(root_name: 'wallet_transaction')`, "
        'i.e. `{"wallet_transaction": {...}}`; the spec documents the bare object.',
        _wrap_show("/wallet_transactions/{lago_id}", "wallet_transaction", "WalletTransactionObject"),
    ),
    SpecCorrection(
        "PaymentObject provider fields",
        "A manual payment has no payment provider: PaymentSerializer sends `payment_provider&.code`, "
        "`payment_provider&.type` and `payment_provider_customer&.provider_customer_id` as null, and a "
        "provider payment has no `reference` (null); the spec makes them required non-null strings.",
        _manual_payment_fields,
    ),
)


@functools.cache
def _published_text(path: Path) -> str:
    """The published spec as JSON text (parsed once per path; callers get fresh copies with `json.loads`)."""
    with path.open("rb") as handle:
        spec = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return json.dumps(spec, default=str)


def published_spec(path: Path) -> SpecDict:
    """A fresh, uncorrected copy of the published spec."""
    spec: SpecDict = json.loads(_published_text(path))
    return spec


def load_spec(path: Path, corrections: tuple[SpecCorrection, ...] = SPEC_CORRECTIONS) -> OpenAPI:
    """Read the spec file, apply `corrections`, and build the openapi-core validator."""
    spec = published_spec(path)
    for correction in corrections:
        correction.apply(spec)
    return OpenAPI.from_dict(spec)


def spec_operations(path: Path) -> dict[tuple[str, str], set[int]]:
    """Every (METHOD, normalized path) the published spec documents, with its documented status codes."""
    spec = published_spec(path)
    return {
        (method.upper(), normalize_path(route)): {int(code) for code in operation.get("responses", {})}
        for route, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def normalize_path(path: str) -> str:
    """`/customers/{external_id}/invoices` → `/customers/{}/invoices` (parameter names differ between sources)."""
    return re.sub(r"\{[^}]+\}", "{}", path)


@dataclass
class _SpecRequest:
    """openapi-core's Request protocol over a sent httpx request, moved onto the spec's server."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters = field(default_factory=RequestParameters)


@dataclass
class _SpecResponse:
    """openapi-core's Response protocol over an httpx response."""

    data: bytes | None
    status_code: int
    content_type: str
    headers: Headers


SPEC_HOST = "https://api.getlago.com"


def as_spec_request(request: httpx.Request) -> _SpecRequest:
    """Adapt a sent httpx request for openapi-core (the spec's server stands in for the sandbox's host)."""
    url = urlsplit(str(request.url))
    query = ImmutableMultiDict(httpx.QueryParams(url.query).multi_items())
    return _SpecRequest(
        host_url=SPEC_HOST,
        path=url.path,
        method=request.method.lower(),
        body=request.content or None,
        content_type=request.headers.get("content-type", "application/json"),
        parameters=RequestParameters(query=query, header=Headers(list(request.headers.items()))),
    )


def as_spec_response(response: httpx.Response) -> _SpecResponse:
    """Adapt an httpx response for openapi-core."""
    return _SpecResponse(
        data=response.content or None,
        status_code=response.status_code,
        content_type=response.headers.get("content-type", "application/json"),
        headers=Headers(list(response.headers.items())),
    )


def validate_exchange(spec: OpenAPI, response: httpx.Response) -> None:
    """Fail with a readable list of schema errors when `response` does not match the spec for its request."""
    try:
        spec.validate_response(as_spec_request(response.request), as_spec_response(response))
    except OpenAPIError as error:
        request = response.request
        raise AssertionError(
            f"{request.method} {request.url.path} → {response.status_code} does not match the spec: "
            + "; ".join(describe(error))
        ) from None


def describe(error: BaseException, limit: int = 12) -> list[str]:
    """The innermost schema errors behind an openapi-core error, as `path: message` lines."""
    schema_errors = getattr(error.__cause__, "schema_errors", None) or getattr(error, "schema_errors", None)
    if not schema_errors:
        return [f"{type(error).__name__}: {error}"[:500]]
    lines: list[str] = []
    pending: list[Any] = list(schema_errors)
    while pending and len(lines) < limit:
        item = pending.pop(0)
        if getattr(item, "context", None):
            pending[:0] = list(item.context)
            continue
        path = "/".join(str(part) for part in item.absolute_path)
        lines.append(f"{path or '<body>'}: {item.message[:200]}")
    return sorted(set(lines))
