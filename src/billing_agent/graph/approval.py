"""The run's approval ledger (see `billing_agent.memory.approvals`) and the texts of calls it does not cover."""

from __future__ import annotations

from typing import Any

from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.store.memory import InMemoryStore

from billing_agent.graph.context import resolve_context
from billing_agent.memory.approvals import ApprovalLedger

NOT_ASKED = (
    "`{name}` was NOT run: no confirmation was asked for exactly this call (it was not proposed by the assistant "
    "in this thread, or its arguments changed after it was proposed). Propose it again if the user wants it."
)
NOT_CONFIRMED = "`{name}` changes data and was not confirmed by the user, so it was not run."
ALREADY_RUN = "`{name}` was NOT run again: this approved call already ran once. Ask the user before repeating it."

_process_store = InMemoryStore()
"""Where a graph compiled without a store keeps its approvals: they last as long as the process."""


def thread_id() -> str:
    """The current run's thread id ("" outside a thread)."""
    try:
        return str((get_config().get("configurable") or {}).get("thread_id") or "")
    except RuntimeError:
        return ""


def run_ledger(runtime: Runtime[Any]) -> ApprovalLedger:
    """The ledger of this run's principal and thread, in the graph's store (or the process's, without one)."""
    return ApprovalLedger(runtime.store or _process_store, resolve_context(runtime).principal, thread_id())
