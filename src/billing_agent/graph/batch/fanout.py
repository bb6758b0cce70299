"""Fan-out: one `Send` per chunk of pending items, workers that run them throttled and record outcomes.

Exactly-once: outcomes of finished workers are checkpointed (LangGraph keeps the writes of finished tasks of
an interrupted step; the concurrency limit is a lane semaphore inside the workers so nothing delays those
writes); only unfinished chunks run again on resume, and there EVERY item is first checked in Lago (the
action's probe), so an effect that landed before the crash counts as done and is not redone. Actions a batch
runs have a probe or are safe to repeat (`ActionRule`, enforced by `batch_prepare`).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.tools import BaseTool
from langgraph.runtime import Runtime
from langgraph.types import Send

from billing_agent.compat import run_is_resuming
from billing_agent.graph.approval import run_ledger
from billing_agent.graph.batch.actions import ActionRule, rule_for
from billing_agent.graph.batch.call import call_batch_tool
from billing_agent.graph.batch.cancel import hand_over
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.batch.lanes import lane
from billing_agent.graph.batch.limiter import RateLimiter, shared_limiter
from billing_agent.graph.batch.outcomes import (
    applied_despite_error,
    from_call,
    is_fatal,
    may_have_applied,
    recovered,
    skipped,
    unverified,
)
from billing_agent.graph.batch.probe import effect_present
from billing_agent.graph.batch.progress import emit_progress, record_progress
from billing_agent.graph.batch.state import BatchJob, ItemOutcome
from billing_agent.graph.context import resolve_context
from billing_agent.graph.records import extract_records
from billing_agent.graph.render import columns_for
from billing_agent.graph.state import NodeFunction, State
from billing_agent.graph.toolcall import Outcome
from billing_agent.memory.approvals import BatchGrant
from billing_agent.tools.policy import ToolPolicy

WORKER = "batch_worker"
REPORT = "batch_report"
SUMMARY_COLUMNS = 6
NOT_GRANTED = "Not run: the user did not approve this item with these arguments."
UNCHECKED_AFTER_CRASH = " It may have been applied before the crash (this action has no check in Lago): verify it."


async def check_grant(
    runtime: Runtime[Any], policy: ToolPolicy, action: str, batch_id: str
) -> tuple[str, BatchGrant | None]:
    """Why no item of this batch may change data ("" when allowed), and the human's grant of the batch."""
    principal = resolve_context(runtime).principal
    if not principal.may_use(policy.risk(action)):
        return f"Not run: the user's role ({principal.role}) may not run `{action}`.", None
    if policy.is_read_only(action):
        return "", None
    grant = await run_ledger(runtime).batch(batch_id)
    if grant is None or grant.status not in ("granted", "running") or grant.action != action:
        return NOT_GRANTED, None
    return "", grant


def pending_items(state: State) -> tuple[BatchJob | None, list[dict[str, Any]], int]:
    """The approved job, its items without an outcome yet, and how many already have one."""
    job = state.get("batch")
    if not job or job.get("status") != "approved":
        return None, [], 0
    outcomes = state.get("batch_outcomes") or {"batch_id": "", "items": {}}
    done = outcomes["items"] if outcomes.get("batch_id") == job["batch_id"] else {}
    pending = [{"key": i["key"], "args": i["args"]} for i in job.get("items", []) if i["key"] not in done]
    return job, pending, len(job.get("items", [])) - len(pending)


def make_dispatch(config: BatchConfig) -> Callable[[State], list[Send] | str]:
    """The edge that sends every chunk of pending items to a worker (or goes to the report when none are left)."""

    def dispatch(state: State) -> list[Send] | str:
        job, pending, done_before = pending_items(state)
        if job is None or not pending:
            return REPORT
        size = config.chunk_for(len(pending))
        total = len(job.get("items", []))
        return [
            Send(
                WORKER,
                {
                    "batch_id": job["batch_id"],
                    "action": job["action"],
                    "read_only": job.get("read_only", False),
                    "total": total,
                    "done_before": done_before,
                    "items": pending[start : start + size],
                },
            )
            for start in range(0, len(pending), size)
        ]

    return dispatch


def is_recovering() -> bool:
    """True when this task re-runs after the run was cut off mid-step (first step of a resumed run)."""
    return run_is_resuming()


def _summary(action: str, outcome: Outcome) -> dict[str, Any] | None:
    records = extract_records(action, outcome.data) if outcome.ok else None
    if records is None or not records.items:
        return None
    record = records.items[0]
    keep = columns_for(records)[:SUMMARY_COLUMNS]
    summary = {k: record[k] for k in keep if not isinstance(record.get(k), dict | list)}
    for key in ("currency", "dashboard_url"):
        if isinstance(record.get(key), str):
            summary[key] = record[key]
    return summary


async def _run_item(
    tools: Mapping[str, BaseTool],
    action: str,
    args: dict[str, Any],
    call_id: str,
    read_only: bool,
    limiter: RateLimiter,
) -> ItemOutcome:
    """Run the action for one item; after an error that may hide a change, look in Lago before calling it failed."""
    rule = rule_for(action)
    await limiter.acquire()
    result = await call_batch_tool(tools, action, args, call_id)
    outcome = from_call(result, rule)
    if read_only:
        summary = _summary(action, result)
        if summary is not None:
            outcome["summary"] = summary
    elif may_have_applied(outcome):
        found = await effect_present(tools, rule, args, limiter)
        if found is not None and found.present:
            # This call made the change (its answer was lost): done by this batch, not "already in place".
            outcome = applied_despite_error(found.result_id)
    return outcome


def item_marker(batch_id: str, key: str) -> str:
    """The idempotency marker of one batch item: the same on every run of the batch, whatever the chunking."""
    return f"ba_{batch_id[:16]}_{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def make_worker(tools: Mapping[str, BaseTool], policy: ToolPolicy, config: BatchConfig) -> NodeFunction:
    """Build the worker node: runs one chunk item by item in one of the shared lanes, under the rate limiter.

    Every item is checked where it runs: the caller's role must allow the action, and a change must be covered
    by the human's grant of this batch (same key and arguments); the payload's own claims are not trusted.
    """

    async def batch_worker(payload: dict[str, Any], *, runtime: Runtime[Any]) -> dict[str, Any]:
        batch_id, outcomes = str(payload["batch_id"]), dict[str, ItemOutcome]()
        try:
            async with lane(config.concurrency):
                await _run_chunk(tools, policy, config, payload, outcomes, runtime)
        except asyncio.CancelledError:  # the run is being cancelled: hand over what this chunk already did
            in_flight = next((str(i["key"]) for i in payload["items"] if str(i["key"]) not in outcomes), None)
            hand_over(batch_id, outcomes, in_flight)
            raise
        if hand_over(batch_id, outcomes):
            return {}
        return {"batch_outcomes": {"batch_id": batch_id, "items": outcomes}}

    return batch_worker


async def _recovered_outcome(
    tools: Mapping[str, BaseTool], rule: ActionRule, args: dict[str, Any], limiter: RateLimiter
) -> ItemOutcome | None:
    """On a re-run chunk: the item's outcome when Lago shows its effect (or cannot tell), None to run it."""
    found = await effect_present(tools, rule, args, limiter)
    if found is None or found.present is False:
        return None
    if found.present:
        return recovered(found.result_id)
    return unverified(found.reason)


async def _run_chunk(
    tools: Mapping[str, BaseTool],
    policy: ToolPolicy,
    config: BatchConfig,
    payload: dict[str, Any],
    outcomes: dict[str, ItemOutcome],
    runtime: Runtime[Any],
) -> None:
    """Run one chunk's items in order, recording each outcome in `outcomes` as it is known."""
    action, batch_id = str(payload["action"]), str(payload["batch_id"])
    read_only = policy.is_read_only(action)
    refusal, grant = await check_grant(runtime, policy, action, batch_id)
    rule = rule_for(action)
    limiter = shared_limiter(config.rate)
    # A failed item breaks the "applied items form a prefix" pattern, so every item of a re-run chunk is probed.
    probing = is_recovering() and not read_only
    stop_reason: str | None = None
    for index, item in enumerate(payload["items"]):
        key, args = str(item["key"]), dict(item["args"])
        outcome: ItemOutcome | None = skipped(stop_reason) if stop_reason is not None else None
        if outcome is None and (refusal or (not read_only and (grant is None or not grant.covers(key, args)))):
            outcome = skipped(refusal or NOT_GRANTED)
        if rule.marker is not None and not read_only:
            args[rule.marker] = item_marker(batch_id, key)
        if outcome is None and probing:
            outcome = await _recovered_outcome(tools, rule, args, limiter)
        if outcome is None:
            outcome = await _run_item(tools, action, args, f"{batch_id[:8]}_{index}", read_only, limiter)
            if probing and rule.probe is None and outcome["status"] == "failed":
                outcome["message"] += UNCHECKED_AFTER_CRASH
            if is_fatal(outcome):
                stop_reason = f"Not attempted: an earlier item failed in a way every item would ({outcome['code']})."
        outcomes[key] = outcome
        emit_progress(
            record_progress(batch_id, int(payload["total"]), int(payload["done_before"]), outcome["status"] != "ok")
        )
