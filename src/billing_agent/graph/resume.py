"""`Command(resume=None)` is an answer too: it resumes the pending confirmation as an empty reply (a rejection).

LangGraph treats a resume value of None as "no resume" and fails inside its loop (`UnboundLocalError`) before
any node runs, so the confirm nodes never see it. The compiled graph is a subclass whose entry points
(`invoke`/`ainvoke` go through `stream`/`astream`; LangGraph Server calls `astream` or `astream_events`)
replace that command with `Command(resume=NO_REPLY)`, which `parse_decisions` reads as a rejection.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from billing_agent.graph.context import Context
from billing_agent.graph.decisions import NO_REPLY
from billing_agent.graph.state import InputState, State


def with_empty_resume(graph_input: Any) -> Any:
    """`Command(resume=NO_REPLY)` for a bare `Command(resume=None)`; any other input unchanged."""
    if (
        isinstance(graph_input, Command)
        and graph_input.resume is None
        and graph_input.update is None
        and not graph_input.goto
        and graph_input.graph is None
    ):
        return Command(resume=NO_REPLY)
    return graph_input


class AnsweringGraph(CompiledStateGraph[State, Context, InputState, Any]):
    """The compiled agent; an empty resume reaches the confirmation as a rejection instead of crashing."""

    def stream(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        """`Pregel.stream` (and so `invoke`) with an empty resume read as a rejection."""
        return super().stream(with_empty_resume(input), *args, **kwargs)

    def astream(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        """`Pregel.astream` (and so `ainvoke`) with an empty resume read as a rejection."""
        return super().astream(with_empty_resume(input), *args, **kwargs)

    def stream_events(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        """`Pregel.stream_events` with an empty resume read as a rejection."""
        return super().stream_events(with_empty_resume(input), *args, **kwargs)

    def astream_events(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        """`Pregel.astream_events` with an empty resume read as a rejection."""
        return super().astream_events(with_empty_resume(input), *args, **kwargs)


def answering(graph: CompiledStateGraph[State, Context, InputState, Any]) -> AnsweringGraph:
    """The same compiled graph (nodes, channels, checkpointer, store, config) as an `AnsweringGraph`."""
    attrs = {k: v for k, v in graph.__dict__.items() if k != "__orig_class__"}  # as `Pregel.copy` does
    return AnsweringGraph(**attrs)
