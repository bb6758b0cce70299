"""The batch report: counts, a failures table with reasons and links, results of read-only batches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billing_agent.graph.batch.actions import rule_for
from billing_agent.graph.batch.state import BatchItem, BatchJob, ItemOutcome
from billing_agent.graph.records import Records
from billing_agent.graph.render import render_table

MAX_FAILURE_ROWS = 25
MAX_TEXT_FAILURES = 10


@dataclass(frozen=True)
class Counts:
    """How the items of a batch ended."""

    total: int
    ok: int
    already_done: int
    failed: int
    skipped: int
    recovered: int = 0


def count(job: BatchJob, outcomes: dict[str, ItemOutcome]) -> Counts:
    """Counts over the job's items (an item without an outcome counts as skipped, never as done)."""
    statuses = [(outcomes.get(item["key"]) or {}) for item in job.get("items", [])]
    return Counts(
        total=len(statuses),
        ok=sum(1 for o in statuses if o.get("status") == "ok"),
        already_done=sum(1 for o in statuses if o.get("status") == "ok" and o.get("already_done")),
        failed=sum(1 for o in statuses if o.get("status") == "failed"),
        skipped=sum(1 for o in statuses if o.get("status") not in ("ok", "failed")),
        recovered=sum(1 for o in statuses if o.get("status") == "ok" and o.get("recovered")),
    )


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cell(item: BatchItem) -> str:
    label = _escape(item["label"]).replace("[", "(").replace("]", ")")
    link = item.get("link")
    return f"[{label}]({link})" if link else label


def failure_rows(job: BatchJob, outcomes: dict[str, ItemOutcome]) -> list[tuple[BatchItem, ItemOutcome]]:
    """Items that failed or were skipped, in batch order."""
    return [
        (item, outcomes.get(item["key"]) or ItemOutcome(status="skipped", code="not_run", message="Not run."))
        for item in job.get("items", [])
        if (outcomes.get(item["key"]) or {}).get("status") != "ok"
    ]


def failures_table(job: BatchJob, outcomes: dict[str, ItemOutcome], limit: int = MAX_FAILURE_ROWS) -> str:
    """A markdown table of failed and skipped items: target (linked), outcome, Lago's code, the reason."""
    rows = failure_rows(job, outcomes)
    if not rows:
        return "_No failures._"
    noun = job.get("noun", "record").capitalize()
    lines = [f"| {noun} | Outcome | Code | Reason |", "|---|---|---|---|"]
    for item, outcome in rows[:limit]:
        reason = _escape(outcome.get("message") or "")
        lines.append(f"| {_cell(item)} | {outcome.get('status')} | {outcome.get('code') or ''} | {reason} |")
    if len(rows) > limit:
        lines += ["", f"_Showing {limit} of {len(rows)}. Ask “show me the failures” to see them all._"]
    return "\n".join(lines)


def _results_table(job: BatchJob, outcomes: dict[str, ItemOutcome]) -> str:
    summaries = [o["summary"] for i in job.get("items", []) if (o := outcomes.get(i["key"])) and "summary" in o]
    if not summaries:
        return ""
    return render_table(Records(kind=job["action"].removeprefix("preview_") + "s", items=summaries))


def headline(job: BatchJob, counts: Counts) -> str:
    """One line: what ran on how many targets and how it ended."""
    noun = job.get("noun", "record")
    notes = [f"{counts.already_done:,} already in place"] if counts.already_done else []
    if counts.recovered:
        notes.append(f"{counts.recovered:,} confirmed in Lago after the crash")
    parts = [f"{counts.ok:,} done" + (f" ({'; '.join(notes)})" if notes else "")]
    parts.append(f"{counts.failed:,} failed")
    if counts.skipped:
        parts.append(f"{counts.skipped:,} skipped")
    return f"Batch `{job['action']}` on {_plural(counts.total, noun)}: " + ", ".join(parts) + "."


def render_report(job: BatchJob, outcomes: dict[str, ItemOutcome]) -> str:
    """The markdown answer for a finished batch."""
    counts = count(job, outcomes)
    sections = [f"**{headline(job, counts)}**", f"Targets: {job.get('source', '')}."]
    results = _results_table(job, outcomes) if job.get("read_only") else ""
    if results:
        sections.append(results)
    if counts.failed or counts.skipped:
        sections.append(failures_table(job, outcomes))
    hints = []
    if counts.failed or counts.skipped:
        hints += ["“retry the failed ones”", "“show me the failures”"]
    if rule_for(job["action"]).inverse is not None and counts.ok:
        hints.append("“undo that”")
    if hints:
        sections.append("You can say " + ", ".join(hints) + ".")
    return "\n\n".join(sections)


def report_text(job: BatchJob, outcomes: dict[str, ItemOutcome]) -> str:
    """A compact plain-text report for the model (counts and the first failures)."""
    counts = count(job, outcomes)
    lines = [headline(job, counts)]
    for item, outcome in failure_rows(job, outcomes)[:MAX_TEXT_FAILURES]:
        lines.append(f"- {item['label']}: {outcome.get('status')} {outcome.get('code') or ''} {outcome.get('message')}")
    more = counts.failed + counts.skipped - MAX_TEXT_FAILURES
    if more > 0:
        lines.append(f"… and {more:,} more failures (run_batch(show='failures') lists them).")
    lines.append("The report with tables and links has been shown to the user.")
    return "\n".join(lines)


def report_data(job: BatchJob, outcomes: dict[str, ItemOutcome]) -> dict[str, Any]:
    """Structured report (tool message artifact)."""
    counts = count(job, outcomes)
    return {
        "batch": {
            "batch_id": job["batch_id"],
            "action": job["action"],
            "total": counts.total,
            "ok": counts.ok,
            "already_done": counts.already_done,
            "recovered": counts.recovered,
            "failed": counts.failed,
            "skipped": counts.skipped,
        },
        "failures": [
            {"target": item["label"], "status": o.get("status"), "code": o.get("code"), "reason": o.get("message")}
            for item, o in failure_rows(job, outcomes)
        ],
    }
