"""Graph state: the conversation plus the full structured results that the model only sees in part."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage

from billing_agent.graph.batch.state import BatchJob, BatchOutcomes, merge_outcomes
from billing_agent.memory.channels import RESULTS_SNAPSHOT_FREQUENCY, delta_channel, messages_channel

MAX_KEPT_RESULTS = 100

NodeFunction = Callable[..., Awaitable[dict[str, Any]]]
"""An async graph node: `(state, *, runtime) -> update`."""


class ToolResult(TypedDict):
    """One executed tool call: its name, arguments, outcome and full structured result."""

    tool: str
    args: dict[str, Any]
    ok: bool
    data: Any


class RecordRef(TypedDict, total=False):
    """Identifiers of one listed record, kept for follow-ups such as "tell me more about the first one"."""

    kind: str
    lago_id: str
    external_id: str
    number: str
    code: str


def keep_recent_results(
    left: dict[str, ToolResult] | None, right: dict[str, ToolResult | None] | None
) -> dict[str, ToolResult]:
    """Merge new results into the kept ones; a `None` value drops that result (compaction archives it).

    Only the most recent `MAX_KEPT_RESULTS` stay.
    """
    merged = dict(left or {})
    for call_id, result in (right or {}).items():
        if result is None:
            merged.pop(call_id, None)
        else:
            merged[call_id] = result
    if len(merged) <= MAX_KEPT_RESULTS:
        return merged
    return dict(list(merged.items())[-MAX_KEPT_RESULTS:])


MESSAGES_CHANNEL = messages_channel()
RESULTS_CHANNEL = delta_channel(keep_recent_results, dict, snapshot_frequency=RESULTS_SNAPSHOT_FREQUENCY)


class InputState(TypedDict):
    """What callers send: messages (usually one `HumanMessage`)."""

    messages: Annotated[list[AnyMessage], MESSAGES_CHANNEL]
    """Stored as deltas (`add_messages` semantics): a turn's checkpoint holds what it adds, not the whole list."""


class State(InputState, total=False):
    """Everything the graph keeps per thread."""

    results: Annotated[dict[str, ToolResult], RESULTS_CHANNEL]
    """Full structured tool results keyed by tool_call_id; those of archived turns leave with them."""
    last_listed: list[RecordRef]
    """Identifiers of the records of the most recent list result, in order."""
    summary: list[str]
    """One line per turn compacted out of `messages` (see `billing_agent.memory.compaction`)."""
    archived_turns: int
    """How many turns were compacted into the transcript archive."""
    batch: BatchJob
    """The thread's current (or last) batch job; only the batch nodes write it."""
    batch_outcomes: Annotated[BatchOutcomes, merge_outcomes]
    """Per-item outcomes of that batch, merged as its workers finish (kept across crashes by the checkpointer)."""
