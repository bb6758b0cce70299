"""Compaction: the checkpointed conversation keeps its recent turns; older ones move to a transcript archive.

LangGraph loads a thread's whole state at every turn, so a state that grows with the conversation makes every
turn slower and every snapshot bigger. After a turn ends, once the thread holds more than
`COMPACT_AFTER_TURNS` turns, the oldest are written once to the store (namespace `("transcripts", thread_id)`),
folded into the running summary the planner sends, and removed from the state together with their
structured tool results (`results`; the archived tool messages keep them as artifacts). Without a store
nothing is compacted (there would be nowhere to keep the transcript).

Compaction runs inside the node that writes the answer (`with_compaction`), not as a step of its own: most
turns have nothing to compact, and a graph step costs about a millisecond of bookkeeping and a checkpoint write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage, RemoveMessage, ToolMessage, messages_from_dict, messages_to_dict
from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore, PutOp

from billing_agent.memory.window import split_turns, summary_line

STORED_TURNS = 5
"""Turns a thread keeps in its state after compaction (at least `window.KEEP_TURNS`, which the model sees whole).

Every turn loads the whole state, so fewer stored turns make a faster turn; the prompt is the same either way
(older turns reach the model as summary lines, from the state or from compaction)."""
COMPACT_AFTER_TURNS = 8
"""Compaction starts when the state holds more turns than this (so it runs once every few turns).

Measured with benchmarks/memory.py (Postgres, 100 turns): keeping 10–15 turns instead of 5–8 took 1–2 ms
more per turn to load the thread, for the same prompts."""
SUMMARY_KEPT_LINES = 50
"""Summary lines of archived turns kept in the state."""
TRANSCRIPTS = "transcripts"


@dataclass(frozen=True)
class Compaction:
    """What to archive and remove, and the summary after it."""

    archived: list[list[BaseMessage]]
    removals: list[RemoveMessage]
    summary: list[str]
    archived_call_ids: list[str]
    """Tool call ids answered in the archived turns (their structured results leave the state too)."""


def plan_compaction(
    messages: Sequence[BaseMessage],
    summary: Sequence[str] = (),
    *,
    keep: int = STORED_TURNS,
    after: int = COMPACT_AFTER_TURNS,
) -> Compaction | None:
    """The turns beyond the last `keep` once there are more than `after`; None while there are not."""
    turns = split_turns(messages)
    if len(turns) <= after:
        return None
    old = turns[:-keep]
    lines = [*summary, *(summary_line(turn) for turn in old)][-SUMMARY_KEPT_LINES:]
    removals = [RemoveMessage(id=str(m.id)) for turn in old for m in turn if m.id]
    call_ids = [m.tool_call_id for turn in old for m in turn if isinstance(m, ToolMessage)]
    return Compaction(archived=old, removals=removals, summary=lines, archived_call_ids=call_ids)


def transcript_namespace(thread_id: str) -> tuple[str, ...]:
    """Where a thread's archived turns live in the store."""
    return (TRANSCRIPTS, thread_id.replace(".", "%2E"))


async def archive_turns(store: BaseStore, thread_id: str, first: int, turns: Sequence[list[BaseMessage]]) -> None:
    """Write turns `first`, `first + 1`, … of the thread to the store, one item per turn, in one batch."""
    namespace = transcript_namespace(thread_id)
    await store.abatch(
        [
            PutOp(namespace, f"{first + offset:08d}", {"messages": messages_to_dict(turn)}, index=False)
            for offset, turn in enumerate(turns)
        ]
    )


async def read_archive(store: BaseStore, thread_id: str) -> list[BaseMessage]:
    """The archived messages of a thread, oldest first."""
    items: list[Any] = []
    while True:
        page = await store.asearch(transcript_namespace(thread_id), limit=100, offset=len(items))
        items += page
        if len(page) < 100:
            break
    items.sort(key=lambda item: item.key)
    return [m for item in items for m in messages_from_dict(item.value["messages"])]


async def delete_archive(store: BaseStore, thread_id: str) -> None:
    """Remove a thread's archived turns."""
    while page := await store.asearch(transcript_namespace(thread_id), limit=100):
        for item in page:
            await store.adelete(item.namespace, item.key)


async def compact(state: dict[str, Any], *, runtime: Runtime[Any]) -> dict[str, Any]:
    """After an answer: archive and drop the oldest turns (and their results) when there are too many."""
    if runtime.store is None:
        return {}
    plan = plan_compaction(state.get("messages", []), state.get("summary") or [])
    if plan is None:
        return {}
    thread_id = str(get_config().get("configurable", {}).get("thread_id", ""))
    archived = int(state.get("archived_turns") or 0)
    await archive_turns(runtime.store, thread_id, archived, plan.archived)
    update: dict[str, Any] = {
        "messages": plan.removals,
        "summary": plan.summary,
        "archived_turns": archived + len(plan.archived),
    }
    kept_results = state.get("results") or {}
    if dropped := {call_id: None for call_id in plan.archived_call_ids if call_id in kept_results}:
        update["results"] = dropped
    return update


AnswerNode = Callable[..., Awaitable[dict[str, Any]]]


def with_compaction(answer: AnswerNode) -> AnswerNode:
    """The node `answer` (which writes the turn's final message) followed by `compact`, in the same step.

    Compaction never touches the current turn, so it is planned on the state the node received.
    """

    async def answer_and_compact(state: dict[str, Any], *, runtime: Runtime[Any]) -> dict[str, Any]:
        update = dict(await answer(state, runtime=runtime))
        compaction = await compact(state, runtime=runtime)
        removals = compaction.pop("messages", [])
        update["messages"] = [*update.get("messages", []), *removals]
        return {**update, **compaction}

    answer_and_compact.__name__ = getattr(answer, "__name__", "answer")
    return answer_and_compact
