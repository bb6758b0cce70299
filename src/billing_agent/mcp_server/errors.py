"""Every failure of a tool call → an MCP tool error (`isError`) whose text says what to do next."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mcp.types import CallToolResult
from pydantic import ValidationError

from billing_agent.lago import (
    LagoConnectionError,
    LagoError,
    LagoForbiddenError,
    LagoNotAllowedError,
    LagoNotFoundError,
    LagoRateLimitError,
    LagoServerError,
    LagoUnauthorizedError,
    LagoValidationError,
)
from billing_agent.mcp_server.results import error_result

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lookup:
    """How a Lago resource is addressed and how a model can find the right identifier."""

    label: str
    id_field: str
    arguments: tuple[str, ...]
    finder: str


LOOKUPS: dict[str, Lookup] = {
    "customer": Lookup(
        "customer",
        "external_id",
        ("external_customer_id", "customer_external_id", "external_id"),
        "Use list_customers with search_term to find it.",
    ),
    "invoice": Lookup(
        "invoice",
        "lago_id",
        ("invoice_id", "lago_id"),
        "Use find_invoice_by_number (with the invoice number) or list_invoices to get its lago_id.",
    ),
    "subscription": Lookup(
        "subscription",
        "external_id",
        ("external_subscription_id", "external_id"),
        "Use list_customer_subscriptions (or list_subscriptions) to find its external_id.",
    ),
    "plan": Lookup("plan", "code", ("plan_code", "code"), "Use list_plans to see the plan codes."),
    "coupon": Lookup("coupon", "code", ("coupon_code", "code"), "Use list_coupons to see the coupon codes."),
    "applied_coupon": Lookup(
        "applied coupon",
        "lago_id",
        ("applied_coupon_id",),
        "Use list_applied_coupons with external_customer_id to find its lago_id.",
    ),
    "billable_metric": Lookup(
        "billable metric",
        "code",
        ("billable_metric_code", "code"),
        "Use list_billable_metrics to see the metric codes.",
    ),
    "credit_note": Lookup(
        "credit note", "lago_id", ("credit_note_id", "lago_id"), "Use list_credit_notes to find its lago_id."
    ),
    "payment": Lookup("payment", "lago_id", ("payment_id", "lago_id"), "Use list_payments to find its lago_id."),
    "wallet": Lookup(
        "wallet",
        "lago_id",
        ("wallet_id", "lago_id"),
        "Use list_wallets with external_customer_id to find its lago_id.",
    ),
    "event": Lookup(
        "event",
        "transaction_id",
        ("transaction_id",),
        "Use list_events (filter by external_subscription_id or code) to find it.",
    ),
    "activity_log": Lookup(
        "activity log", "activity_id", ("activity_id",), "Use list_activity_logs to find its activity_id."
    ),
    "api_log": Lookup("API log", "request_id", ("request_id",), "Use list_api_logs to find its request_id."),
    "add_on": Lookup("add-on", "code", ("add_on_code",), "Check the add-on codes in the Lago app (Add-ons)."),
    "fee": Lookup("fee", "lago_id", ("fee_id",), "Use get_invoice to see the invoice's fees and their lago_id."),
}

NOT_ALLOWED_EXPLANATIONS = {
    "not_voidable": "only finalized invoices (or credit notes) that are not already voided or fully paid can be voided",
    "invalid_status": "the record's current status does not allow this action",
    "update_on_voided_invoice": "a voided invoice cannot be changed",
    "not_finalized": "the invoice must be finalized first",
    "is_draft": "the invoice is still a draft",
    "already_terminated": "it is already terminated",
}

VALIDATION_CODE_TEXT = {
    "value_already_exist": "already exists",
    "value_is_mandatory": "is required",
    "value_is_invalid": "is invalid",
    "invalid_value": "is invalid",
    "invalid_format": "has an invalid format",
    "url_is_invalid": "is not a valid URL",
    "invalid_date": "is not a valid date",
    "not_found": "was not found",
    "currencies_does_not_match": "does not match the customer's currency (a customer is billed in one currency)",
}

# Tools whose 404 also means "exists, but not in the status this action needs" (Lago answers 404 for both).
STATUS_SCOPED_LOOKUPS = {"finalize_invoice": "draft", "download_invoice": "finalized"}

_ID_CHECK_TOOLS = {
    "invoice": "get_invoice",
    "credit_note": "get_credit_note",
    "subscription": "get_subscription",
    "wallet": "get_wallet",
    "coupon": "get_coupon",
    "customer": "get_customer",
    "plan": "get_plan",
}


def lago_error_result(error: LagoError, tool: str, arguments: Mapping[str, Any]) -> CallToolResult:
    """The tool error for a failed Lago call, with what to do next."""
    where = f"(Lago {error.status or 'no response'} on {error.method} {error.path})".replace("  ", " ")
    message = _lago_message(error, tool, arguments)
    return error_result(f"{message} {where}", _error_data(error))


def _error_data(error: LagoError) -> dict[str, Any]:
    return {
        "error": {
            "status": error.status,
            "code": error.code,
            "details": error.details,
            "method": error.method,
            "path": error.path,
            "type": type(error).__name__,
        }
    }


def _lago_message(error: LagoError, tool: str, arguments: Mapping[str, Any]) -> str:
    if isinstance(error, LagoNotFoundError):
        return _not_found_message(error, tool, arguments)
    if isinstance(error, LagoValidationError):
        return _validation_message(error, tool, arguments)
    if isinstance(error, LagoNotAllowedError):
        return _not_allowed_message(error, tool)
    if isinstance(error, LagoUnauthorizedError):
        return (
            "Lago rejected the API key (401 Unauthorized). Set LAGO_API_KEY (or send the X-LAGO-API-KEY header) to "
            "the organization's API key from Lago → Developers → API keys, matching LAGO_API_URL."
        )
    if isinstance(error, LagoForbiddenError):
        if error.code == "feature_unavailable":
            return f"{tool} needs a Lago premium feature this organization lacks (feature_unavailable)."
        return f"This API key may not do {tool} ({error.code or 'forbidden'}); use a key with that permission."
    if isinstance(error, LagoRateLimitError):
        wait = f" Lago asked to wait {error.retry_after:g} s." if error.retry_after else ""
        return f"Lago's rate limit was hit (429) even after retries.{wait} Wait a few seconds, then call {tool} again."
    if isinstance(error, LagoServerError):
        return (
            f"Lago failed on its side ({error.status}) during {tool}. Retry later; for a write, first check with a "
            "read tool whether it was applied, so it is not done twice."
        )
    if isinstance(error, LagoConnectionError):
        return f"Could not reach Lago for {tool}: {error.message}"
    return f"{tool} failed: {error.message}"


def _not_found_message(error: LagoError, tool: str, arguments: Mapping[str, Any]) -> str:
    code = error.code or "not_found"
    resource = code.removesuffix("_not_found")
    lookup = LOOKUPS.get(resource)
    if lookup is None:
        return f"Lago found no {resource.replace('_', ' ')} ({code}). Check the identifiers passed."
    value = _argument_value(arguments, lookup.arguments)
    status = STATUS_SCOPED_LOOKUPS.get(tool) if resource == "invoice" else None
    label = f"{status} {lookup.label}" if status else lookup.label
    if value is None:
        return f"No such {label} ({code}). {lookup.finder}"
    message = f"No {label} with {lookup.id_field} '{value}' ({code})."
    if status:
        return f"{message} {tool} only works on {status} invoices: check the status with get_invoice."
    return f"{message} {lookup.finder}"


def _argument_value(arguments: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    """The identifier the call passed under one of `names`, at the top level or inside nested objects/lists."""
    for name in names:
        if arguments.get(name) not in (None, ""):
            return str(arguments[name])
    found = sorted({str(v) for v in _nested_values(arguments, names)})
    return "', '".join(found) if found else None


def _nested_values(value: Any, names: tuple[str, ...]) -> list[Any]:
    if isinstance(value, Mapping):
        direct = [value[name] for name in names if value.get(name) not in (None, "")]
        return direct + [item for child in value.values() for item in _nested_values(child, names)]
    if isinstance(value, list):
        return [item for child in value for item in _nested_values(child, names)]
    return []


def _validation_message(error: LagoError, tool: str, arguments: Mapping[str, Any]) -> str:
    details = error.details or {}
    if "transaction_id" in details and "value_already_exist" in _as_list(details["transaction_id"]):
        transaction_id = arguments.get("transaction_id", "")
        return (
            f"An event with transaction_id '{transaction_id}' already exists (value_already_exist); Lago keeps the "
            "first one. Use a new transaction_id for new usage, or get_event to inspect the existing one."
        )
    problems = "; ".join(f"{field} {_code_text(codes)}" for field, codes in details.items()) or (
        error.code or "validation_errors"
    )
    return f"Lago rejected {tool} ({error.code or 'validation_errors'}): {problems}. Fix those fields and try again."


def _not_allowed_message(error: LagoError, tool: str) -> str:
    code = error.code or "not_allowed"
    explanation = NOT_ALLOWED_EXPLANATIONS.get(code, "the record's current state does not allow this action")
    resource = next((name for name in _ID_CHECK_TOOLS if name in tool), None)
    check = f" Check its status with {_ID_CHECK_TOOLS[resource]}." if resource else ""
    return f"Lago refused {tool} ({code}): {explanation}.{check}"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _code_text(codes: Any) -> str:
    return ", ".join(VALIDATION_CODE_TEXT.get(str(code), str(code)) for code in _as_list(codes))


def invalid_arguments_result(
    tool: str, error: ValidationError | ValueError, parameters: Iterable[str]
) -> CallToolResult:
    """The tool error for arguments that do not fit the tool's schema."""
    if isinstance(error, ValidationError):
        problems = "; ".join(_describe_problem(problem) for problem in error.errors())
    else:
        problems = str(error)
    return error_result(
        f"Invalid arguments for {tool}: {problems}. Accepted parameters: {', '.join(parameters) or 'none'}. "
        f"Fix them and call {tool} again."
    )


def _describe_problem(problem: Mapping[str, Any]) -> str:
    location = ".".join(str(part) for part in problem.get("loc", ())) or "arguments"
    text = f"{location}: {problem.get('msg', 'invalid')}"
    if problem.get("type") != "missing" and "input" in problem:
        shown = repr(problem["input"])
        text += f" (got {shown[:80]})"
    return text


def unknown_arguments_result(tool: str, unknown: Iterable[str], parameters: list[str]) -> CallToolResult:
    """The tool error for argument names the tool does not have (never silently ignored)."""
    described = []
    for name in sorted(unknown):
        close = difflib.get_close_matches(name, parameters, n=1, cutoff=0.5)
        described.append(f"'{name}' (did you mean '{close[0]}'?)" if close else f"'{name}'")
    return error_result(
        f"Unknown argument(s) for {tool}: {', '.join(described)}. Accepted parameters: "
        f"{', '.join(parameters) or 'none'}. Call {tool} again with those names."
    )


MAX_QUERY_ARG_CHARS = 2_000
"""Longest text argument of a read tool: it travels in the URL, which Lago (and proxies) cap at a few KB."""


def oversized_arguments_result(tool: str, arguments: dict[str, Any]) -> CallToolResult | None:
    """The tool error for text arguments too long for a query string (None when every one fits)."""
    long = {k: len(v) for k, v in arguments.items() if isinstance(v, str) and len(v) > MAX_QUERY_ARG_CHARS}
    if not long:
        return None
    described = ", ".join(f"'{name}' has {size:,} characters" for name, size in sorted(long.items()))
    return error_result(
        f"Invalid arguments for {tool}: {described}; at most {MAX_QUERY_ARG_CHARS:,} are accepted. Search with a "
        "shorter term (a name, an email or an id)."
    )


def unknown_tool_result(tool: str, names: list[str]) -> CallToolResult:
    """The tool error for a tool name this server does not serve."""
    close = difflib.get_close_matches(tool, names, n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return error_result(f"There is no tool named '{tool}'.{hint} List the tools to see the {len(names)} available.")


def internal_error_result(tool: str, error: BaseException) -> CallToolResult:
    """The tool error for a bug in this server (logged with its traceback, never hidden)."""
    logger.error("tool %s failed", tool, exc_info=error)
    return error_result(
        f"Internal error in the Lago MCP server while running {tool} ({type(error).__name__}: {error}). "
        "Your arguments may be fine; try again once, then report this error."
    )
