"""Smaller input schemas: the same contract in fewer tokens (schemas go to the model on every call).

Pydantic writes `anyOf: [{...}, {"type": "null"}]`, `default: null` and a `title` for every optional field; a
field being optional is already said by its absence from `required`. Arguments are still validated by the tool's
pydantic model, so this only changes what is advertised.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

_SCHEMA_MAPS = ("properties", "$defs", "definitions")


def compact_schema(schema: Schema) -> Schema:
    """The JSON schema without titles, null defaults and `anyOf` wrappers that only add `null`."""
    result: Schema = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and value is None:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            result[key] = {name: compact_schema(item) for name, item in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            result[key] = compact_schema(value)
        elif key in ("anyOf", "oneOf", "allOf") and isinstance(value, list):
            result[key] = [compact_schema(item) for item in value]
        else:
            result[key] = value
    return _without_null_branch(result)


def _without_null_branch(schema: Schema) -> Schema:
    branches = schema.get("anyOf")
    if not isinstance(branches, list):
        return schema
    others = [branch for branch in branches if branch != {"type": "null"}]
    if len(others) == len(branches) or not others:
        return schema
    merged = {key: value for key, value in schema.items() if key != "anyOf"}
    if len(others) > 1:
        return {"anyOf": others, **merged}
    return {**others[0], **merged}
