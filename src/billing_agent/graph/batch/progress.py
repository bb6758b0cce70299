"""Progress of running batches, streamed as custom events: {"type": "batch_progress", "done", "total", "failed"}."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from langgraph.config import get_stream_writer

PROGRESS_EVENT = "batch_progress"


@dataclass
class _Counts:
    total: int
    done: int
    failed: int


_RUNNING: dict[str, _Counts] = {}
_LOCK = threading.Lock()


def progress_event(batch_id: str, counts: _Counts) -> dict[str, Any]:
    """The custom stream event for a batch's counts."""
    return {
        "type": PROGRESS_EVENT,
        "batch_id": batch_id,
        "done": counts.done,
        "total": counts.total,
        "failed": counts.failed,
    }


def record_progress(batch_id: str, total: int, done_before: int, failed: bool) -> dict[str, Any]:
    """Count one finished item of a batch (across all its workers in this process) and return the event."""
    with _LOCK:
        counts = _RUNNING.get(batch_id)
        if counts is None:
            counts = _RUNNING[batch_id] = _Counts(total=total, done=done_before, failed=0)
        counts.done += 1
        counts.failed += int(failed)
        return progress_event(batch_id, counts)


def emit_progress(event: dict[str, Any]) -> None:
    """Send the event to `stream_mode="custom"` listeners (nothing happens when no one streams)."""
    try:
        writer = get_stream_writer()
    except RuntimeError:  # called outside a graph run (unit tests of the worker)
        return
    writer(event)


def forget(batch_id: str) -> None:
    """Drop a finished batch's counters."""
    with _LOCK:
        _RUNNING.pop(batch_id, None)
