"""Compact text renderings of Lago records: one line per listed record, compact JSON for a single record."""

from __future__ import annotations

import json
from typing import Any

Record = dict[str, Any]

# The fields shown, in order, on the one-line summary of each kind (ids first, then what a reader scans for).
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "customer": ("external_id", "name", "email", "country", "currency", "lago_id"),
    "invoice": (
        "number",
        "status",
        "payment_status",
        "payment_overdue",
        "total_amount_cents",
        "total_due_amount_cents",
        "currency",
        "issuing_date",
        "invoice_type",
        "lago_id",
    ),
    "subscription": ("external_id", "status", "plan_code", "external_customer_id", "name", "lago_id"),
    "plan": ("code", "name", "interval", "amount_cents", "amount_currency", "lago_id"),
    "coupon": (
        "code",
        "name",
        "coupon_type",
        "amount_cents",
        "amount_currency",
        "percentage_rate",
        "frequency",
        "status",
        "lago_id",
    ),
    "applied_coupon": ("coupon_code", "external_customer_id", "status", "frequency", "lago_id"),
    "billable_metric": ("code", "name", "aggregation_type", "field_name", "recurring", "lago_id"),
    "event": ("transaction_id", "code", "external_subscription_id", "timestamp", "lago_id"),
    "activity_log": ("activity_id", "activity_type", "activity_source", "user_email", "logged_at"),
    "api_log": ("request_id", "http_method", "request_path", "http_status", "logged_at"),
    "credit_note": (
        "number",
        "credit_status",
        "refund_status",
        "reason",
        "total_amount_cents",
        "currency",
        "lago_invoice_id",
        "lago_id",
    ),
    "payment": ("lago_id", "amount_cents", "amount_currency", "payment_status", "reference", "created_at"),
    "wallet": ("lago_id", "name", "status", "credits_balance", "balance_cents", "currency", "external_customer_id"),
    "wallet_transaction": ("lago_id", "transaction_type", "status", "credit_amount", "amount", "lago_wallet_id"),
    "customer_usage": ("from_datetime", "to_datetime", "amount_cents", "total_amount_cents", "currency"),
}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def summary_line(kind: str, record: Record) -> str:
    """One line: the kind's key fields as `field=value`, the embedded customer's external_id, then the link."""
    parts = [
        f"{field}={_scalar(record[field])}"
        for field in SUMMARY_FIELDS.get(kind, ("lago_id",))
        if record.get(field) not in (None, "", [])
    ]
    customer = record.get("customer")
    if isinstance(customer, dict) and customer.get("external_id") and kind != "customer":
        parts.append(f"customer={customer['external_id']}")
    if record.get("dashboard_url"):
        parts.append(str(record["dashboard_url"]))
    return " | ".join(parts)


_EMPTY: tuple[Any, ...] = (None, "", [], {})


def without_empty(value: Any) -> Any:
    """The value with null, empty-string, empty-list and empty-dict entries removed (recursively)."""
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if isinstance(item, dict | list):
                item = without_empty(item)
            if item not in _EMPTY:
                cleaned[key] = item
        return cleaned
    if isinstance(value, list):
        return [without_empty(item) if isinstance(item, dict | list) else item for item in value]
    return value


def compact_json(value: Any) -> str:
    """JSON without spaces or empty fields: the densest faithful rendering for a model to read."""
    return json.dumps(without_empty(value), separators=(",", ":"), ensure_ascii=False, default=str)


def record_text(kind: str, record: Record, max_chars: int) -> str:
    """A single record: its summary line, then its full compact JSON (cut at `max_chars` with a note)."""
    body = compact_json(record)
    if len(body) > max_chars:
        body = body[:max_chars] + f"… [cut at {max_chars} characters; the full record is in the structured result]"
    return f"{kind}: {summary_line(kind, record)}\n{body}"
