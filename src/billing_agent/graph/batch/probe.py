"""Ask Lago (read-only) whether an item's effect is already there, before redoing it or after a lost answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import BaseTool

from billing_agent.graph.batch.actions import ActionRule
from billing_agent.graph.batch.call import call_batch_tool
from billing_agent.graph.batch.limiter import RateLimiter
from billing_agent.graph.records import extract_records


@dataclass(frozen=True)
class Found:
    """What a probe found: `present` is None when the read failed (the effect is unknown)."""

    present: bool | None
    result_id: str | None = None
    reason: str = ""


async def effect_present(
    tools: Mapping[str, BaseTool], rule: ActionRule, args: Mapping[str, Any], limiter: RateLimiter
) -> Found | None:
    """Whether the item's effect is in Lago; None when the action has no probe for this item."""
    probe = rule.probe
    if probe is None or probe.tool not in tools:
        return None
    probe_args = probe.args(args)
    if probe_args is None:
        return None
    await limiter.acquire()
    outcome = await call_batch_tool(tools, probe.tool, dict(probe_args), f"probe_{probe.tool}")
    if not outcome.ok:
        return Found(None, None, outcome.text)
    records = extract_records(probe.tool, outcome.data)
    present, result_id = probe.done(records.items if records is not None else [], args)
    return Found(present, result_id)
