"""Compaction: the checkpointed conversation keeps its recent turns; older ones move to a transcript archive.

LangGraph loads a thread's whole state at every turn, so a state that grows with the conversation makes every
turn slower and every snapshot bigger. After a turn ends, once the thread holds more than
`COMPACT_AFTER_TURNS` turns, the oldest are written once to the store (namespace `("transcripts", thread_id)`),
folded into the running summary the planner sends, and removed from the state. Without a store nothing is
compacted (there would be nowhere to keep the transcript).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage, RemoveMessage, messages_from_dict, messages_to_dict
from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore

from billing_agent.memory.window import split_turns, summary_line

STORED_TURNS = 10
"""Turns a thread keeps in its state after compaction."""
COMPACT_AFTER_TURNS = 15
"""Compaction starts when the state holds more turns than this (so it runs once every few turns)."""
SUMMARY_KEPT_LINES = 50
"""Summary lines of archived turns kept in the state."""
TRANSCRIPTS = "transcripts"


@dataclass(frozen=True)
class Compaction:
    """What to archive and remove, and the summary after it."""

    archived: list[list[BaseMessage]]
    removals: list[RemoveMessage]
    summary: list[str]


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
    return Compaction(archived=old, removals=removals, summary=lines)


def transcript_namespace(thread_id: str) -> tuple[str, ...]:
    """Where a thread's archived turns live in the store."""
    return (TRANSCRIPTS, thread_id.replace(".", "%2E"))


async def archive_turns(store: BaseStore, thread_id: str, first: int, turns: Sequence[list[BaseMessage]]) -> None:
    """Write turns `first`, `first + 1`, … of the thread to the store, one item per turn."""
    for offset, turn in enumerate(turns):
        value = {"messages": messages_to_dict(turn)}
        await store.aput(transcript_namespace(thread_id), f"{first + offset:08d}", value, index=False)


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
    """Graph node run after each answer: archive and drop the oldest turns when there are too many."""
    if runtime.store is None:
        return {}
    plan = plan_compaction(state.get("messages", []), state.get("summary") or [])
    if plan is None:
        return {}
    thread_id = str(get_config().get("configurable", {}).get("thread_id", ""))
    archived = int(state.get("archived_turns") or 0)
    await archive_turns(runtime.store, thread_id, archived, plan.archived)
    return {
        "messages": plan.removals,
        "summary": plan.summary,
        "archived_turns": archived + len(plan.archived),
    }
