"""The audit trail: every confirmed, edited, rejected or refused change — who, when, what, outcome.

Entries are scoped like conversations: stored under the organization, tagged with the user, and listed
only to that same (organization, user). Nobody sees another user's or organization's entries.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from langgraph.store.base import BaseStore

from billing_agent.memory.records import clip, now_iso
from billing_agent.tenancy import Principal

NAMESPACE_ROOT = "audit"
ARGS_CHARS = 2_000
DEFAULT_LIMIT = 50


class Decision(StrEnum):
    """What the human (or the role table) decided about a change."""

    APPROVED = "approved"
    EDITED = "edited"
    REJECTED = "rejected"
    REFUSED = "refused"
    """Not offered to the human: the user's role does not allow the tool."""


class Outcome(StrEnum):
    """What happened to the change afterwards."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_RUN = "not_run"


@dataclass(frozen=True)
class AuditEntry:
    """One decided change."""

    org_id: str
    user_id: str
    role: str
    thread_id: str
    call_id: str
    tool: str
    args: Any
    decision: Decision
    outcome: Outcome
    at: str
    detail: str = ""

    @property
    def key(self) -> str:
        """The store key: unique per tool call of a thread."""
        return f"{self.thread_id}/{self.call_id}"

    def to_value(self) -> dict[str, Any]:
        """The stored value."""
        return {**asdict(self), "decision": self.decision.value, "outcome": self.outcome.value}

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> AuditEntry:
        """Rebuild an entry from its stored value."""
        fields = {**value, "decision": Decision(value["decision"]), "outcome": Outcome(value["outcome"])}
        return cls(**fields)


def _namespace(org_id: str) -> tuple[str, ...]:
    return (NAMESPACE_ROOT, org_id.replace("%", "%25").replace(".", "%2E"))  # store labels may not hold "."


def _clip_args(args: Any) -> Any:
    try:
        text = json.dumps(args, default=str, sort_keys=True)
    except (TypeError, ValueError):
        text = str(args)
    return args if len(text) <= ARGS_CHARS else clip(text, ARGS_CHARS)


class AuditTrail:
    """Record decisions and outcomes of changes; list them for a principal."""

    def __init__(self, store: BaseStore) -> None:
        self.store = store

    async def record_decision(
        self,
        principal: Principal,
        *,
        thread_id: str,
        call_id: str,
        tool: str,
        args: Any,
        decision: Decision,
        detail: str = "",
    ) -> AuditEntry:
        """Record what was decided about one tool call (approved and edited calls wait for their outcome)."""
        outcome = Outcome.PENDING if decision in (Decision.APPROVED, Decision.EDITED) else Outcome.NOT_RUN
        entry = AuditEntry(
            org_id=principal.org_id,
            user_id=principal.user_id,
            role=principal.role.value,
            thread_id=thread_id,
            call_id=call_id,
            tool=tool,
            args=_clip_args(args),
            decision=decision,
            outcome=outcome,
            at=now_iso(),
            detail=clip(detail, 500),
        )
        await self.store.aput(_namespace(entry.org_id), entry.key, entry.to_value(), index=False)
        return entry

    async def record_outcome(
        self, principal: Principal, *, thread_id: str, call_id: str, ok: bool, detail: str = ""
    ) -> AuditEntry | None:
        """Complete a decided call with its result; None when the call was never decided (a read)."""
        item = await self.store.aget(_namespace(principal.org_id), f"{thread_id}/{call_id}")
        if item is None:
            return None
        entry = replace(
            AuditEntry.from_value(item.value),
            outcome=Outcome.SUCCEEDED if ok else Outcome.FAILED,
            detail=clip(detail, 500),
        )
        await self.store.aput(_namespace(entry.org_id), entry.key, entry.to_value(), index=False)
        return entry

    async def list(
        self, principal: Principal, *, limit: int = DEFAULT_LIMIT, thread_id: str | None = None
    ) -> list[AuditEntry]:
        """The principal's own entries, newest first (optionally of one conversation)."""
        query: dict[str, Any] = {"user_id": principal.user_id}
        if thread_id is not None:
            query["thread_id"] = thread_id
        entries: list[AuditEntry] = []
        offset = 0
        while True:
            page = await self.store.asearch(_namespace(principal.org_id), filter=query, limit=100, offset=offset)
            entries += [AuditEntry.from_value(item.value) for item in page]
            if len(page) < 100:
                break
            offset += len(page)
        entries.sort(key=lambda e: e.at, reverse=True)
        return entries[:limit]
