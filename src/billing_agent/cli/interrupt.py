"""Ctrl-C during a chat turn cancels that turn, not the program (a second Ctrl-C at the prompt still exits)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

CANCELLED = (
    "Cancelled. Whatever was already applied is kept; your next message is told about it "
    "(for a batch say “continue the batch” to run the rest, or “undo that”)."
)


async def cancellable(work: Coroutine[Any, Any, T]) -> tuple[bool, T | None]:
    """Run `work`; SIGINT cancels it. Returns (True, None) when it was cancelled, else (False, its result)."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    previous = signal.getsignal(signal.SIGINT)
    try:
        loop.add_signal_handler(signal.SIGINT, task.cancel)
    except (NotImplementedError, RuntimeError, ValueError):  # no signal support here (not the main thread)
        return False, await task
    try:
        return False, await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if task.cancelled() and not (current is not None and current.cancelling()):
            return True, None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        signal.signal(signal.SIGINT, previous)
