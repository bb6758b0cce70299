"""What a batch confirmation shows of the per-item arguments: common values, and every field that varies.

The `fill` mapping takes per-item values from the target records, so the human must see them: each varying
field is listed with its distinct values (and counts), capped at `MAX_VALUES`. Record identifiers (which
record a call acts on) may have one value per item; a field the batch *writes* may not have more distinct
values than the confirmation lists, so nothing written goes unseen (`check_shown` refuses such a batch).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from billing_agent.graph.batch.fill import FillError
from billing_agent.graph.batch.state import BatchItem

MAX_VALUES = 10
UNUSABLE_PREFIX = "unusable:"
NOT_SET = "(not set)"
_ID_NAMES = frozenset({"id", "code", "external_id", "lago_id"})


@dataclass(frozen=True)
class FieldValues:
    """The distinct values of one varying field (a dotted path into the arguments), most frequent first."""

    path: str
    values: list[tuple[Any, int]]
    distinct: int

    @property
    def more(self) -> int:
        """How many distinct values are not listed."""
        return self.distinct - len(self.values)

    @property
    def identifies(self) -> bool:
        """Whether the field names the record a call acts on (an id or code parameter), not a written value."""
        return "." not in self.path and (self.path in _ID_NAMES or self.path.endswith("_id"))


class UnshownFill(FillError):
    """The batch would write more distinct values into a field than a confirmation can show."""


def runnable(items: Sequence[BatchItem]) -> list[BatchItem]:
    """The items that will be called (not the records that could not fill the arguments)."""
    return [item for item in items if not item["key"].startswith(UNUSABLE_PREFIX)]


def leaf_values(args: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every non-object value in the arguments."""
    for key, value in args.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from leaf_values(value, f"{path}.")
        else:
            yield path, value


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def common_args(items: Sequence[BatchItem]) -> dict[str, Any]:
    """The arguments every item has with the same value (nested objects intersected)."""
    return _common([item["args"] for item in runnable(items)])


def _common(all_args: list[Mapping[str, Any]]) -> dict[str, Any]:
    if not all_args:
        return {}
    common: dict[str, Any] = {}
    for key, value in all_args[0].items():
        others = [args.get(key) for args in all_args]
        if isinstance(value, Mapping) and all(isinstance(o, Mapping) for o in others):
            nested = _common([o for o in others if isinstance(o, Mapping)])
            if nested:
                common[key] = nested
        elif all(key in args for args in all_args) and all(_key(o) == _key(value) for o in others):
            common[key] = value
    return common


def varying_fields(items: Sequence[BatchItem], limit: int = MAX_VALUES) -> list[FieldValues]:
    """Every argument path whose value differs between items, with up to `limit` distinct values each."""
    calls = runnable(items)
    fixed = {path for path, _ in leaf_values(common_args(calls))}
    per_item = [dict(leaf_values(item["args"])) for item in calls]
    paths = sorted({path for leaves in per_item for path in leaves} - fixed)
    fields = []
    for path in paths:
        counts = Counter(_key(leaves.get(path, NOT_SET)) for leaves in per_item)
        listed = [(json.loads(key), count) for key, count in counts.most_common(limit)]
        fields.append(FieldValues(path, listed, len(counts)))
    return fields


def check_shown(action: str, items: Sequence[BatchItem], noun: str) -> None:
    """Refuse a batch that writes more distinct per-item values into a field than the confirmation lists."""
    for field in varying_fields(items):
        if field.more and not field.identifies:
            raise UnshownFill(
                f"Not run: `{action}` would write {field.distinct:,} different values into `{field.path}` (one "
                f"per {noun} record), and a confirmation lists at most {MAX_VALUES} distinct values of a field "
                "it writes, so the user could not see what they approve. Put one value for every record in "
                f"`args`, split the batch so each part writes at most {MAX_VALUES} distinct values, or make the "
                "changes as single calls the user confirms one by one."
            )


def show_value(value: Any) -> str:
    """A value as the confirmation prints it."""
    return value if value == NOT_SET else repr(value)


def describe_field(field: FieldValues, total: int) -> str:
    """`email: 3 distinct values: 'a@x' ×40, 'b@x' ×15, 'c@x' ×5` (one per item: no counts)."""
    each = field.distinct == total and all(count == 1 for _, count in field.values)
    shown = ", ".join(show_value(v) if each else f"{show_value(v)} ×{c:,}" for v, c in field.values)
    more = f" and {field.more:,} more distinct values" if field.more else ""
    kind = "one per item" if each else f"{field.distinct:,} distinct value{'' if field.distinct == 1 else 's'}"
    return f"{field.path}: {kind}: {shown}{more}"


def field_payload(field: FieldValues) -> dict[str, Any]:
    """A varying field in the interrupt payload."""
    return {
        "values": [{"value": value, "count": count} for value, count in field.values],
        "distinct": field.distinct,
        "more": field.more,
        "identifies_record": field.identifies,
    }
