"""How a target record fills the action's arguments: explicit `fill` paths, or inferred from the schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from langchain_core.tools import BaseTool

_CUSTOMER_PARAMS = frozenset({"external_customer_id", "customer_external_id"})
_ID_PARAMS = frozenset({"lago_id", "invoice_id", "applied_coupon_id", "wallet_id", "payment_id", "credit_note_id"})
_CODE_PARAMS = frozenset({"code", "coupon_code", "plan_code"})
_LABEL_FIELDS = ("name", "number", "external_id", "code", "lago_id")
_PAGING = frozenset({"page", "per_page"})


class FillError(ValueError):
    """The targets cannot fill the action's arguments; the message says which `fill` to pass."""


def input_schema(tool: BaseTool) -> dict[str, Any]:
    """The JSON schema of a tool's arguments (MCP tools carry a dict, Python tools a pydantic model)."""
    schema = tool.args_schema
    if isinstance(schema, dict):
        return schema
    if schema is not None and hasattr(schema, "model_json_schema"):
        result: dict[str, Any] = schema.model_json_schema()
        return result
    return {"properties": {}, "required": []}


def parameters(tool: BaseTool) -> tuple[set[str], list[str]]:
    """(all parameter names, required ones in order) of a tool."""
    schema = input_schema(tool)
    names = set((schema.get("properties") or {}).keys())
    return names, [str(name) for name in schema.get("required") or []]


def _candidates(param: str, kind: str) -> list[str]:
    if param in _CUSTOMER_PARAMS:
        if kind.startswith("customer"):
            return ["external_id"]
        return ["external_customer_id", "customer.external_id"]
    if param in _ID_PARAMS:
        return ["lago_id"]
    if param in _CODE_PARAMS:
        return [param, "code"]
    return [param]


def get_path(record: Mapping[str, Any], path: str) -> Any:
    """`record["a"]["b"]` for the path "a.b" (None when a step is missing)."""
    value: Any = record
    for step in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


def infer_fill(tool: BaseTool, kind: str, sample: Mapping[str, Any], common: Mapping[str, Any]) -> dict[str, str]:
    """A fill for the required parameters the common arguments leave open, from the record fields present."""
    _, required = parameters(tool)
    fill: dict[str, str] = {}
    for param in required:
        if param in common:
            continue
        field = next((c for c in _candidates(param, kind) if get_path(sample, c) not in (None, "")), None)
        if field is None:
            raise FillError(
                f"Cannot tell which field of the {kind} records fills `{param}` of {tool.name}; pass "
                f"fill={{'{param}': '<field>'}} (record fields: {', '.join(sorted(sample)[:12])})."
            )
        fill[param] = field
    return fill


def _put(args: dict[str, Any], path: str, value: Any) -> None:
    wrap = path.endswith("[]")
    steps = path.removesuffix("[]").split(".")
    target = args
    for step in steps[:-1]:
        nested = target.get(step)
        if not isinstance(nested, dict):
            nested = target[step] = {}
        target = nested
    target[steps[-1]] = [value] if wrap else value


def fill_args(record: Mapping[str, Any], fill: Mapping[str, str]) -> dict[str, Any] | None:
    """The per-item arguments taken from the record (None when a field is missing)."""
    args: dict[str, Any] = {}
    for param, field in fill.items():
        value = get_path(record, field)
        if value in (None, ""):
            return None
        _put(args, param, value)
    return args


def merge_args(common: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """Common arguments plus the item's own (nested objects merged)."""
    merged: dict[str, Any] = json.loads(json.dumps(dict(common), default=str))
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def item_key(own: Mapping[str, Any]) -> str:
    """A stable key of an item (its own arguments), used to de-duplicate and to record outcomes."""
    return json.dumps(own, sort_keys=True, separators=(",", ":"), default=str)


def label_of(record: Mapping[str, Any], own: Mapping[str, Any]) -> str:
    """A short human label: the record's name or number plus its identifier."""
    name = next((str(record[f]) for f in _LABEL_FIELDS if isinstance(record.get(f), str) and record.get(f)), None)
    ident = next((str(v) for v in own.values() if isinstance(v, str)), None)
    if name and ident and name != ident:
        return f"{name} ({ident})"
    return name or ident or item_key(own)


def without_paging(args: Mapping[str, Any]) -> dict[str, Any]:
    """List arguments without page/per_page (a selection is always read from the first page to the last)."""
    return {k: v for k, v in args.items() if k not in _PAGING}
