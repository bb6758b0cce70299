"""The CLI's progress bar receives the batch's custom stream events through `ChatSession.send(on_event=...)`."""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from billing_agent.cli.progress import BatchProgressBar
from billing_agent.cli.session import ChatSession
from billing_agent.graph import Context, build_graph
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.sandbox import SandboxServer

from .helpers import FAST, tools_on


def test_progress_bar_follows_the_events() -> None:
    bar = BatchProgressBar()
    assert not bar.update({"type": "something_else"}) and not bar.active
    assert bar.update({"type": "batch_progress", "batch_id": "b1", "done": 3, "total": 10, "failed": 1})
    assert bar.update({"type": "batch_progress", "batch_id": "b1", "done": 10, "total": 10, "failed": 2})
    (task,) = bar.progress.tasks
    assert bar.active and task.completed == 10 and task.total == 10 and task.fields["failed"] == 2


async def test_chat_session_streams_batch_progress_to_the_cli(sandbox_server: SandboxServer) -> None:
    events: list[dict[str, Any]] = []
    async with tools_on(sandbox_server) as tools:
        graph = build_graph(tools, OfflinePlanner(), checkpointer=InMemorySaver(), batch=FAST)
        session = ChatSession(graph, Context())
        first = await session.send("Apply coupon SUMMER20 to all US customers", on_event=events.append)
        assert first.request is not None and events == []
        done = await session.send("CONFIRM", on_event=events.append)
    assert done.answer is not None and "done" in done.answer
    bar = BatchProgressBar()
    assert all(bar.update(event) for event in events)
    (task,) = bar.progress.tasks
    assert task.completed == task.total == first.request["action_requests"][0]["args"]["count"]
