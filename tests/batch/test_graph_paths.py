"""The batch paths of the graph with a scripted model: cap refusal, bad arguments, ids, roles, one model call."""

from __future__ import annotations

import time
from typing import Any

import httpx
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.store.memory import InMemoryStore
from langgraph.types import Command

from billing_agent.graph import Context, Principal
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.memory.audit import AuditTrail, Decision, Outcome
from billing_agent.sandbox import SandboxServer
from billing_agent.sandbox.app import Sandbox
from billing_agent.sandbox.faults import FaultConfig
from billing_agent.tenancy import Role
from tests.graph.scripted import ScriptedChatModel, call

from .helpers import FAST, Chat, coupon_holders, list_all, tools_on

US_COUPON = {
    "action": "apply_coupon",
    "targets": {"selection": {"tool": "list_customers", "filters": {"countries": ["US"]}}},
    "args": {"coupon_code": "SUMMER20"},
}


def batch_once(**batch_args: Any) -> ScriptedChatModel:
    """A model that answers the user's message with one run_batch call, and reads any tool result back."""

    def script(messages: list[BaseMessage]) -> AIMessage:
        if isinstance(messages[-1], HumanMessage):
            return AIMessage(content="", tool_calls=[call("run_batch", **batch_args)])
        assert isinstance(messages[-1], ToolMessage)
        return AIMessage(content=f"Model read: {messages[-1].content}")

    return ScriptedChatModel(script=script)


async def test_above_the_cap_the_batch_is_refused_with_how_to_narrow(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    before = await coupon_holders(sandbox_http, "SUMMER20")
    async with tools_on(sandbox_server) as tools:
        model = batch_once(**US_COUPON)
        chat = Chat(tools, model, batch=BatchConfig(max_items=5, rate=2000))
        await chat.send("Apply coupon SUMMER20 to all US customers")
        assert await chat.pending() is None
        answer = await chat.answer()
    assert "at most 5" in answer and "BILLING_AGENT_BATCH_MAX_ITEMS" in answer and "Narrow the selection" in answer
    assert len(model.prompts) == 1
    assert await coupon_holders(sandbox_http, "SUMMER20") == before


async def test_bad_batch_arguments_go_back_to_the_model_with_what_to_fix(sandbox_server: SandboxServer) -> None:
    async with tools_on(sandbox_server) as tools:
        model = batch_once(action="apply_coupon", targets={"selection": {"tool": "apply_coupon"}})
        chat = Chat(tools, model)
        await chat.send("Apply SUMMER20 to everyone")
        answer = await chat.answer()
    assert answer.startswith("Model read:") and "is not a read-only list tool" in answer and "list_customers" in answer


async def test_explicit_ids_fill_the_actions_open_parameter(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    customers = [c["external_id"] for c in await list_all(sandbox_http, "/customers", "customers")]
    chosen = [c for c in customers if c not in await coupon_holders(sandbox_http, "SUMMER20")][:3]
    async with tools_on(sandbox_server) as tools:
        model = batch_once(
            action="apply_coupon", targets={"ids": [*chosen, chosen[0]]}, args={"coupon_code": "SUMMER20"}
        )
        chat = Chat(tools, model)
        await chat.send("Apply SUMMER20 to these three")
        request = await chat.pending()
        assert request is not None and request["action_requests"][0]["args"]["count"] == 3  # de-duplicated
        await chat.confirm()
        assert "on 3 customers: 3 done" in await chat.answer()
    holders = await coupon_holders(sandbox_http, "SUMMER20")
    assert all(holders.get(c) == 1 for c in chosen)


async def test_a_viewer_cannot_run_a_changing_batch(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    before = await coupon_holders(sandbox_http, "SUMMER20")
    async with tools_on(sandbox_server) as tools:
        viewer = Context(principal=Principal(role=Role.VIEWER))
        chat = Chat(tools, batch_once(**US_COUPON), context=viewer)
        await chat.send("Apply coupon SUMMER20 to all US customers")
        assert await chat.pending() is None
        answer = await chat.answer()
    assert "NOT run" in answer and "viewer" in answer
    assert await coupon_holders(sandbox_http, "SUMMER20") == before


async def test_batches_are_in_the_audit_trail_with_their_decision_and_counts(sandbox_server: SandboxServer) -> None:
    store = InMemoryStore()
    admin = Context(principal=Principal(org_id="hooli", user_id="ana", role=Role.ADMIN))
    async with tools_on(sandbox_server) as tools:
        approved = Chat(tools, batch_once(**US_COUPON), context=admin, store=store)
        await approved.send("Apply coupon SUMMER20 to all US customers")
        count = (await approved.pending() or {})["action_requests"][0]["args"]["count"]
        await approved.confirm()
        rejected = Chat(tools, batch_once(**US_COUPON), context=admin, store=store)
        await rejected.send("Apply coupon SUMMER20 to all US customers")
        await rejected.send(Command(resume="no"))
        operator = Context(principal=Principal(org_id="hooli", user_id="ana", role=Role.OPERATOR))
        refused = Chat(tools, batch_once(action="void_invoice", targets={"ids": ["x"]}), context=operator, store=store)
        await refused.send("Void x")
    entries = {e.thread_id: e for e in await AuditTrail(store).list(admin.principal)}
    done = entries[approved.config["configurable"]["thread_id"]]
    assert (done.tool, done.decision, done.outcome) == ("run_batch", Decision.APPROVED, Outcome.SUCCEEDED)
    assert done.args["action"] == "apply_coupon" and done.args["count"] == count and f"{count:,} done" in done.detail
    no = entries[rejected.config["configurable"]["thread_id"]]
    assert (no.decision, no.outcome) == (Decision.REJECTED, Outcome.NOT_RUN)
    denied = entries[refused.config["configurable"]["thread_id"]]
    assert (denied.decision, denied.outcome, denied.args["action"]) == (
        Decision.REFUSED,
        Outcome.NOT_RUN,
        "void_invoice",
    )


async def test_an_operator_cannot_run_a_destructive_batch(
    sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    overdue = [i["lago_id"] for i in await list_all(sandbox_http, "/invoices", "invoices")][:3]
    async with tools_on(sandbox_server) as tools:
        operator = Context(principal=Principal(role=Role.OPERATOR))
        model = batch_once(action="void_invoice", targets={"ids": overdue})
        chat = Chat(tools, model, context=operator)
        await chat.send("Void these three invoices")
        assert await chat.pending() is None
        answer = await chat.answer()
    assert "NOT run" in answer or "may not" in answer
    statuses = [(await sandbox_http.get(f"/invoices/{lago_id}")).json()["invoice"]["status"] for lago_id in overdue]
    assert "voided" not in statuses


async def test_one_model_call_for_the_whole_batch_and_progress_to_the_end(sandbox_server: SandboxServer) -> None:
    async with tools_on(sandbox_server) as tools:
        model = batch_once(**US_COUPON)
        chat = Chat(tools, model, batch=BatchConfig(concurrency=4, rate=2000, chunk_size=2))
        await chat.send("Apply coupon SUMMER20 to all US customers")
        await chat.confirm()
        await chat.answer()
    assert len(model.prompts) == 1
    done = [event["done"] for event in chat.events]
    assert done == sorted(done) and done[-1] == chat.events[-1]["total"] > 2
    assert FAST.rate > 0


async def test_concurrency_cap_and_rate_limit_bound_the_fan_out(
    sandbox_app: Sandbox, sandbox_server: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    us = [c for c in await list_all(sandbox_http, "/customers", "customers") if c.get("country") == "US"]
    sandbox_app.faults.configure(FaultConfig(latency_ms=60))
    async with tools_on(sandbox_server) as tools:
        capped = Chat(tools, batch_once(**US_COUPON), batch=BatchConfig(concurrency=2, rate=2000, chunk_size=1))
        await capped.send("Apply coupon SUMMER20 to all US customers")
        started = time.monotonic()
        await capped.confirm()
        capped_seconds = time.monotonic() - started
    # 2 calls in flight at most, 60 ms each: the fan-out cannot finish faster than len(us) / 2 * 60 ms.
    assert capped_seconds >= len(us) / 2 * 0.06
    sandbox_app.faults.configure(FaultConfig())
    async with tools_on(sandbox_server) as tools:
        undo = Chat(tools, batch_once(undo=True), checkpointer=capped.graph.checkpointer, batch=BatchConfig(rate=10))
        undo.config = capped.config
        await undo.send("undo that")
        started = time.monotonic()
        await undo.confirm()
        throttled_seconds = time.monotonic() - started
    # 10 requests/s with a burst of 10: the calls beyond the burst wait 0.1 s each.
    assert throttled_seconds >= (len(us) - 10) / 10
    assert "done" in await undo.answer()
