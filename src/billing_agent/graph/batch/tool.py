"""The ONE batch tool the planner sees: an action, its targets, common arguments and how a target fills them."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ConfigDict, Field

BATCH_TOOL_NAME = "run_batch"

DESCRIPTION = (
    "Run ONE tool on MANY records in a single call (bulk work: 'apply coupon X to all US customers', 'retry all "
    "failed invoices from last week', 'retry all of these'). Never call a tool once per record yourself. The "
    "graph pages through the targets, asks the user once (for changes), runs the calls throttled, and reports "
    "per-record outcomes. Targets: `selection` (a list tool and its filters; every page is read), `ids` (explicit "
    "identifiers), or `previous` ('these' = the records of the latest list result; 'failed' / 'succeeded' / 'all' = "
    "items of the last batch; 'remaining' = the items a cancelled batch did not run, to continue it). `fill` "
    "maps the action's arguments to fields of each target record (e.g. "
    "{'external_customer_id': 'external_id'}; 'a.b[]' puts the value in a one-item list under a.b); it is inferred "
    "when left out. `undo=true` runs the inverse of the last batch on its succeeded items; `show='failures'` "
    "shows the last batch's failures without running anything. Example: run_batch(action='apply_coupon', "
    "targets={'selection': {'tool': 'list_customers', 'filters': {'countries': ['US']}}}, "
    "args={'coupon_code': 'SUMMER20'})."
)


class Selection(BaseModel):
    """Targets chosen by a list tool and its filters (read to the last page)."""

    model_config = ConfigDict(extra="forbid")

    tool: str = Field(description="A read-only list tool, e.g. list_customers or list_invoices.")
    filters: dict[str, Any] = Field(default_factory=dict, description="The list tool's filter arguments.")


class Targets(BaseModel):
    """Exactly one way of naming the records to act on."""

    model_config = ConfigDict(extra="forbid")

    selection: Selection | None = None
    ids: list[str] | None = Field(default=None, description="Identifiers the action takes, one per target.")
    previous: str | None = Field(
        default=None,
        description=(
            "'these' (latest list result), 'failed', 'succeeded', 'all' or 'remaining' (items of the last batch; "
            "'remaining' = not run before it was cancelled)."
        ),
    )


class BatchRequest(BaseModel):
    """Arguments of `run_batch`."""

    model_config = ConfigDict(extra="forbid")

    action: str | None = Field(default=None, description="The tool to run on every target, e.g. apply_coupon.")
    targets: Targets | None = None
    args: dict[str, Any] = Field(default_factory=dict, description="Arguments common to every call.")
    fill: dict[str, str] = Field(
        default_factory=dict, description="Action argument → field of the target record, e.g. {'lago_id': 'lago_id'}."
    )
    undo: bool = Field(default=False, description="Undo the last batch (its inverse action on succeeded items).")
    show: Literal["failures", "summary"] | None = Field(
        default=None, description="Show the last batch's failures or summary; runs nothing."
    )


async def _not_run_directly(**_: Any) -> str:
    return "run_batch is carried out by the agent graph, not called directly."


def make_batch_tool() -> BaseTool:
    """The `run_batch` tool definition bound to the planner (the graph, not this function, runs it)."""
    return StructuredTool(
        name=BATCH_TOOL_NAME,
        description=DESCRIPTION,
        args_schema=BatchRequest,
        coroutine=_not_run_directly,
    )
