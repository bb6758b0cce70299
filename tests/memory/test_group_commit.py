"""Group commit: concurrent `aput_writes` calls share a round trip, and each returns only once its writes are saved."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from langgraph.checkpoint.base import empty_checkpoint

from billing_agent.memory.backend import open_postgres_pool
from billing_agent.memory.checkpointer import postgres_saver
from billing_agent.memory.postgres_saver import GroupCommitPostgresSaver

pytestmark = pytest.mark.postgres


class CountingSaver(GroupCommitPostgresSaver):
    """Counts the pipelines opened to save writes."""

    flushes = 0

    @asynccontextmanager
    async def _cursor(self, *, pipeline: bool = False) -> AsyncIterator[Any]:
        if pipeline:
            self.flushes += 1
        async with super()._cursor(pipeline=pipeline) as cur:
            yield cur


async def _checkpoint(saver: GroupCommitPostgresSaver) -> dict[str, Any]:
    config: Any = {"configurable": {"thread_id": f"group-{uuid.uuid4().hex}", "checkpoint_ns": ""}}
    saved = await saver.aput(config, empty_checkpoint(), {"step": -1}, {})
    return dict(saved)


async def test_concurrent_writes_are_saved_together_and_each_call_sees_them_saved(postgres_url: str) -> None:
    async with open_postgres_pool(postgres_url) as pool:
        saver = CountingSaver(pool)
        config = await _checkpoint(saver)
        saver.flushes = 0
        tasks = [f"task-{n}" for n in range(5)]
        await asyncio.gather(
            *(saver.aput_writes(config, [("messages", f"m{n}")], task) for n, task in enumerate(tasks))
        )
        assert saver.flushes < len(tasks)
        stored = await saver.aget_tuple(config)
        assert stored is not None
        assert sorted((task, value) for task, _, value in stored.pending_writes) == [
            (task, f"m{n}") for n, task in enumerate(tasks)
        ]
        await saver.adelete_thread(config["configurable"]["thread_id"])


async def test_a_failed_save_fails_every_call_that_waited_on_it(postgres_url: str) -> None:
    async with open_postgres_pool(postgres_url) as pool:
        saver = GroupCommitPostgresSaver(pool)
        config = await _checkpoint(saver)
        saver.INSERT_CHECKPOINT_WRITES_SQL = f"INSERT INTO no_such_table VALUES ({', '.join(['%s'] * 9)})"
        calls = [saver.aput_writes(config, [("messages", n)], f"task-{n}") for n in range(3)]
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(outcome, Exception) and "no_such_table" in str(outcome) for outcome in outcomes)
        assert saver._queued == []
        await saver.adelete_thread(config["configurable"]["thread_id"])


QUEUED = 3


class StallingSaver(GroupCommitPostgresSaver):
    """Its first save stalls in its first statement until `release`, so the test can cancel the call doing it."""

    release: asyncio.Event | None = None
    stalled: asyncio.Event | None = None
    stalled_task: asyncio.Task[Any] | None = None

    @asynccontextmanager
    async def _cursor(self, *, pipeline: bool = False) -> AsyncIterator[Any]:
        async with super()._cursor(pipeline=pipeline) as cur:
            if not (pipeline and self.stalled and not self.stalled.is_set()):
                yield cur
                return
            while len(self._queued) < QUEUED:  # noqa: ASYNC110 (the queue has no event); the save takes all calls
                await asyncio.sleep(0.001)
            yield _StallingCursor(cur, self)


class _StallingCursor:
    def __init__(self, cur: Any, saver: StallingSaver) -> None:
        self.cur, self.saver = cur, saver

    async def executemany(self, query: str, params: Any) -> None:
        assert self.saver.stalled is not None and self.saver.release is not None
        self.saver.stalled_task = asyncio.current_task()
        self.saver.stalled.set()
        await self.saver.release.wait()
        await self.cur.executemany(query, params)


async def test_when_the_saving_call_is_cancelled_the_writes_it_took_from_others_are_still_saved(
    postgres_url: str,
) -> None:
    async with open_postgres_pool(postgres_url) as pool:
        saver = StallingSaver(pool)
        config = await _checkpoint(saver)
        saver.release, saver.stalled = release, stalled = asyncio.Event(), asyncio.Event()
        calls = {
            f"task-{n}": asyncio.create_task(saver.aput_writes(config, [("messages", n)], f"task-{n}"))
            for n in range(QUEUED)
        }
        await stalled.wait()
        saving = next(task for task, call in calls.items() if call is saver.stalled_task)
        calls[saving].cancel()
        release.set()
        others = sorted(task for task in calls if task != saving)
        await asyncio.wait_for(asyncio.gather(*(calls[task] for task in others)), timeout=5)
        stored = await saver.aget_tuple(config)
        assert stored is not None and sorted(task for task, _, _ in stored.pending_writes) == others
        assert calls[saving].cancelled()
        await saver.adelete_thread(config["configurable"]["thread_id"])


async def test_the_factory_builds_the_group_commit_saver(postgres_url: str) -> None:
    async with open_postgres_pool(postgres_url) as pool:
        assert isinstance(await postgres_saver(pool), GroupCommitPostgresSaver)
