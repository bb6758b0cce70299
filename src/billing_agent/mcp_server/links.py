"""Links into the Lago web app for every record a tool returns (`dashboard_url`).

Path patterns follow getlago/lago-front's router (`src/core/router/`, devtools routes for logs and events).
The front base may carry an organization slug (e.g. `https://app.getlago.com/acme`); paths are appended to it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

Record = dict[str, Any]


class DashboardLinks:
    """Builds `dashboard_url` values from a front base URL such as `https://app.getlago.com`."""

    def __init__(self, front_url: str) -> None:
        self.base = front_url.rstrip("/")

    def url(self, path: str) -> str:
        """Absolute URL of an app path (`/customers` → `https://app.getlago.com/customers`)."""
        return f"{self.base}{path}"

    def for_record(self, kind: str, record: Record) -> str:
        """The page showing this record, or the list page of its kind when the record lacks the ids needed."""
        path = _record_path(kind, record)
        return self.url(path if path else _LIST_PATHS.get(kind, "/"))

    def attach(self, kind: str, record: Record) -> Record:
        """Add `dashboard_url` to the record and to its embedded customer (returns the same dict)."""
        customer = record.get("customer")
        if isinstance(customer, dict) and customer.get("lago_id"):
            customer["dashboard_url"] = self.for_record("customer", customer)
        record["dashboard_url"] = self.for_record(kind, record)
        return record


_LIST_PATHS = {
    "customer": "/customers",
    "invoice": "/invoices",
    "credit_note": "/credit-notes",
    "payment": "/payments",
    "subscription": "/subscriptions",
    "plan": "/plans",
    "coupon": "/coupons",
    "applied_coupon": "/coupons",
    "billable_metric": "/billable-metrics",
    "event": "/devtool/events",
    "activity_log": "/devtool/activity-logs",
    "api_log": "/devtool/api-logs",
    "wallet": "/customers",
    "wallet_transaction": "/customers",
    "customer_usage": "/customers",
}


def _segment(value: Any) -> str:
    return quote(str(value), safe="")


def _customer_id(record: Record) -> str | None:
    customer = record.get("customer")
    if isinstance(customer, dict) and customer.get("lago_id"):
        return str(customer["lago_id"])
    value = record.get("lago_customer_id")
    return str(value) if value else None


def _record_path(kind: str, record: Record) -> str | None:
    own = record.get("lago_id")
    customer = _customer_id(record)
    if kind == "customer" and own:
        return f"/customer/{_segment(own)}"
    if kind == "invoice" and own:
        if customer:
            return f"/customer/{_segment(customer)}/invoice/{_segment(own)}/overview"
        return None
    if kind == "credit_note" and own and customer:
        return f"/customer/{_segment(customer)}/credit-notes/{_segment(own)}"
    if kind == "subscription" and own and customer:
        return f"/customer/{_segment(customer)}/subscription/{_segment(own)}/overview"
    if kind == "wallet" and own and customer:
        return f"/customer/{_segment(customer)}/wallet-details/{_segment(own)}/overview"
    if kind == "wallet_transaction" and customer and record.get("lago_wallet_id"):
        return f"/customer/{_segment(customer)}/wallet-details/{_segment(record['lago_wallet_id'])}/transactions"
    if kind == "applied_coupon" and customer:
        return f"/customer/{_segment(customer)}/coupons"
    if kind == "customer_usage" and customer:
        return f"/customer/{_segment(customer)}/usage"
    return _catalogue_path(kind, record, own)


def _catalogue_path(kind: str, record: Record, own: Any) -> str | None:
    if kind == "plan" and own:
        return f"/plan/{_segment(own)}/overview"
    if kind == "coupon" and own:
        return f"/coupon/{_segment(own)}/overview"
    if kind == "billable_metric" and own:
        return f"/billable-metric/{_segment(own)}/overview"
    if kind == "payment" and own:
        return f"/payment/{_segment(own)}"
    if kind == "event" and record.get("transaction_id"):
        return f"/devtool/events/{_segment(record['transaction_id'])}"
    if kind == "activity_log" and record.get("activity_id"):
        return f"/devtool/activity-logs/{_segment(record['activity_id'])}"
    if kind == "api_log" and record.get("request_id"):
        return f"/devtool/api-logs/{_segment(record['request_id'])}"
    return None
