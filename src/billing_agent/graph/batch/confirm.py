"""Confirm a batch once: count, a 5-row sample, estimated duration and the exact action, in the HITL schema."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from billing_agent.graph.approval import run_ledger
from billing_agent.graph.batch.audit import audit_batch_decision
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.batch.shown import (
    NOT_SET,
    FieldValues,
    common_args,
    describe_field,
    field_payload,
    leaf_values,
    runnable,
    show_value,
    varying_fields,
)
from billing_agent.graph.batch.state import BatchItem, BatchJob
from billing_agent.graph.batch.tool import BATCH_TOOL_NAME
from billing_agent.graph.context import resolve_context
from billing_agent.graph.decisions import parse_decisions
from billing_agent.graph.impact import CONFIRM_HINT
from billing_agent.graph.state import NodeFunction, State
from billing_agent.memory.approvals import ApprovalLedger
from billing_agent.memory.audit import Decision as AuditDecision
from billing_agent.tools.policy import Risk, ToolPolicy

SAMPLE_ROWS = 5
NOT_PREPARED = (
    "this batch is not the one the assistant prepared (its targets or arguments differ from what was resolved), "
    "so it was not put to the user; ask for it again"
)
BATCH_DECISIONS = ["approve", "reject"]


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    return f"about {round(seconds / 60)} min"


def _sample_entry(item: BatchItem, fields: list[FieldValues]) -> str:
    """The item's label plus its own value of every varying field the label does not already show."""
    leaves = dict(leaf_values(item["args"]))
    own = [(f.path, leaves.get(f.path, NOT_SET)) for f in fields]
    extra = ", ".join(f"{path}={show_value(v)}" for path, v in own if str(v) not in item["label"])
    return f"{item['label']}: {extra}" if extra else item["label"]


def describe_batch(job: BatchJob, config: BatchConfig, risk: Risk, fields: list[FieldValues]) -> str:
    """What will run, on how many targets (with a sample), what each call writes, how long, how to confirm.

    `fields`: the job's `varying_fields`, computed once by the caller.
    """
    items = job.get("items", [])
    calls = runnable(items)
    noun = job.get("noun", "record")
    shown = ", ".join(f"{k}={v!r}" for k, v in leaf_values(common_args(items)))
    sample = "; ".join(_sample_entry(item, fields) for item in items[:SAMPLE_ROWS])
    more = f" and {len(items) - SAMPLE_ROWS:,} more" if len(items) > SAMPLE_ROWS else ""
    per_item = "; ".join(describe_field(field, len(calls)) for field in fields)
    label = "This is destructive. " if risk is Risk.DESTRUCTIVE else ""
    return (
        f"Run `{job['action']}`" + (f" ({shown})" if shown else "") + f" on {len(items):,} {noun}"
        f"{'' if len(items) == 1 else 's'} from {job.get('source', 'the selection')}: {sample}{more}. "
        + (f"Per item: {per_item}. " if per_item else "")
        + f"Estimated duration {_duration(config.estimate_seconds(len(items)))} "
        f"(at most {config.rate:g} requests/s, {config.concurrency} at a time). {label}{CONFIRM_HINT}"
    )


def batch_request(job: BatchJob, config: BatchConfig, risk: Risk) -> dict[str, Any]:
    """The interrupt payload: the same langchain 1.x HITL schema as single calls, one action for the batch."""
    items = job.get("items", [])
    fields = varying_fields(items)
    return {
        "action_requests": [
            {
                "name": BATCH_TOOL_NAME,
                "args": {
                    "action": job["action"],
                    "args": common_args(items),
                    "count": len(items),
                    "sample": [item["label"] for item in items[:SAMPLE_ROWS]],
                    "sample_items": [{"label": i["label"], "args": i["args"]} for i in items[:SAMPLE_ROWS]],
                    "per_item": {field.path: field_payload(field) for field in fields},
                    "estimated_seconds": round(config.estimate_seconds(len(items)), 1),
                },
                "description": describe_batch(job, config, risk, fields),
            }
        ],
        "review_configs": [{"action_name": BATCH_TOOL_NAME, "allowed_decisions": list(BATCH_DECISIONS)}],
    }


async def _not_prepared(ledger: ApprovalLedger, job: BatchJob) -> str:
    """Why the job in the state may not be put to the user ("" when it is exactly what `batch_prepare` asked)."""
    asked = await ledger.batch(job["batch_id"])
    items = [(item["key"], item["args"]) for item in job.get("items", [])]
    if asked is None or asked.status not in ("asked", "granted") or not asked.same_items(job["action"], items):
        return NOT_PREPARED
    return ""


def make_batch_confirm(policy: ToolPolicy, config: BatchConfig) -> NodeFunction:
    """Build the node that asks once per batch (read-only batches pass straight through)."""

    async def batch_confirm(state: State, *, runtime: Runtime[Any]) -> dict[str, Any]:
        job = state.get("batch")
        if not job or job.get("status") != "resolved":
            return {}
        principal = resolve_context(runtime).principal
        risk = policy.risk(job["action"])
        if not principal.may_use(risk):
            reason = f"the user's role ({principal.role}) may not run {risk.value} actions; ask an admin"
            await audit_batch_decision(runtime.store, principal, job, AuditDecision.REFUSED, reason)
            return {"batch": {**job, "status": "declined", "decline_reason": reason}}
        ledger = run_ledger(runtime)
        problem = await _not_prepared(ledger, job)
        if problem:
            await audit_batch_decision(runtime.store, principal, job, AuditDecision.REFUSED, problem)
            return {"batch": {**job, "status": "declined", "decline_reason": problem}}
        answer = interrupt(batch_request(job, config, risk))
        decision = parse_decisions(answer, 1)[0]
        if decision.type == "approve":
            await ledger.mark_batch(job["batch_id"], "granted")
            await audit_batch_decision(runtime.store, principal, job, AuditDecision.APPROVED)
            return {"batch": {**job, "status": "approved"}}
        reason = decision.message or "the user did not approve it"
        if decision.type == "edit":
            reason = "a batch cannot be edited in the confirmation; ask again with the change"
        await ledger.mark_batch(job["batch_id"], "declined")
        await audit_batch_decision(runtime.store, principal, job, AuditDecision.REJECTED, reason)
        return {"batch": {**job, "status": "declined", "decline_reason": reason}}

    return batch_confirm
