"""Targets taken from this conversation: the latest list result ("these") or the items of the last batch."""

from __future__ import annotations

from billing_agent.graph.batch.actions import rule_for
from billing_agent.graph.batch.errors import ResolveError
from billing_agent.graph.batch.fill import item_key, without_paging
from billing_agent.graph.batch.state import BatchItem, BatchJob, ItemOutcome
from billing_agent.graph.batch.tool import BATCH_TOOL_NAME, Selection
from billing_agent.graph.state import State
from billing_agent.tools.policy import ToolPolicy

LAST_BATCH_SETS = {"failed", "succeeded", "all", "skipped", "remaining"}
THESE = {"these", "those", "them", "latest", "last_list", "previous"}


def latest_selection(state: State, policy: ToolPolicy) -> Selection:
    """The list call behind the most recent list result, as a selection read to its last page."""
    for result in reversed(list((state.get("results") or {}).values())):
        tool = result["tool"]
        if result["ok"] and tool.startswith("list_") and policy.is_read_only(tool):
            return Selection(tool=tool, filters=without_paging(result["args"]))
    raise ResolveError("There is no earlier list in this conversation to act on; ask for the records first.")


def last_batch(state: State) -> tuple[BatchJob, dict[str, ItemOutcome]]:
    """The last batch of the thread and its outcomes."""
    job = state.get("batch")
    if not job or not job.get("items"):
        raise ResolveError("There is no earlier batch in this conversation.")
    outcomes = state.get("batch_outcomes") or {"batch_id": "", "items": {}}
    return job, outcomes["items"] if outcomes.get("batch_id") == job["batch_id"] else {}


def items_of_last_batch(state: State, which: str) -> tuple[BatchJob, list[BatchItem]]:
    """Items of the last batch whose outcome is `which` ("failed", "succeeded", "skipped", "all").

    "remaining" are the items that never ran (of a cancelled batch): continuing it runs only those.
    """
    job, outcomes = last_batch(state)
    if which == "remaining":
        return job, [item for item in job["items"] if item["key"] not in outcomes]
    wanted = {"failed": {"failed"}, "succeeded": {"ok"}, "skipped": {"skipped"}}.get(which)
    items = [
        item
        for item in job["items"]
        if wanted is None or (outcomes.get(item["key"]) or {}).get("status", "failed") in wanted
    ]
    return job, items


def undo_items(state: State) -> tuple[str, list[BatchItem], int]:
    """The inverse action of the last batch, its items (one per change it made), and how many it cannot undo."""
    job, outcomes = last_batch(state)
    if job.get("action") == BATCH_TOOL_NAME or job.get("status") != "done":
        raise ResolveError("The last batch has not finished; nothing to undo yet.")
    inverse = rule_for(job["action"]).inverse
    if inverse is None:
        raise ResolveError(f"`{job['action']}` has no inverse action, so the last batch cannot be undone.")
    items: list[BatchItem] = []
    left = 0
    for item in job["items"]:
        outcome = outcomes.get(item["key"]) or {}
        result_id = outcome.get("result_id")
        if outcome.get("status") != "ok":
            continue
        if not result_id:
            left += 1
            continue
        args = inverse.args(item["args"], result_id)
        undo = BatchItem(key=item_key(args), label=item["label"], args=args)
        if "link" in item:
            undo["link"] = item["link"]
        items.append(undo)
    return inverse.action, items, left
