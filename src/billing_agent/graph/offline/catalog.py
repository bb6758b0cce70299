"""The bound tools' schemas, and fitting planned calls to them (names, parameter aliases, types)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Parameter names that mean the same thing across Lago MCP servers (ours and the official Rust one).
ALIASES: dict[str, tuple[str, ...]] = {
    "external_customer_id": ("customer_external_id", "customer_id", "external_id"),
    "customer_external_id": ("external_customer_id", "customer_id"),
    "lago_id": ("invoice_id", "id"),
    "invoice_id": ("lago_id", "id"),
    "coupon_code": ("code",),
    "email": ("billing_email",),
    "issuing_date_from": ("from_date", "created_at_from"),
    "issuing_date_to": ("to_date", "created_at_to"),
    "created_at_from": ("started_at_from", "subscription_at_from", "from_date"),
    "created_at_to": ("started_at_to", "subscription_at_to", "to_date"),
}


@dataclass(frozen=True)
class PlannedCall:
    """A call the planner wants to make, before it is fitted to the bound tools.

    Attributes:
        names: Acceptable tool names, best first (e.g. `list_customer_payments`, then `list_payments`).
        args: Arguments that must all be accepted (dropping one would change the meaning).
        optional: Arguments passed only when the tool accepts them.
    """

    names: tuple[str, ...]
    args: Mapping[str, Any] = field(default_factory=dict)
    optional: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, tool: str, /, **args: Any) -> PlannedCall:
        """A call to one tool with required arguments (None values left out)."""
        return cls((tool,), {k: v for k, v in args.items() if v is not None})


@dataclass(frozen=True)
class ToolSchema:
    """Name, parameter schemas and required parameters of one bound tool."""

    name: str
    properties: Mapping[str, Mapping[str, Any]]
    required: frozenset[str]


class ToolCatalog:
    """The tools the model is bound to; empty means unbound (calls are emitted as planned)."""

    def __init__(self, tools: Sequence[Mapping[str, Any]] = ()) -> None:
        """Reads OpenAI-format tool definitions (`{"type": "function", "function": {...}}`)."""
        self._tools: dict[str, ToolSchema] = {}
        for tool in tools:
            schema = _schema_of(tool)
            if schema is not None:
                self._tools[schema.name] = schema

    @property
    def bound(self) -> bool:
        """True when tool schemas were bound."""
        return bool(self._tools)

    def has(self, name: str) -> bool:
        """True when the tool exists (or nothing is bound)."""
        return not self.bound or name in self._tools

    def accepts(self, name: str, param: str) -> bool:
        """True when the tool exists and takes `param` or one of its aliases."""
        if not self.bound:
            return True
        schema = self._tools.get(name)
        return schema is not None and _target(param, schema, set()) is not None

    def fit(self, call: PlannedCall) -> tuple[str, dict[str, Any]] | None:
        """Returns the first candidate tool and arguments its schema accepts, or None when none fits."""
        for name in call.names:
            if not self.bound:
                return name, {**call.args, **call.optional}
            schema = self._tools.get(name)
            if schema is None:
                continue
            fitted = _fit_args(call, schema)
            if fitted is not None:
                return name, fitted
        return None


def _schema_of(tool: Mapping[str, Any]) -> ToolSchema | None:
    function = tool.get("function", tool)
    if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
        return None
    parameters = function.get("parameters") or {}
    properties = parameters.get("properties") or {}
    required = parameters.get("required") or []
    return ToolSchema(function["name"], dict(properties), frozenset(str(r) for r in required))


def _target(param: str, schema: ToolSchema, used: set[str]) -> str | None:
    for candidate in (param, *ALIASES.get(param, ())):
        if candidate in schema.properties and candidate not in used:
            return candidate
    return None


def _fit_args(call: PlannedCall, schema: ToolSchema) -> dict[str, Any] | None:
    fitted: dict[str, Any] = {}
    for param, value in call.args.items():
        target = _target(param, schema, set(fitted))
        if target is None:
            return None
        fitted[target] = _coerce(value, schema.properties[target])
    for param, value in call.optional.items():
        target = _target(param, schema, set(fitted))
        if target is not None:
            fitted[target] = _coerce(value, schema.properties[target])
    if not schema.required <= set(fitted):
        return None
    return fitted


def _coerce(value: Any, prop: Mapping[str, Any]) -> Any:
    """Adjusts a value to the schema's type: a scalar into a one-item array, numbers from strings."""
    types = _types(prop)
    if "array" in types and not isinstance(value, list):
        return [value]
    if "integer" in types and isinstance(value, str) and value.isdigit():
        return int(value)
    if (
        "string" in types
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and not types
        & {
            "integer",
            "number",
        }
    ):
        return str(value)
    return value


def _types(prop: Mapping[str, Any]) -> set[str]:
    declared = prop.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or [])
    for option in prop.get("anyOf") or prop.get("oneOf") or []:
        if isinstance(option, Mapping) and isinstance(option.get("type"), str):
            types.add(option["type"])
    return {str(t) for t in types}
