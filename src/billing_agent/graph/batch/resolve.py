"""Resolve a batch's targets into items: page through a selection, take ids, or reuse earlier results."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import ToolCall
from langchain_core.tools import BaseTool

from billing_agent.graph.batch.fill import (
    FillError,
    fill_args,
    infer_fill,
    item_key,
    label_of,
    merge_args,
    parameters,
    without_paging,
)
from billing_agent.graph.batch.limiter import RateLimiter
from billing_agent.graph.batch.state import BatchItem
from billing_agent.graph.batch.tool import Selection
from billing_agent.graph.records import Records, extract_records
from billing_agent.graph.toolcall import run_tool
from billing_agent.tools.policy import ToolPolicy

PAGE_SIZE = 100
MAX_RESTARTS = 4
TOO_MANY = (
    "That would run `{action}` on {count:,} {noun}s; one batch may touch at most {limit:,} "
    "(BILLING_AGENT_BATCH_MAX_ITEMS). Narrow the selection — add a filter such as a country, currency, status, "
    "plan or date range — or split it into smaller requests (e.g. one country at a time)."
)


class ResolveError(ValueError):
    """The targets could not be resolved; the message says what to change."""


class TooManyItems(ResolveError):
    """More targets than `BILLING_AGENT_BATCH_MAX_ITEMS`; the message says how to narrow them."""


@dataclass
class Targets:
    """Resolved targets: the records (plus their kind) before they fill the action's arguments."""

    kind: str
    records: list[dict[str, Any]]
    source: str


@dataclass
class Resolution:
    """Items to run, and records that could not fill the action's arguments (reported as skipped)."""

    items: list[BatchItem]
    unusable: list[str] = field(default_factory=list)
    kind: str = "record"
    source: str = ""


def noun_of(kind: str) -> str:
    """ "customers" → "customer", "applied_coupons" → "applied coupon"."""
    singular = kind[:-1] if kind.endswith("s") else kind
    return singular.replace("_", " ")


async def read_selection(
    tools: Mapping[str, BaseTool],
    policy: ToolPolicy,
    selection: Selection,
    *,
    limit: int,
    action: str,
    limiter: RateLimiter | None = None,
) -> Targets:
    """Every record of a list tool's selection, page by page; refuses above `limit` as soon as it is known."""
    tool = tools.get(selection.tool)
    if tool is None or not policy.is_read_only(selection.tool):
        lists = ", ".join(sorted(n for n in tools if n.startswith("list_") and policy.is_read_only(n)))
        raise ResolveError(f"`{selection.tool}` is not a read-only list tool; select targets with one of: {lists}.")
    names, _ = parameters(tool)
    filters = without_paging(selection.filters)
    unknown = sorted(set(filters) - names)
    if unknown:
        raise ResolveError(
            f"{selection.tool} has no filter {', '.join(unknown)}; its parameters are {', '.join(sorted(names))}."
        )
    records: list[dict[str, Any]] = []
    kind = "records"
    page: int | None = 1
    size = PAGE_SIZE
    restarts = 0
    while page is not None:
        if page > math.ceil(limit / size) + 2:
            raise ResolveError(f"{selection.tool} kept returning pages past {page - 1}; narrow the selection.")
        found, left_out = await _read_page(tools, selection.tool, {**filters, "page": page, "per_page": size}, limiter)
        kind = found.kind
        if found.total_count is not None and found.total_count > limit:
            raise TooManyItems(TOO_MANY.format(action=action, count=found.total_count, noun=noun_of(kind), limit=limit))
        if left_out:
            # The MCP server cut this page to its size budget: read again, from the start, in smaller pages.
            restarts += 1
            if restarts > MAX_RESTARTS:
                raise ResolveError(f"{selection.tool} pages do not fit the tool result budget; narrow the selection.")
            size = max(1, (len(found.items) * 9) // 10)
            records, page = [], 1
            continue
        records.extend(found.items)
        if len(records) > limit:
            raise TooManyItems(TOO_MANY.format(action=action, count=len(records), noun=noun_of(kind), limit=limit))
        page = found.next_page if found.items else None
    described = ", ".join(f"{k}={v!r}" for k, v in filters.items()) or "no filter"
    return Targets(kind=kind, records=records, source=f"{selection.tool}({described})")


async def _read_page(
    tools: Mapping[str, BaseTool], tool: str, args: dict[str, Any], limiter: RateLimiter | None
) -> tuple[Records, int]:
    """One page of records, and how many records of it the MCP server left out to fit its size budget."""
    if limiter is not None:
        await limiter.acquire()
    outcome = await run_tool(tools, ToolCall(name=tool, args=args, id=f"batch_{tool}_{args.get('page')}"))
    if not outcome.ok:
        raise ResolveError(f"Listing the targets failed: {outcome.text}")
    found = extract_records(tool, outcome.data)
    if found is None or found.single:
        raise ResolveError(f"{tool} returned no list of records; select targets with a list tool.")
    pagination = outcome.data.get("pagination") if isinstance(outcome.data, dict) else None
    left_out = pagination.get("left_out") if isinstance(pagination, dict) else None
    return found, left_out if isinstance(left_out, int) else 0


def ids_as_targets(ids: Sequence[str]) -> Targets:
    """Explicit identifiers as records `{"id": ...}` (they fill the action's one open parameter)."""
    unique = list(dict.fromkeys(str(i) for i in ids if str(i).strip()))
    return Targets(kind="ids", records=[{"id": i} for i in unique], source=f"{len(unique)} ids")


def build_items(
    tool: BaseTool, targets: Targets, common: Mapping[str, Any], fill: Mapping[str, str], *, limit: int
) -> Resolution:
    """Fill, merge and de-duplicate items; refuses above `limit`."""
    if targets.kind == "ids":
        param = next(iter(fill)) if fill else _single_open_param(tool, common)
        fill = {param: "id"}
    elif not fill and targets.records:
        fill = infer_fill(tool, targets.kind, targets.records[0], common)
    items: dict[str, BatchItem] = {}
    unusable: list[str] = []
    for record in targets.records:
        own = fill_args(record, fill)
        if own is None:
            unusable.append(label_of(record, {}))
            continue
        key = item_key(own)
        if key not in items:
            items[key] = BatchItem(key=key, label=label_of(record, own), args=merge_args(common, own))
            link = record.get("dashboard_url")
            if isinstance(link, str):
                items[key]["link"] = link
    if len(items) > limit:
        raise TooManyItems(TOO_MANY.format(action=tool.name, count=len(items), noun=noun_of(targets.kind), limit=limit))
    return Resolution(list(items.values()), unusable, kind=targets.kind, source=targets.source)


def _single_open_param(tool: BaseTool, common: Mapping[str, Any]) -> str:
    _, required = parameters(tool)
    open_params = [p for p in required if p not in common]
    if len(open_params) != 1:
        raise FillError(f"Say which argument of {tool.name} the ids fill: fill={{'<parameter>': 'id'}}.")
    return open_params[0]
