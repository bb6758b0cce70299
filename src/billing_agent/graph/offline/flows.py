"""Replayable flows: a flow is a generator that yields batches of calls and receives their results.

The planner is stateless: on every call it re-runs the flow for the current request from the start and
feeds it the results already in the conversation, batch by batch. The first batch without results is what
it emits next; when the flow returns, its return value is the final answer.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

from billing_agent.graph.offline.catalog import PlannedCall, ToolCatalog
from billing_agent.graph.offline.results import ToolResult

MAX_ROUNDS = 6
ERROR_EXCERPT = 400
# How the graph words a call the user declined, or one that was never run (e.g. not confirmed).
_DECLINED = re.compile(r"\b(?:user|you) declined\b|\bdeclined by the user\b", re.IGNORECASE)
_NOT_RUN = re.compile(r"\b(?:was|were) not run\b|\bnot confirmed\b", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    """One batch of calls to make together, and the short sentence said beside them."""

    calls: tuple[PlannedCall, ...]
    say: str = ""


Flow = Generator[Step, list[ToolResult], str]


class FlowStop(Exception):
    """Raised inside a flow to end it with a plain answer (e.g. "No customer matches 'x'.")."""

    def __init__(self, reply: str) -> None:
        """Stores the answer."""
        super().__init__(reply)
        self.reply = reply


@dataclass(frozen=True)
class Emit:
    """Tool calls to make next: (name, args) pairs, plus one short sentence."""

    calls: list[tuple[str, dict[str, Any]]]
    say: str = ""


@dataclass(frozen=True)
class Reply:
    """The final answer of this turn."""

    text: str


Action = Emit | Reply


def replay(flow: Flow, batches: Sequence[list[ToolResult]], catalog: ToolCatalog) -> Action:
    """Runs `flow` over the results already received and returns what to do next."""
    try:
        step = next(flow)
        for results in batches:
            failed = [result for result in results if result.is_error]
            if failed:
                return Reply(failure_text(failed))
            step = flow.send(results)
        if len(batches) >= MAX_ROUNDS:
            return Reply(f"I stopped after {MAX_ROUNDS} rounds of tool calls without finishing; please rephrase.")
        return _emit(step, catalog)
    except StopIteration as done:
        return Reply(str(done.value))
    except FlowStop as stop:
        return Reply(stop.reply)
    finally:
        flow.close()


def _emit(step: Step, catalog: ToolCatalog) -> Action:
    calls: list[tuple[str, dict[str, Any]]] = []
    for planned in step.calls:
        fitted = catalog.fit(planned)
        if fitted is None:
            return Reply(missing_tool_text(planned))
        calls.append(fitted)
    return Emit(calls, step.say)


def failure_text(failed: Sequence[ToolResult]) -> str:
    """States plainly which calls failed or were declined, with the tool's own message."""
    lines = []
    for result in failed:
        name = f"`{result.name or 'a tool'}`"
        message = " ".join(result.text.split())[:ERROR_EXCERPT] or "no details were given"
        if _DECLINED.search(message):
            lines.append(f"{name} was declined, so nothing was changed.")
        elif _NOT_RUN.search(message):
            lines.append(f"{name} was not run, so nothing was changed: {message}")
        else:
            lines.append(f"{name} did not complete: {message}")
    return "\n".join(lines)


def missing_tool_text(planned: PlannedCall) -> str:
    """Explains that no offered tool can make the call: the role leaves it out, or the server lacks it."""
    names = " or ".join(f"`{name}`" for name in planned.names)
    params = ", ".join(planned.args) or "no arguments"
    return (
        f"I can't do that here: none of the tools available to you is {names} accepting {params}. "
        "The connected Lago server may not offer it, or your role may not allow it (ask an admin)."
    )
