"""Audit entries for batches: one per confirmed, rejected or refused batch, completed with its counts."""

from __future__ import annotations

from langgraph.config import get_config
from langgraph.store.base import BaseStore

from billing_agent.graph.batch.report import count, headline
from billing_agent.graph.batch.state import BatchJob, ItemOutcome
from billing_agent.graph.batch.tool import BATCH_TOOL_NAME
from billing_agent.memory.audit import AuditTrail, Decision
from billing_agent.tenancy import Principal

SAMPLE_ROWS = 5


def _thread_id() -> str:
    return str(get_config().get("configurable", {}).get("thread_id", ""))


async def audit_batch_decision(
    store: BaseStore | None, principal: Principal, job: BatchJob, decision: Decision, detail: str = ""
) -> None:
    """Record what was decided about the batch: its action, common arguments, size and a sample."""
    if store is None:
        return
    items = job.get("items", [])
    args = {
        "action": job["action"],
        "count": len(items),
        "targets": job.get("source", ""),
        "sample": [item["label"] for item in items[:SAMPLE_ROWS]],
    }
    await AuditTrail(store).record_decision(
        principal,
        thread_id=_thread_id(),
        call_id=job["call_id"],
        tool=BATCH_TOOL_NAME,
        args=args,
        decision=decision,
        detail=detail,
    )


async def audit_batch_outcome(
    store: BaseStore | None, principal: Principal, job: BatchJob, outcomes: dict[str, ItemOutcome]
) -> None:
    """Complete the batch's audit entry: succeeded when no item failed, with the counts as detail."""
    if store is None:
        return
    counts = count(job, outcomes)
    await AuditTrail(store).record_outcome(
        principal,
        thread_id=_thread_id(),
        call_id=job["call_id"],
        ok=counts.failed == 0 and counts.skipped == 0,
        detail=headline(job, counts),
    )
