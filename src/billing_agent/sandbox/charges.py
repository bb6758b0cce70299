"""Plan charges: building them from requests, validating their properties, and pricing usage with them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from billing_agent.sandbox import kinds
from billing_agent.sandbox.http import not_found
from billing_agent.sandbox.store import Record, SandboxStore, new_id
from billing_agent.sandbox.validation import Checker, to_decimal

CHARGE_MODELS = ("standard", "graduated", "graduated_percentage", "package", "percentage", "volume", "dynamic")


def validate_charge(data: dict[str, Any], check: Checker) -> None:
    """Add Lago's error codes for a charge whose model or properties are wrong."""
    if data.get("charge_model") not in CHARGE_MODELS:
        check.add("charge_model", "value_is_invalid")
        return
    props = data.get("properties") or {}
    model = data["charge_model"]
    if model in ("standard", "package") and to_decimal(props.get("amount")) is None:
        check.add("amount", "invalid_amount")
    if model == "package":
        size = props.get("package_size")
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            check.add("package_size", "invalid_package_size")
    if model == "percentage" and to_decimal(props.get("rate")) is None:
        check.add("rate", "invalid_rate")
    for model_name, key in (("graduated", "graduated_ranges"), ("volume", "volume_ranges")):
        if model == model_name and not props.get(key):
            check.add(key, f"missing_{key}")


def build_charge(store: SandboxStore, org_id: str, data: dict[str, Any], created_at: str) -> Record:
    """A charge of a plan; its billable metric is named by `billable_metric_id` or `billable_metric_code`."""
    metric = _metric(store, org_id, data)
    return {
        "lago_id": str(data.get("id") or new_id()),
        "lago_billable_metric_id": metric["lago_id"],
        "code": data.get("code") or metric["code"],
        "billable_metric_code": metric["code"],
        "invoice_display_name": data.get("invoice_display_name"),
        "created_at": created_at,
        "charge_model": data["charge_model"],
        "pay_in_advance": bool(data.get("pay_in_advance", False)),
        "invoiceable": bool(data.get("invoiceable", True)),
        "regroup_paid_fees": None,
        "prorated": bool(data.get("prorated", False)),
        "min_amount_cents": int(data.get("min_amount_cents") or 0),
        "properties": dict(data.get("properties") or {}),
        "filters": list(data.get("filters") or []),
        "taxes": [],
    }


def _metric(store: SandboxStore, org_id: str, data: dict[str, Any]) -> Record:
    code = data.get("billable_metric_code")
    metric = store.get(org_id, kinds.BILLABLE_METRIC, str(code)) if code else None
    if metric is None and data.get("billable_metric_id"):
        metric = store.get_by_lago_id(org_id, kinds.BILLABLE_METRIC, str(data["billable_metric_id"]))
    if metric is None:
        raise not_found("billable_metric")
    return metric


def price_cents(charge: Record, units: Decimal) -> int:
    """What `units` cost under the charge's model, in cents (rounded half up), floored at `min_amount_cents`."""
    props = charge.get("properties") or {}
    model = charge["charge_model"]
    if model == "standard":
        amount = units * _dec(props.get("amount"))
    elif model == "package":
        free = Decimal(int(props.get("free_units") or 0))
        size = Decimal(int(props.get("package_size") or 1))
        billable = max(units - free, Decimal(0))
        amount = (billable / size).to_integral_value(rounding="ROUND_CEILING") * _dec(props.get("amount"))
    elif model == "percentage":
        amount = units * _dec(props.get("rate")) / 100 + _dec(props.get("fixed_amount"))
    elif model == "graduated":
        amount = _graduated(props.get("graduated_ranges") or [], units)
    elif model == "volume":
        amount = _volume(props.get("volume_ranges") or [], units)
    else:
        amount = Decimal(0)
    cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(cents, int(charge.get("min_amount_cents") or 0)) if units > 0 else cents


def _dec(value: Any) -> Decimal:
    return to_decimal(value) or Decimal(0)


def _graduated(ranges: list[dict[str, Any]], units: Decimal) -> Decimal:
    total = Decimal(0)
    for tier in ranges:
        low = _dec(tier.get("from_value"))
        high = to_decimal(tier.get("to_value"))
        if low > 0 and units < low:
            break
        in_tier = (min(units, high) if high is not None else units) - (low - 1 if low > 0 else low)
        if in_tier > 0:
            total += in_tier * _dec(tier.get("per_unit_amount")) + _dec(tier.get("flat_amount"))
    return total


def _volume(ranges: list[dict[str, Any]], units: Decimal) -> Decimal:
    for tier in ranges:
        high = to_decimal(tier.get("to_value"))
        if high is None or units <= high:
            return units * _dec(tier.get("per_unit_amount")) + _dec(tier.get("flat_amount"))
    return Decimal(0)
