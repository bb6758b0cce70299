"""Lanes: how many batch chunks of this event loop run at once (the batch's concurrency limit).

The limit is applied inside the workers rather than as the graph's `max_concurrency`: LangGraph's
`max_concurrency` holds back whole tasks, and a finished worker's writes are only saved (`put_writes`) as the
step's other tasks are scheduled, so after a crash the outcomes of finished chunks were lost and re-probed. With
every chunk started at once and waiting here for a lane, each finished worker's outcomes are saved as soon as it
returns.
"""

from __future__ import annotations

import asyncio
import weakref

_LANES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Semaphore]] = weakref.WeakKeyDictionary()


def lane(concurrency: int) -> asyncio.Semaphore:
    """The semaphore every batch worker of the running loop shares for `concurrency` lanes."""
    loop = asyncio.get_running_loop()
    by_size = _LANES.setdefault(loop, {})
    semaphore = by_size.get(concurrency)
    if semaphore is None:
        semaphore = by_size[concurrency] = asyncio.Semaphore(max(1, concurrency))
    return semaphore
