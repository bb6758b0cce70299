"""Typed errors built from Lago's error envelopes (`{status, error, code, error_details}`)."""

from __future__ import annotations

import json
from typing import Any

import httpx

_BODY_SNIPPET = 200


class LagoError(Exception):
    """An error answered by (or on the way to) the Lago API.

    Attributes:
        status: HTTP status (0 when no response arrived).
        code: Lago's machine code, e.g. `customer_not_found` (None when Lago sent none).
        details: Lago's `error_details` (per-field validation codes), when sent.
        message: what happened and what to do, safe to show to a user (never contains the API key).
        method: HTTP method of the failed request.
        path: request path relative to the API root, e.g. `/customers/acme`.
        error: Lago's `error` text, e.g. `Not Found`.
    """

    hint = "check the request and try again"

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        method: str = "",
        path: str = "",
        error: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.details = details
        self.method = method
        self.path = path
        self.error = error


class LagoBadRequestError(LagoError):
    """400: the request was malformed (missing envelope, bad parameter)."""

    hint = "fix the request parameters"


class LagoUnauthorizedError(LagoError):
    """401: the API key is missing, wrong or belongs to no organization."""

    hint = "check LAGO_API_KEY (Lago app → Developers → API keys) and that it matches LAGO_API_URL"


class LagoForbiddenError(LagoError):
    """403: the key may not do this (key permissions or a premium feature)."""

    hint = "use a key with this permission, or enable the feature on the Lago plan"


class LagoNotFoundError(LagoError):
    """404: the addressed record does not exist in this organization."""

    hint = "check the identifier (list the records to find the right one)"


class LagoNotAllowedError(LagoError):
    """405: the record's current state forbids the action (e.g. `not_voidable`, `invalid_status`)."""

    hint = "the record's current status does not allow this action; fetch it to see its status"


class LagoValidationError(LagoError):
    """422: Lago rejected fields; `details` maps each field to its error codes."""

    hint = "fix the listed fields and send again"


class LagoRateLimitError(LagoError):
    """429 after the client's rate-limit retries ran out (or the wait asked for was too long).

    Attributes:
        retry_after: seconds Lago asked to wait, when it said.
    """

    hint = "slow down (fewer concurrent requests) or retry later"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class LagoServerError(LagoError):
    """5xx after the client's retries (writes that may have been applied are not retried)."""

    hint = "Lago failed on its side; retry later"


class LagoConnectionError(LagoError):
    """The request did not get a response: connection refused, timeout, broken connection."""

    hint = "check LAGO_API_URL and that the Lago server is running and reachable"


_BY_STATUS: dict[int, type[LagoError]] = {
    400: LagoBadRequestError,
    401: LagoUnauthorizedError,
    403: LagoForbiddenError,
    404: LagoNotFoundError,
    405: LagoNotAllowedError,
    422: LagoValidationError,
    429: LagoRateLimitError,
}


def error_class(status: int) -> type[LagoError]:
    """The error type for an HTTP status."""
    if status >= 500:
        return LagoServerError
    return _BY_STATUS.get(status, LagoError)


NOT_REPEATED = "it was not repeated automatically because it may have been applied; check before sending it again"
MAYBE_APPLIED = "an earlier attempt got no usable answer and may already have applied this; fetch the record to check"


def error_from_response(
    response: httpx.Response,
    method: str,
    path: str,
    *,
    retries: int = 0,
    retry_after: float | None = None,
    note: str | None = None,
) -> LagoError:
    """Build the typed error for a failed response, e.g. `Lago 404 customer_not_found on GET /customers/acme`.

    Args:
        response: the failed response.
        method: HTTP method sent.
        path: path relative to the API root.
        retries: how many retries were made before giving up.
        retry_after: seconds Lago asked to wait (429).
        note: an extra sentence for the user (e.g. why the request was not repeated).
    """
    status = response.status_code
    body = _json_object(response)
    code = _str_or_none(body.get("code")) if body is not None else None
    error_text = _str_or_none(body.get("error")) if body is not None else None
    details = body.get("error_details") if body is not None else None
    if details is not None and not isinstance(details, dict):
        details = {"detail": details}
    cls = error_class(status)
    what = _describe(code, error_text, details, body is None, response)
    message = f"Lago {status} {what} on {method} {path}"
    if retries:
        message += f" (after {retries} {'retry' if retries == 1 else 'retries'})"
    message += f": {cls.hint}" + (f"; {note}." if note else ".")
    kwargs: dict[str, Any] = {
        "status": status,
        "code": code,
        "details": details,
        "method": method,
        "path": path,
        "error": error_text,
    }
    if cls is LagoRateLimitError:
        return LagoRateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)


def connection_error(
    error: httpx.TransportError, base_url: str, method: str, path: str, retries: int, note: str | None = None
) -> LagoError:
    """Build the error for a request that got no response (`note`: an extra sentence for the user)."""
    kind = type(error).__name__
    detail = str(error) or kind
    message = f"Could not get a response from Lago at {base_url} for {method} {path} ({kind}: {detail})"
    if retries:
        message += f" after {retries} {'retry' if retries == 1 else 'retries'}"
    message += f": {LagoConnectionError.hint}" + (f"; {note}." if note else ".")
    return LagoConnectionError(message, method=method, path=path)


def _describe(
    code: str | None,
    error_text: str | None,
    details: dict[str, Any] | None,
    not_json: bool,
    response: httpx.Response,
) -> str:
    if not_json:
        snippet = " ".join(response.text.split())[:_BODY_SNIPPET]
        return f"{response.reason_phrase or 'error'} (non-JSON body: {snippet!r})" if snippet else "(empty body)"
    parts = [code or error_text or response.reason_phrase or "error"]
    if details:
        parts.append("— " + "; ".join(f"{field}: {_codes(value)}" for field, value in details.items()))
    return " ".join(parts)


def _codes(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
