"""Every error type the sandbox can answer, mapped to the client's typed errors (real HTTP)."""

from __future__ import annotations

import pytest

from billing_agent.lago import (
    LagoBadRequestError,
    LagoClient,
    LagoNotAllowedError,
    LagoNotFoundError,
    LagoUnauthorizedError,
    LagoValidationError,
)
from billing_agent.sandbox import SandboxServer

WRONG_KEY = "not-a-real-key-123"


async def test_unknown_key_is_unauthorized_and_never_echoed(sandbox_server: SandboxServer) -> None:
    async with LagoClient(sandbox_server.api_url, WRONG_KEY) as lago:
        with pytest.raises(LagoUnauthorizedError) as caught:
            await lago.list_customers()
    error = caught.value
    assert (error.status, error.method, error.path) == (401, "GET", "/customers")
    assert str(error).startswith("Lago 401 Unauthorized on GET /customers: check LAGO_API_KEY")
    assert WRONG_KEY not in str(error) and WRONG_KEY not in repr(error.__dict__)


async def test_missing_customer_is_not_found_with_lago_code(lago: LagoClient) -> None:
    with pytest.raises(LagoNotFoundError) as caught:
        await lago.get_customer("no_such_customer")
    assert caught.value.code == "customer_not_found"
    assert str(caught.value) == (
        "Lago 404 customer_not_found on GET /customers/no_such_customer: "
        "check the identifier (list the records to find the right one)."
    )


async def test_invalid_fields_are_a_validation_error_with_details(lago: LagoClient) -> None:
    with pytest.raises(LagoValidationError) as caught:
        await lago.create_customer({"external_id": "bad_email_co", "email": "not-an-email", "currency": "XXX"})
    error = caught.value
    assert error.status == 422 and error.code == "validation_errors"
    assert error.details is not None
    assert "invalid_format" in error.details["email"]
    assert "email: invalid_format" in str(error) and str(error).endswith("fix the listed fields and send again.")


async def test_lifecycle_violation_is_not_allowed(lago: LagoClient) -> None:
    drafts = await lago.list_invoices(status="draft", per_page=1)
    assert drafts.items, "the demo seed has draft invoices"
    with pytest.raises(LagoNotAllowedError) as caught:
        await lago.void_invoice(drafts.items[0].lago_id)
    assert (caught.value.status, caught.value.code) == (405, "not_voidable")
    assert "current status does not allow this action" in str(caught.value)


async def test_missing_envelope_is_a_bad_request(lago: LagoClient) -> None:
    with pytest.raises(LagoBadRequestError) as caught:
        await lago.request("POST", "/customers", json={"external_id": "no_envelope"})
    assert caught.value.status == 400
    assert caught.value.error is not None and caught.value.error.startswith("BadRequest:")
    assert str(caught.value).startswith("Lago 400 BadRequest: ")


async def test_empty_identifiers_fail_before_any_request(lago: LagoClient) -> None:
    with pytest.raises(ValueError, match="external_id must be a non-empty string"):
        await lago.get_customer("  ")
    with pytest.raises(ValueError, match="at most 100 events per batch"):
        await lago.send_events_batch([{"transaction_id": f"t{n}", "code": "c"} for n in range(101)])
    assert lago.stats.requests == 0
