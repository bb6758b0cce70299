"""Markdown rendering of structured results: tables, money from cents, links to the Lago web app."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from billing_agent.graph.records import Records

MAX_ROWS = 25
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
_ZERO_DECIMAL = {"JPY", "KRW", "CLP", "VND", "ISK", "XOF", "XAF"}

COLUMNS: dict[str, tuple[str, ...]] = {
    "invoices": ("number", "customer", "status", "payment_status", "issuing_date", "total_amount_cents"),
    "customers": ("name", "external_id", "email", "country", "currency"),
    "subscriptions": ("external_id", "external_customer_id", "plan_code", "status", "started_at"),
    "plans": ("name", "code", "interval", "amount_cents"),
    "coupons": ("name", "code", "coupon_type", "amount_cents", "percentage_rate", "frequency"),
    "applied_coupons": ("coupon_code", "external_customer_id", "status", "amount_cents", "percentage_rate"),
    "payments": ("lago_id", "invoice_ids", "amount_cents", "payment_status", "created_at"),
    "credit_notes": ("number", "invoice_number", "total_amount_cents", "credit_status", "refund_status"),
    "activity_logs": ("logged_at", "activity_type", "resource_type", "activity_source", "user_email"),
    "api_logs": ("logged_at", "http_method", "request_path", "http_status"),
    "events": ("transaction_id", "code", "external_subscription_id", "timestamp"),
    "billable_metrics": ("name", "code", "aggregation_type", "field_name"),
    "wallets": ("name", "external_customer_id", "status", "balance_cents", "credits_balance"),
    "customer_usage": ("from_datetime", "to_datetime", "amount_cents", "taxes_amount_cents", "total_amount_cents"),
}
_SINGULAR_TO_PLURAL = {
    "invoice": "invoices",
    "customer": "customers",
    "subscription": "subscriptions",
    "plan": "plans",
    "coupon": "coupons",
    "applied_coupon": "applied_coupons",
    "payment": "payments",
    "credit_note": "credit_notes",
    "activity_log": "activity_logs",
    "api_log": "api_logs",
    "event": "events",
    "billable_metric": "billable_metrics",
    "wallet": "wallets",
    "current_usage": "customer_usage",
    "usage": "customer_usage",
}
_HIDDEN = {"lago_id", "dashboard_url", "metadata", "lago_customer_id", "organization_id"}


def format_money(cents: int | float | str, currency: str | None, *, compact: bool = False) -> str:
    """`250000, "USD"` → `$2,500.00` (`$2,500` when `compact`); other currencies keep their code (`1,234.50 CAD`)."""
    code = (currency or "").upper()
    amount = Decimal(str(cents))
    if code not in _ZERO_DECIMAL:
        amount = amount / 100
    places = "1" if code in _ZERO_DECIMAL else "0.01"
    text = f"{amount.quantize(Decimal(places)):,}"
    if compact and text.endswith(".00"):
        text = text[:-3]
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    if code in _SYMBOLS:
        return f"{sign}{_SYMBOLS[code]}{text}"
    return f"{sign}{text} {code}".rstrip()


def _currency_for(record: dict[str, Any], column: str) -> str | None:
    stem = column.removesuffix("_amount_cents").removesuffix("_cents")
    for key in (f"{stem}_currency", "currency", "amount_currency"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _cell_text(record: dict[str, Any], column: str) -> str:
    value = record.get(column)
    if value is None:
        return ""
    if column.endswith("_cents") and isinstance(value, int | float | str) and str(value).lstrip("-").isdigit():
        return format_money(value, _currency_for(record, column))
    if isinstance(value, dict):
        label = value.get("name") or value.get("external_id") or value.get("code") or value.get("lago_id")
        return str(label or "")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if not isinstance(v, dict | list))
    return str(value)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def _link(text: str, url: Any) -> str:
    if isinstance(url, str) and url.startswith(("http://", "https://")) and text:
        return f"[{text.replace(']', ')').replace('[', '(')}]({url.replace(' ', '%20').replace(')', '%29')})"
    return text


def columns_for(records: Records) -> list[str]:
    """The columns shown for these records: the kind's preferred ones that occur, else the first scalars."""
    kind = _SINGULAR_TO_PLURAL.get(records.kind, records.kind)
    present = {key for item in records.items for key, value in item.items() if value not in (None, "", [])}
    preferred = [c for c in COLUMNS.get(kind, ()) if c in present]
    if preferred:
        return preferred
    scalars: list[str] = []
    for item in records.items:
        for key, value in item.items():
            if key not in _HIDDEN and key not in scalars and not isinstance(value, dict | list) and value is not None:
                scalars.append(key)
    return scalars[:6]


def _label(column: str) -> str:
    return column.removesuffix("_cents").replace("_", " ").capitalize()


def render_table(records: Records) -> str:
    """A markdown table of the records; the first column links to the record's `dashboard_url`."""
    if not records.items:
        return "_No records found._"
    columns = columns_for(records)
    if not columns:
        return ""
    lines = ["| " + " | ".join(_label(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    for item in records.items[:MAX_ROWS]:
        cells = [_escape(_cell_text(item, c)) for c in columns]
        cells[0] = _link(cells[0], item.get("dashboard_url"))
        lines.append("| " + " | ".join(cells) + " |")
    shown = min(len(records.items), MAX_ROWS)
    total = records.total_count if records.total_count is not None else len(records.items)
    if total > shown:
        lines.append("")
        lines.append(f"_Showing {shown} of {total}. Ask for the next page or narrow the request to see more._")
    return "\n".join(lines)


def render_record(records: Records) -> str:
    """A two-column field/value table for a single record, its identifier linked to the web app."""
    item = records.items[0]
    rows = []
    for column in columns_for(records) or [k for k in item if k not in _HIDDEN][:8]:
        text = _escape(_cell_text(item, column))
        if text:
            rows.append(f"| {_label(column)} | {text} |")
    link = item.get("dashboard_url")
    if isinstance(link, str) and link.startswith(("http://", "https://")):
        rows.append(f"| Link | [Open in Lago]({link}) |")
    pdf = item.get("file_url")
    if isinstance(pdf, str) and pdf.startswith(("http://", "https://")):
        rows.append(f"| PDF | [Download]({pdf}) |")
    if not rows:
        return ""
    return "\n".join(["| Field | Value |", "|---|---|", *rows])


def render_records(records: Records) -> str:
    """A table for a list, a field/value table for a single record."""
    return render_record(records) if records.single and records.items else render_table(records)
