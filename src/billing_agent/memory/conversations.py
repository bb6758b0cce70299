"""The conversation index: one entry per thread, owned by (org, user), kept in a LangGraph store.

Entries live in one namespace keyed by thread id, so a thread id can belong to one owner only; every
operation checks the owner and answers "not found" for other users' threads (nothing leaks, not even
whether the id exists).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.store.base import BaseStore

from billing_agent.memory.compaction import delete_archive
from billing_agent.memory.records import now_iso, title_from
from billing_agent.tenancy import Principal

NAMESPACE = ("conversations",)
DEFAULT_LIMIT = 50


class ConversationStatus(StrEnum):
    """Where a conversation stands after its last turn."""

    IDLE = "idle"
    WAITING_FOR_CONFIRMATION = "waiting_for_confirmation"


class ConversationNotFound(LookupError):
    """No conversation with this id belongs to the asking user (it may not exist at all)."""

    def __init__(self, thread_id: str) -> None:
        super().__init__(
            f"No conversation {thread_id!r} in your conversations. "
            "Run `billing-agent conversations list` to see the ids you can use."
        )
        self.thread_id = thread_id


@dataclass(frozen=True)
class Conversation:
    """One indexed conversation (the messages themselves are in the checkpointer)."""

    thread_id: str
    org_id: str
    user_id: str
    title: str
    created_at: str
    updated_at: str
    status: ConversationStatus = ConversationStatus.IDLE

    @property
    def waiting(self) -> bool:
        """True when the last turn stopped at a confirmation request."""
        return self.status is ConversationStatus.WAITING_FOR_CONFIRMATION

    @classmethod
    def from_value(cls, thread_id: str, value: dict[str, Any]) -> Conversation:
        """Rebuild an entry from its stored value."""
        return cls(
            thread_id=thread_id,
            org_id=str(value["org_id"]),
            user_id=str(value["user_id"]),
            title=str(value["title"]),
            created_at=str(value["created_at"]),
            updated_at=str(value["updated_at"]),
            status=ConversationStatus(value.get("status", ConversationStatus.IDLE)),
        )

    def to_value(self) -> dict[str, Any]:
        """The stored value (the thread id is the key)."""
        value = asdict(self)
        del value["thread_id"]
        value["status"] = self.status.value
        return value


class ConversationIndex:
    """List, find, rename and delete the conversations of one principal; record each turn."""

    def __init__(self, store: BaseStore, checkpointer: BaseCheckpointSaver[Any] | None = None) -> None:
        """Use `store` for the index; `checkpointer` is needed by `delete` (the thread's checkpoints go too)."""
        self.store = store
        self.checkpointer = checkpointer

    async def _find(self, thread_id: str) -> Conversation | None:
        item = await self.store.aget(NAMESPACE, thread_id)
        return Conversation.from_value(thread_id, item.value) if item is not None else None

    async def get(self, principal: Principal, thread_id: str) -> Conversation:
        """The principal's conversation `thread_id`.

        Raises:
            ConversationNotFound: when it does not exist or belongs to someone else.
        """
        found = await self._find(thread_id)
        if found is None or (found.org_id, found.user_id) != principal.owner:
            raise ConversationNotFound(thread_id)
        return found

    async def check_access(self, principal: Principal, thread_id: str) -> Conversation | None:
        """The principal's entry for `thread_id`, or None when the id is unused.

        Raises:
            ConversationNotFound: when the id belongs to someone else.
        """
        found = await self._find(thread_id)
        if found is not None and (found.org_id, found.user_id) != principal.owner:
            raise ConversationNotFound(thread_id)
        return found

    async def record_turn(
        self, principal: Principal, thread_id: str, message: str | None, *, waiting: bool
    ) -> Conversation:
        """Create the entry on the first turn (titled after `message`), else refresh its time and status.

        Raises:
            ConversationNotFound: when the id belongs to someone else.
        """
        found = await self.check_access(principal, thread_id)
        stamp = now_iso()
        status = ConversationStatus.WAITING_FOR_CONFIRMATION if waiting else ConversationStatus.IDLE
        if found is None:
            org_id, user_id = principal.owner
            entry = Conversation(thread_id, org_id, user_id, title_from(message or ""), stamp, stamp, status)
        else:
            entry = Conversation(**{**asdict(found), "updated_at": stamp, "status": status})
        await self.store.aput(NAMESPACE, thread_id, entry.to_value(), index=False)
        return entry

    async def list(self, principal: Principal, *, limit: int = DEFAULT_LIMIT) -> list[Conversation]:
        """The principal's conversations, most recently updated first."""
        org_id, user_id = principal.owner
        entries: list[Conversation] = []
        offset = 0
        while True:
            page = await self.store.asearch(
                NAMESPACE, filter={"org_id": org_id, "user_id": user_id}, limit=100, offset=offset
            )
            entries += [Conversation.from_value(item.key, item.value) for item in page]
            if len(page) < 100:
                break
            offset += len(page)
        entries.sort(key=lambda c: c.updated_at, reverse=True)
        return entries[:limit]

    async def rename(self, principal: Principal, thread_id: str, title: str) -> Conversation:
        """Give the conversation a new title.

        Raises:
            ConversationNotFound: when it does not exist or belongs to someone else.
            ValueError: when the title is empty.
        """
        if not title.strip():
            raise ValueError("The new title is empty; give a few words, e.g. 'March invoices'.")
        found = await self.get(principal, thread_id)
        entry = Conversation(**{**asdict(found), "title": title_from(title), "updated_at": now_iso()})
        await self.store.aput(NAMESPACE, thread_id, entry.to_value(), index=False)
        return entry

    async def delete(self, principal: Principal, thread_id: str) -> Conversation:
        """Delete the conversation: its checkpoints, its archived turns and its index entry.

        Raises:
            ConversationNotFound: when it does not exist or belongs to someone else.
            RuntimeError: when the index was opened without a checkpointer.
        """
        found = await self.get(principal, thread_id)
        if self.checkpointer is None:
            raise RuntimeError("ConversationIndex.delete needs the checkpointer to remove the thread's checkpoints.")
        await self.checkpointer.adelete_thread(thread_id)
        await delete_archive(self.store, thread_id)
        await self.store.adelete(NAMESPACE, thread_id)
        return found
