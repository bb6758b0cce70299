"""Checkpoint layout of the conversation: delta channels so a turn stores only what it adds.

LangGraph's default layout re-stores a channel's whole value whenever it changes, so a chat's checkpoints
grow with the square of its length. A `DeltaChannel` (langgraph.channels.delta, beta) stores each write
once and rebuilds the value by replaying writes since the last snapshot; `SNAPSHOT_FREQUENCY` trades
storage (a full copy per snapshot) against replay work when a thread is loaded. Measured in
benchmarks/memory.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, RemoveMessage
from langgraph.channels.delta import DeltaChannel
from langgraph.graph.message import add_messages

SNAPSHOT_FREQUENCY = 40
"""Channel updates between two full snapshots (a turn makes about four updates to `messages`).

A turn loads the last snapshot and replays the writes since, so a smaller value means a faster turn, and
compaction bounds what a snapshot holds (at most `COMPACT_AFTER_TURNS` turns). Measured with
benchmarks/memory.py (100 turns, Postgres, compaction at 5–8 turns): 100 → 1.65× storage and 4.5 ms to
load the thread's history, 40 → 1.75× and 3.6 ms, 20 → 1.88× and 3.1 ms, the turn's p50 within noise
of each other for 40 and 20. Without a store nothing is compacted and a snapshot holds the whole
conversation: 40 → 3.3×, 20 → 4.7× after 100 turns, so 40."""
RESULTS_SNAPSHOT_FREQUENCY = 12
"""Snapshot frequency of the structured results (one update a turn, plus one per compaction).

Compaction drops the results of archived turns, so a snapshot holds at most `COMPACT_AFTER_TURNS` turns of
results; without frequent snapshots a turn would replay every result written since the last one (up to 100
of them, each a full page of records), which made loading the thread grow from 3 to 11 ms over 100 turns."""


def fold(reducer: Callable[[Any, Any], Any]) -> Callable[[Any, Sequence[Any]], Any]:
    """Turn a pairwise reducer into the batch reducer a `DeltaChannel` wants: `(state, [writes]) -> state`.

    Folding left is batching-invariant as long as `reducer` is a plain left fold, which `add_messages` is.
    """

    def batch(state: Any, writes: Sequence[Any]) -> Any:
        for write in writes:
            state = reducer(state, write)
        return state

    return batch


def _add_messages(left: Any, right: Any) -> list[AnyMessage]:
    merged: list[AnyMessage] = add_messages(left, right)  # type: ignore[assignment]
    return merged


def add_message_batches(state: Any, writes: Sequence[Any]) -> list[AnyMessage]:
    """`add_messages` over a batch of writes in one pass (replaying N writes costs O(N), not O(N × length)).

    One merge of the concatenated writes equals merging them one by one; with a `RemoveMessage` among them
    the writes are folded one by one anyway, to keep removal order exact.
    """
    combined: list[Any] = []
    for write in writes:
        combined.extend(write if isinstance(write, list) else [write])
    if any(isinstance(message, RemoveMessage) for message in combined):
        folded: list[AnyMessage] = fold(_add_messages)(state, writes)
        return folded
    return _add_messages(state, combined) if combined else list(state)


def messages_channel(snapshot_frequency: int = SNAPSHOT_FREQUENCY) -> DeltaChannel[list[AnyMessage]]:
    """The `messages` channel: `add_messages` semantics, stored as deltas."""
    return DeltaChannel(add_message_batches, list, snapshot_frequency=snapshot_frequency)


def delta_channel(
    reducer: Callable[[Any, Any], Any], typ: type[Any], snapshot_frequency: int = SNAPSHOT_FREQUENCY
) -> DeltaChannel[Any]:
    """Any pairwise reducer as a delta channel of type `typ`."""
    return DeltaChannel(fold(reducer), typ, snapshot_frequency=snapshot_frequency)
