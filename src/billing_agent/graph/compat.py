"""The only place that touches LangGraph's private task configuration (keys that have no public API yet).

- `add_task_writes`: a node that is being cancelled hands LangGraph writes that it keeps as pending writes
  of the interrupted step (LangGraph saves a cancelled task's collected writes with its error).
- `recent_pending_writes`: the pending writes of the thread's latest checkpoints, which a new input
  discards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.config import get_config

SEND_KEY = "__pregel_send"  # langgraph._internal._constants.CONFIG_KEY_SEND: appends to the task's writes
CHECKPOINTER_KEY = "__pregel_checkpointer"  # CONFIG_KEY_CHECKPOINTER


def _configurable() -> dict[str, Any]:
    try:
        return dict(get_config().get("configurable") or {})
    except RuntimeError:  # called outside a graph run
        return {}


def add_task_writes(writes: Sequence[tuple[str, Any]]) -> bool:
    """Append writes to the running task's own writes; False when not inside a task."""
    send = _configurable().get(SEND_KEY)
    if send is None:
        return False
    send(list(writes))
    return True


async def recent_pending_writes(thread_id: str, limit: int) -> list[list[tuple[str, str, Any]]]:
    """Pending writes `(task_id, channel, value)` of the thread's newest `limit` saved checkpoints, newest first."""
    saver = _configurable().get(CHECKPOINTER_KEY)
    if not isinstance(saver, BaseCheckpointSaver):
        return []
    config: Any = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    return [
        [(str(task), str(channel), value) for task, channel, value in saved.pending_writes or []]
        async for saved in saver.alist(config, limit=limit)
    ]
