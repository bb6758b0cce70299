"""The approval ledger: what the assistant asked and what the human decided, recorded server-side.

Thread state is writable by its owner (`update_state`, `Command(update=...)`, a state passed to `ainvoke`), so
it carries no authority. Instead, every change goes through this ledger in the LangGraph store:

1. *asked*: the node that proposes a change records it — the planner for each call of its reply, `batch_prepare`
   for a batch (its action and the digest of every item's arguments);
2. *granted* / *declined*: the confirm node, after `interrupt()` returned, grants exactly what it asked about,
   and only if the state still holds that (a call whose arguments changed since it was asked is declined);
3. *running* → *done*: the executor and every batch worker run only granted calls (items), and close them.

Clients cannot write here: on LangGraph Server the store API puts every client namespace under the caller's
owner id (`graphs/auth.py`), so a client never reaches the `approvals` root; embedding apps own their store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from langgraph.store.base import BaseStore

from billing_agent.memory.records import now_iso
from billing_agent.tenancy import Principal

NAMESPACE_ROOT = "approvals"
GrantStatus = Literal["asked", "granted", "declined", "running", "done"]
_ITEM_CACHE_SIZE = 64
_item_digests: dict[tuple[tuple[str, ...], str], dict[str, str]] = {}
"""Item digests of recent batches (written once per batch id, never changed: safe to keep in the process)."""


def args_digest(name: str, args: Mapping[str, Any]) -> str:
    """A short, stable hash of a tool name and its arguments."""
    text = json.dumps([name, args], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _label(value: str) -> str:
    return value.replace("%", "%25").replace(".", "%2E")  # store labels may not hold "."


def approvals_namespace(principal: Principal, thread_id: str) -> tuple[str, ...]:
    """The store namespace of one principal's approvals in one thread."""
    return (NAMESPACE_ROOT, _label(principal.org_id), _label(principal.user_id), _label(thread_id or "-"))


@dataclass(frozen=True)
class CallGrant:
    """One tool call as recorded: asked as proposed, granted as approved (an edit replaces name and args)."""

    call_id: str
    tool: str
    args: dict[str, Any]
    status: GrantStatus

    def matches(self, tool: str, args: Mapping[str, Any]) -> bool:
        """True when `tool(args)` is exactly the recorded call."""
        return self.tool == tool and args_digest(self.tool, self.args) == args_digest(tool, args)


@dataclass(frozen=True)
class BatchGrant:
    """One batch as recorded: its action and the digest of every item's arguments."""

    batch_id: str
    action: str
    items: Mapping[str, str]
    status: GrantStatus

    def covers(self, key: str, args: Mapping[str, Any]) -> bool:
        """True when item `key` with exactly these arguments is part of the recorded batch."""
        return self.items.get(key) == args_digest(self.action, args)

    def same_items(self, action: str, items: Iterable[tuple[str, Mapping[str, Any]]]) -> bool:
        """True when `action` on `items` is exactly the recorded batch (nothing added, removed or changed)."""
        digests = {key: args_digest(action, args) for key, args in items}
        return action == self.action and digests == dict(self.items)


class ApprovalLedger:
    """Asks and grants of one principal in one thread, kept in the LangGraph store."""

    def __init__(self, store: BaseStore, principal: Principal, thread_id: str) -> None:
        self.store = store
        self.principal = principal
        self.namespace = approvals_namespace(principal, thread_id)

    async def ask_call(self, call_id: str, tool: str, args: Mapping[str, Any]) -> None:
        """Record that the assistant proposed `tool(args)` as tool call `call_id`."""
        await self._put_call(call_id, tool, args, "asked")

    async def grant_call(self, call_id: str, tool: str, args: Mapping[str, Any]) -> None:
        """Record that the human approved `tool(args)` for tool call `call_id`."""
        await self._put_call(call_id, tool, args, "granted")

    async def call(self, call_id: str) -> CallGrant | None:
        """What is recorded for tool call `call_id`, if anything."""
        item = await self.store.aget(self.namespace, f"call/{call_id}")
        if item is None or item.value.get("kind") != "call":
            return None
        value = item.value
        return CallGrant(call_id, str(value["tool"]), dict(value.get("args") or {}), value["status"])

    async def mark_call(self, call_id: str, status: GrantStatus) -> None:
        """Move the record of `call_id` on (declined; running before the Lago call, done after it)."""
        item = await self.store.aget(self.namespace, f"call/{call_id}")
        if item is not None:
            await self.store.aput(self.namespace, f"call/{call_id}", {**item.value, "status": status}, index=False)

    async def _put_call(self, call_id: str, tool: str, args: Mapping[str, Any], status: GrantStatus) -> None:
        value = {"kind": "call", "tool": tool, "args": dict(args), "status": status, "by": self.principal.user_id}
        await self.store.aput(self.namespace, f"call/{call_id}", {**value, "at": now_iso()}, index=False)

    async def ask_batch(self, batch_id: str, action: str, items: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """Record that the assistant proposed `action` on exactly these (key, arguments) items."""
        digests = {key: args_digest(action, args) for key, args in items}
        await self.store.aput(self.namespace, f"batch/{batch_id}/items", {"items": digests}, index=False)
        _item_digests[(self.namespace, batch_id)] = digests
        if len(_item_digests) > _ITEM_CACHE_SIZE:
            _item_digests.pop(next(iter(_item_digests)))
        head = {"kind": "batch", "action": action, "count": len(digests), "status": "asked"}
        await self.store.aput(self.namespace, f"batch/{batch_id}", {**head, "at": now_iso()}, index=False)

    async def batch(self, batch_id: str) -> BatchGrant | None:
        """What is recorded for batch `batch_id`, if anything."""
        head = await self.store.aget(self.namespace, f"batch/{batch_id}")
        if head is None or head.value.get("kind") != "batch":
            return None
        cache_key = (self.namespace, batch_id)
        digests = _item_digests.get(cache_key)
        if digests is None:
            found = await self.store.aget(self.namespace, f"batch/{batch_id}/items")
            digests = dict((found.value if found else {}).get("items") or {})
            _item_digests[cache_key] = digests
        return BatchGrant(batch_id, str(head.value["action"]), digests, head.value["status"])

    async def mark_batch(self, batch_id: str, status: GrantStatus) -> None:
        """Move the record of a batch on: granted or declined by the human, done once its report is written."""
        head = await self.store.aget(self.namespace, f"batch/{batch_id}")
        if head is not None:
            value = {**head.value, "status": status, "by": self.principal.user_id, "at": now_iso()}
            await self.store.aput(self.namespace, f"batch/{batch_id}", value, index=False)
