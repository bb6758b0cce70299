"""Prepare node: read the `run_batch` call, resolve and de-duplicate its targets, enforce the cap."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from langchain_core.messages import AIMessage, ToolCall, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.runtime import Runtime
from pydantic import ValidationError

from billing_agent.graph.approval import run_ledger
from billing_agent.graph.batch.actions import rule_for
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.batch.errors import NotCrashSafe, ResolveError, TooManyItems, noun_of, too_many
from billing_agent.graph.batch.fill import FillError, merge_args
from billing_agent.graph.batch.limiter import shared_limiter
from billing_agent.graph.batch.outcomes import skipped
from billing_agent.graph.batch.previous import (
    LAST_BATCH_SETS,
    items_of_last_batch,
    last_batch,
    latest_selection,
    undo_items,
)
from billing_agent.graph.batch.report import failures_table, render_report
from billing_agent.graph.batch.resolve import Resolution, build_items, ids_as_targets, read_selection
from billing_agent.graph.batch.shown import UnshownFill, check_shown
from billing_agent.graph.batch.state import BatchItem, BatchJob, BatchOutcomes, ItemOutcome
from billing_agent.graph.batch.tool import BATCH_TOOL_NAME, BatchRequest
from billing_agent.graph.state import NodeFunction, State
from billing_agent.graph.turn import open_calls
from billing_agent.tools.policy import ToolPolicy


def open_batch_call(state: State) -> ToolCall | None:
    """The first `run_batch` call of the last assistant message that is not answered yet."""
    return next((c for c in open_calls(state["messages"]) if c["name"] == BATCH_TOOL_NAME), None)


def direct_answer(state: State, call: ToolCall, text: str, *, error: bool, tell_user: bool) -> dict[str, Any]:
    """Answer the call; with `tell_user` (and no other call left open) also answer the user directly."""
    reply = ToolMessage(
        content=text, tool_call_id=str(call.get("id")), name=BATCH_TOOL_NAME, status="error" if error else "success"
    )
    messages: list[Any] = [reply]
    others = [c for c in open_calls(state["messages"]) if c.get("id") != call.get("id")]
    if tell_user and not others:
        messages.append(AIMessage(content=text))
    return {"messages": messages}


class _Prepare:
    def __init__(self, tools: Mapping[str, BaseTool], policy: ToolPolicy, config: BatchConfig) -> None:
        self.tools, self.policy, self.config = tools, policy, config

    def _action_tool(self, action: str | None) -> BaseTool:
        if not action or action == BATCH_TOOL_NAME or action not in self.tools:
            raise ResolveError(
                f"`{action}` is not a tool I can run in a batch; name one of the tools, e.g. apply_coupon or "
                "retry_invoice_payment."
            )
        if not self.policy.is_read_only(action) and not rule_for(action).crash_safe:
            raise NotCrashSafe(action)
        return self.tools[action]

    async def resolve(self, state: State, request: BatchRequest) -> tuple[str, Resolution, str | None]:
        """(action, items, the batch this one undoes) for the request."""
        if request.undo:
            job, _ = last_batch(state)
            action, items, left = undo_items(state)
            resolution = Resolution(
                items,
                [f"{left} item(s) with no record id"] if left else [],
                kind=job.get("noun", "record") + "s",
                source=f"the last batch ({job['action']})",
            )
            return action, resolution, job["batch_id"]
        targets = request.targets
        chosen = [t for t in (targets.selection, targets.ids, targets.previous) if t] if targets else []
        if len(chosen) != 1 or targets is None:
            raise ResolveError("Give exactly one of targets.selection, targets.ids or targets.previous.")
        if targets.previous and targets.previous.lower() in LAST_BATCH_SETS:
            job, items = items_of_last_batch(state, targets.previous.lower())
            action = request.action or job["action"]
            self._action_tool(action)
            own = [BatchItem(key=i["key"], label=i["label"], args=merge_args(i["args"], request.args)) for i in items]
            for mine, old in zip(own, items, strict=True):
                if "link" in old:
                    mine["link"] = old["link"]
            return (
                action,
                Resolution(
                    own, kind=job.get("noun", "record") + "s", source=f"the {targets.previous} items of the last batch"
                ),
                None,
            )
        tool = self._action_tool(request.action)
        if targets.ids:
            found = ids_as_targets(targets.ids)
        else:
            selection = targets.selection or latest_selection(state, self.policy)
            found = await read_selection(
                self.tools,
                self.policy,
                selection,
                limit=self.config.max_items,
                action=tool.name,
                limiter=shared_limiter(self.config.rate),
                concurrency=self.config.concurrency,
            )
        return tool.name, build_items(tool, found, request.args, request.fill, limit=self.config.max_items), None

    def show(self, state: State, request: BatchRequest) -> str:
        job, outcomes = last_batch(state)
        if request.show == "failures":
            return failures_table(job, outcomes, limit=max(1, len(job.get("items", []))))
        return render_report(job, outcomes)


def make_batch_prepare(tools: Mapping[str, BaseTool], policy: ToolPolicy, config: BatchConfig) -> NodeFunction:
    """Build the node that turns a `run_batch` call into a batch job (or answers it directly)."""
    prepare = _Prepare(tools, policy, config)

    async def batch_prepare(state: State, *, runtime: Runtime[Any]) -> dict[str, Any]:
        call = open_batch_call(state)
        if call is None:
            return {}
        try:
            request = BatchRequest.model_validate(call.get("args") or {})
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
            return direct_answer(
                state,
                call,
                f"Invalid run_batch arguments: {problems}. Fix them and call again.",
                error=True,
                tell_user=False,
            )
        try:
            if request.show:
                return direct_answer(state, call, prepare.show(state, request), error=False, tell_user=True)
            action, resolution, undo_of = await prepare.resolve(state, request)
        except (TooManyItems, NotCrashSafe) as refusal:
            return direct_answer(state, call, str(refusal), error=True, tell_user=True)
        except (ResolveError, FillError) as error:
            return direct_answer(state, call, str(error), error=True, tell_user=False)
        if len(resolution.items) > config.max_items:
            over = too_many(action, len(resolution.items), resolution.kind, config.max_items)
            return direct_answer(state, call, str(over), error=True, tell_user=True)
        if not resolution.items:
            text = f"No {noun_of(resolution.kind)} matched {resolution.source or 'the targets'}, so nothing was run."
            return direct_answer(state, call, text, error=False, tell_user=True)
        read_only = prepare.policy.is_read_only(action)
        noun = rule_for(action).noun if resolution.kind == "ids" else noun_of(resolution.kind)
        try:
            if not read_only:  # a change is confirmed: it may only write values the confirmation can list
                check_shown(action, resolution.items, noun)
        except UnshownFill as refusal:
            return direct_answer(state, call, str(refusal), error=True, tell_user=False)
        job = BatchJob(
            batch_id=uuid.uuid4().hex,
            call_id=str(call.get("id")),
            action=action,
            read_only=read_only,
            items=resolution.items,
            status="approved" if read_only else "resolved",
            noun=noun,
            source=resolution.source,
            undo_of=undo_of,
        )
        unusable: dict[str, ItemOutcome] = {}
        for label in resolution.unusable:
            key = f"unusable:{label}"
            job["items"].append(BatchItem(key=key, label=label, args={}))
            unusable[key] = skipped("The record lacks the field the action needs.")
        if not read_only:
            await run_ledger(runtime).ask_batch(job["batch_id"], action, ((i["key"], i["args"]) for i in job["items"]))
        return {"batch": job, "batch_outcomes": BatchOutcomes(batch_id=job["batch_id"], items=unusable)}

    return batch_prepare
