"""Resolve a batch's targets into items: page through a selection, take ids, or reuse earlier results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.tools import BaseTool

from billing_agent.graph.batch.errors import ResolveError, too_many
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
from billing_agent.graph.batch.pages import PageReader, TooManyPages, walk_pages
from billing_agent.graph.batch.state import BatchItem
from billing_agent.graph.batch.tool import Selection
from billing_agent.tools.policy import ToolPolicy

PAGE_SIZE = 100
MAX_RESTARTS = 4


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


async def read_selection(
    tools: Mapping[str, BaseTool],
    policy: ToolPolicy,
    selection: Selection,
    *,
    limit: int,
    action: str,
    limiter: RateLimiter | None = None,
    concurrency: int = 1,
) -> Targets:
    """Every record of a list tool's selection; refuses above `limit` as soon as it is known.

    The first page comes alone; the pages after it are read `concurrency` at a time (see `pages.walk_pages`).
    """
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
    reader = PageReader(tools, selection.tool, filters, limiter, concurrency)
    size = PAGE_SIZE
    for _ in range(MAX_RESTARTS + 1):
        try:
            read = await walk_pages(reader, size, limit)
        except TooManyPages as over:
            raise too_many(action, over.count, over.kind, limit) from None
        if read.cut_to is None:
            described = ", ".join(f"{k}={v!r}" for k, v in filters.items()) or "no filter"
            return Targets(kind=read.kind, records=read.records, source=f"{selection.tool}({described})")
        size = read.cut_to  # the MCP server cut a page to its size budget: read again, in smaller pages
    raise ResolveError(f"{selection.tool} pages do not fit the tool result budget; narrow the selection.")


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
        raise too_many(tool.name, len(items), targets.kind, limit)
    return Resolution(list(items.values()), unusable, kind=targets.kind, source=targets.source)


def _single_open_param(tool: BaseTool, common: Mapping[str, Any]) -> str:
    _, required = parameters(tool)
    open_params = [p for p in required if p not in common]
    if len(open_params) != 1:
        raise FillError(f"Say which argument of {tool.name} the ids fill: fill={{'<parameter>': 'id'}}.")
    return open_params[0]
