"""Batch channels of the graph state: the current batch job and its per-item outcomes."""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict

OutcomeStatus = Literal["ok", "failed", "skipped"]
JobStatus = Literal["resolved", "approved", "declined", "done"]


class BatchItem(TypedDict):
    """One target of a batch: a stable key, a label for people, and the action's arguments for it."""

    key: str
    label: str
    args: dict[str, Any]
    link: NotRequired[str]


class ItemOutcome(TypedDict, total=False):
    """What happened to one item.

    `already_done` marks an item whose effect was found in Lago (counted as ok, never redone);
    `recovered` marks an item of a chunk cut off by a crash whose effect the resumed run found in Lago (done
    by this batch, so counted as done, not as already in place);
    `result_id` is the id of the record the action created or found (used to undo it).
    """

    status: OutcomeStatus
    code: str | None
    message: str
    already_done: bool
    recovered: bool
    result_id: str | None
    link: str | None
    http_status: str | None
    summary: dict[str, Any]


class BatchJob(TypedDict, total=False):
    """The batch being run in this thread (one at a time; a new batch replaces the last one)."""

    batch_id: str
    call_id: str
    action: str
    read_only: bool
    items: list[BatchItem]
    status: JobStatus
    noun: str
    source: str
    undo_of: str | None
    decline_reason: str
    cancelled: bool
    """The run was cancelled mid-batch (status `done`; items without an outcome never ran)."""


class BatchOutcomes(TypedDict):
    """Outcomes of the items of one batch, by item key."""

    batch_id: str
    items: dict[str, ItemOutcome]


def merge_outcomes(left: BatchOutcomes | None, right: BatchOutcomes | None) -> BatchOutcomes:
    """Reducer: outcomes of the same batch are merged; outcomes of a new batch replace the old ones."""
    if right is None:
        return left or BatchOutcomes(batch_id="", items={})
    if left is None or left.get("batch_id") != right.get("batch_id"):
        return BatchOutcomes(batch_id=right["batch_id"], items=dict(right["items"]))
    return BatchOutcomes(batch_id=right["batch_id"], items={**left["items"], **right["items"]})
