"""A rich progress bar fed by the graph's `batch_progress` custom events ("312/1,000 done, 3 failed")."""

from __future__ import annotations

from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

PROGRESS_EVENT = "batch_progress"  # the event type billing_agent.graph.batch.progress emits (kept here: fast start)


class BatchProgressBar:
    """One bar per running batch; `update` takes the custom stream events."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("[bold]Batch[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed[/]"),
            TimeElapsedColumn(),
        )
        self._tasks: dict[str, TaskID] = {}

    @property
    def active(self) -> bool:
        """True once a batch reported progress."""
        return bool(self._tasks)

    def update(self, event: dict[str, Any]) -> bool:
        """Apply a `batch_progress` event; returns False for other events."""
        if event.get("type") != PROGRESS_EVENT:
            return False
        batch_id = str(event.get("batch_id", ""))
        task = self._tasks.get(batch_id)
        if task is None:
            task = self._tasks[batch_id] = self.progress.add_task("batch", total=int(event["total"]), failed=0)
        self.progress.update(task, completed=int(event["done"]), failed=int(event.get("failed", 0)))
        return True
