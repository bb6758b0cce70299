"""PostgreSQL checkpointer that saves concurrent `aput_writes` calls in one round trip (group commit).

When a turn ends with durability "exit", LangGraph submits one `aput_writes` per task that wrote a delta
channel (about five a turn) all at once, then saves the checkpoint after they are durable.
`AsyncPostgresSaver` runs them one after another, one round trip each, behind its lock. Here the calls that
queue up while a save is under way are saved together, in one pipeline, and each call still returns only
once its own writes are stored (or raises what the save raised), so LangGraph's ordering guarantee holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import WRITES_IDX_MAP
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver


@dataclass
class _QueuedWrites:
    """One `aput_writes` call waiting to be saved."""

    query: str
    params: list[Any]
    saved: asyncio.Future[None] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class GroupCommitPostgresSaver(AsyncPostgresSaver):
    """`AsyncPostgresSaver` whose concurrent `aput_writes` calls share round trips."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Same arguments as `AsyncPostgresSaver`."""
        super().__init__(*args, **kwargs)
        self._queued: list[_QueuedWrites] = []
        self._flush_lock = asyncio.Lock()

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes for a checkpoint; returns once they are saved, possibly with others' writes."""
        query = (
            self.UPSERT_CHECKPOINT_WRITES_SQL
            if all(channel in WRITES_IDX_MAP for channel, _ in writes)
            else self.INSERT_CHECKPOINT_WRITES_SQL
        )
        configurable = config["configurable"]
        params = await asyncio.to_thread(
            self._dump_writes,
            configurable["thread_id"],
            configurable["checkpoint_ns"],
            configurable["checkpoint_id"],
            task_id,
            task_path,
            writes,
        )
        entry = _QueuedWrites(query, params)
        self._queued.append(entry)
        try:
            async with self._flush_lock:
                if not entry.saved.done():
                    await self._flush(entry)
        except asyncio.CancelledError:
            if entry in self._queued:  # cancelled before any save took it: it is not saved, as upstream
                self._queued.remove(entry)
            raise
        await entry.saved

    async def _flush(self, own: _QueuedWrites) -> None:
        """Save every queued call in one pipeline and settle their futures (with the error, if it failed).

        When the flushing call itself is cancelled, the other calls' writes go back to the queue for the next
        call that takes the lock (the statements are idempotent, so a half-done save is safe to repeat).
        """
        batch: list[_QueuedWrites] = []
        try:
            async with self._cursor(pipeline=True) as cur:
                batch, self._queued = self._queued, []  # taken late: calls queued while connecting join in
                for entry in batch:
                    await cur.executemany(entry.query, entry.params)
        except asyncio.CancelledError:
            self._queued[:0] = [entry for entry in batch if entry is not own]
            raise
        except Exception as error:  # each caller raises it from its own future
            if not batch:
                batch, self._queued = self._queued, []
            for entry in batch:
                if not entry.saved.done():
                    entry.saved.set_exception(error)
            return
        for entry in batch:
            if not entry.saved.done():
                entry.saved.set_result(None)
